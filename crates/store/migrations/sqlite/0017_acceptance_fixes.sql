-- Issue 11 (acceptance defects).

-- The unit a notification is about: a token limited to one unit reads only that unit's
-- notifications of its owner. Older rows have none and are shown to sessions only.
ALTER TABLE notifications ADD COLUMN unit_id INTEGER REFERENCES units(id);

-- Who produced a scanned finding and what it looked at (e.g. `sarif|grype|`,
-- `trivy|container_image|alpine:3.19`): a newer report closes only findings of its own scope.
-- Older rows have none and are never closed by absence.
ALTER TABLE findings ADD COLUMN scan_scope TEXT;
CREATE INDEX findings_scan_scope ON findings (system_id, scan_scope) WHERE open = 1;

-- Failed sign-ins under names that have no account, counted like real accounts' failures so
-- that the lockout answer does not tell which names exist. Rows older than a day are pruned.
CREATE TABLE unknown_logins (
    username       TEXT PRIMARY KEY,
    failed_logins  INTEGER NOT NULL,
    locked_until   INTEGER,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX unknown_logins_updated ON unknown_logins (updated_at);

-- Unit and system codes are unique whatever their case ("SO-YT" and "so-yt" are one code).
CREATE UNIQUE INDEX units_code_ci ON units (lower(code));
CREATE UNIQUE INDEX systems_code_ci ON systems (lower(code));
