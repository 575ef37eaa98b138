-- The findings list sorted by deadline (issue 14.6): findings without one last. The list orders
-- by this very expression, so the index serves the order and the list stops after a page.
CREATE INDEX findings_by_deadline ON findings ((COALESCE(due_at, 9223372036854775807)), id);
