-- How long raw telemetry is kept per level (issue 18.3), where the authority keeps it longer
-- than TCVN 14423:2026's log retention (the defaults, held in code); 0 is "no approved level".
CREATE TABLE telemetry_retention (
    level   INTEGER PRIMARY KEY,
    days    INTEGER NOT NULL,
    set_by  TEXT NOT NULL,
    set_at  INTEGER NOT NULL
);
