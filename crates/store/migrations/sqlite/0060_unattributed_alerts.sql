-- The authority's queue of unattributed alerts (issue 18.2), newest first: a few percent of the
-- alerts, kept in an index of their own. Through (unit_id, last_seen) PostgreSQL read every
-- unattributed alert and sorted them (93 ms at 2 million events; 0.16 ms with this index).
CREATE INDEX telemetry_alerts_unattributed ON telemetry_alerts(last_seen, id) WHERE unit_id IS NULL;
