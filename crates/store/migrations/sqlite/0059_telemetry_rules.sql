-- The alerts queue's word search (issue 18.7) reads a small table of the distinct rules and
-- titles, folded for Vietnamese ("quy tac" finds "quy tắc"), instead of every alert; the alerts
-- of the rules that match are then read newest first through (rule, last_seen, id). `search`
-- is filled by the store when it opens (folding is Rust's), for the rules already stored here.
CREATE TABLE telemetry_rules (
    rule   TEXT NOT NULL,
    title  TEXT NOT NULL,
    search TEXT,
    PRIMARY KEY (rule, title)
);
INSERT INTO telemetry_rules (rule, title) SELECT DISTINCT rule, title FROM telemetry_alerts;
CREATE INDEX telemetry_alerts_rule ON telemetry_alerts(rule, last_seen, id);
