-- Alerts' de-duplication keys begin with their hour (seconds since the epoch, the last part
-- until now): the alerts of a new hour are appended to the key's index instead of scattered
-- over it. Keys stored before are rewritten to the new order, so a late event still folds.
UPDATE telemetry_alerts
SET dedup_key = substr(dedup_key, length(rtrim(dedup_key, '0123456789')) + 1)
    || '|' || substr(dedup_key, 1, length(rtrim(dedup_key, '0123456789')) - 1);
