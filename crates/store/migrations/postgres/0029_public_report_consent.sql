-- When a reporter agreed that the contact details they gave may be used to handle their report
-- (issue 14.9); NULL for anonymous reports and for those received before the form asked.
ALTER TABLE public_reports ADD COLUMN contact_consent_at BIGINT;
