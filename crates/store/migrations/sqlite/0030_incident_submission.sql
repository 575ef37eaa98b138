-- The key a client sends with a new incident report (the web form one per form): the same key
-- again returns the incident it created instead of a second one (a double submit acts once).
ALTER TABLE incidents ADD COLUMN submission_id TEXT;
CREATE UNIQUE INDEX incidents_submission ON incidents(submission_id);
