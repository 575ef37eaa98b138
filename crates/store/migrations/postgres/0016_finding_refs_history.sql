-- Reference links a scanner gives with a finding (advisories, vendor pages): http(s) URLs, one
-- per line, at most 10.
ALTER TABLE findings ADD COLUMN reference_urls TEXT NOT NULL DEFAULT '';

-- Per unit and day (Asia/Ho_Chi_Minh), the open, overdue and critical open findings, written by
-- the reminder sweep: today's rows are rewritten on every sweep, earlier days stay as they were
-- last written. The ranking of units slow to fix (HP II.2.1, HCM indicators) reads them.
CREATE TABLE finding_count_snapshots (
    day            TEXT NOT NULL,
    unit_id        BIGINT NOT NULL REFERENCES units(id),
    open_count     BIGINT NOT NULL,
    overdue_count  BIGINT NOT NULL,
    critical_open  BIGINT NOT NULL,
    taken_at       BIGINT NOT NULL,
    PRIMARY KEY (day, unit_id)
);
CREATE INDEX finding_count_snapshots_unit ON finding_count_snapshots (unit_id, day);

-- The open/deadline index also carries the unit and the severity, so the per-unit counts (the
-- dashboard, the reminder sweep, the kept counts) are read from the index alone.
DROP INDEX findings_open_due;
CREATE INDEX findings_open_due ON findings(open, due_at, unit_id, severity);
