-- The reporting deadlines of incidents, per ruleset (chosen by the detection date), where the
-- standing body set them differently from the defaults (24 h / at once / 72 h / 5 days).
CREATE TABLE incident_clock_rules (
    ruleset                TEXT PRIMARY KEY,
    initial_hours          BIGINT NOT NULL,
    serious_initial_hours  BIGINT NOT NULL,
    cause_hours            BIGINT NOT NULL,
    closing_days           BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL
);
