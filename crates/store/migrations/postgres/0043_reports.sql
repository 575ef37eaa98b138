-- Periodic reports (issue 16.5): a round of a report template for a period, the units that owe
-- it (fixed when the round opens), each unit's report and every version it submitted, frozen
-- with its SHA-256.
CREATE TABLE report_rounds (
    id         BIGSERIAL PRIMARY KEY,
    template   TEXT NOT NULL,
    period     TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    unit_types TEXT NOT NULL,
    opened_by  BIGINT NOT NULL REFERENCES users(id),
    opened_at  BIGINT NOT NULL,
    UNIQUE (template, period)
);

CREATE TABLE unit_reports (
    id            BIGSERIAL PRIMARY KEY,
    round_id      BIGINT NOT NULL REFERENCES report_rounds(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    state         TEXT NOT NULL,
    -- JSON list of [part key, text].
    narratives    TEXT NOT NULL,
    updated_by    BIGINT REFERENCES users(id),
    updated_at    BIGINT,
    submitted_at  BIGINT,
    return_reason TEXT NOT NULL,
    decided_by    BIGINT REFERENCES users(id),
    decided_at    BIGINT,
    UNIQUE (round_id, unit_id)
);
CREATE INDEX unit_reports_unit ON unit_reports(unit_id, round_id);

CREATE TABLE unit_report_versions (
    id           BIGSERIAL PRIMARY KEY,
    report_id    BIGINT NOT NULL REFERENCES unit_reports(id),
    version      BIGINT NOT NULL,
    content      TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    submitted_by BIGINT NOT NULL REFERENCES users(id),
    submitted_at BIGINT NOT NULL,
    UNIQUE (report_id, version)
);
