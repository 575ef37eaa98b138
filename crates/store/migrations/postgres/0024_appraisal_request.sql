-- Issue 12: for an outside appraisal (levels 4–5), the request sent to the ministry.
ALTER TABLE dossiers ADD COLUMN appraisal_request_ref TEXT;
