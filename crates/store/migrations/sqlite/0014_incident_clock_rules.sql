-- The reporting deadlines of incidents, per ruleset (chosen by the detection date), where the
-- standing body set them differently from the defaults (24 h / at once / 72 h / 5 days).
CREATE TABLE incident_clock_rules (
    ruleset                TEXT PRIMARY KEY,
    initial_hours          INTEGER NOT NULL,
    serious_initial_hours  INTEGER NOT NULL,
    cause_hours            INTEGER NOT NULL,
    closing_days           INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);
