-- Periodic reports (issue 16.5): a round of a report template for a period, the units that owe
-- it (fixed when the round opens), each unit's report and every version it submitted, frozen
-- with its SHA-256.
CREATE TABLE report_rounds (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    template   TEXT NOT NULL,
    period     TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    unit_types TEXT NOT NULL,
    opened_by  INTEGER NOT NULL REFERENCES users(id),
    opened_at  INTEGER NOT NULL,
    UNIQUE (template, period)
);

CREATE TABLE unit_reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id      INTEGER NOT NULL REFERENCES report_rounds(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    state         TEXT NOT NULL,
    -- JSON list of [part key, text].
    narratives    TEXT NOT NULL,
    updated_by    INTEGER REFERENCES users(id),
    updated_at    INTEGER,
    submitted_at  INTEGER,
    return_reason TEXT NOT NULL,
    decided_by    INTEGER REFERENCES users(id),
    decided_at    INTEGER,
    UNIQUE (round_id, unit_id)
);
CREATE INDEX unit_reports_unit ON unit_reports(unit_id, round_id);

CREATE TABLE unit_report_versions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id    INTEGER NOT NULL REFERENCES unit_reports(id),
    version      INTEGER NOT NULL,
    content      TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    submitted_by INTEGER NOT NULL REFERENCES users(id),
    submitted_at INTEGER NOT NULL,
    UNIQUE (report_id, version)
);
