-- Botnet IPs inside state networks (issue 18.5): one case per address, from a sensor's event
-- or a national centre's list, through notified → cleaned (evidence) → verified; detected
-- again after that, it reopens. Endpoint protection (issue 18.4): each host's last status report.
CREATE TABLE botnet_cases (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ip            TEXT NOT NULL UNIQUE,
    unit_id       INTEGER REFERENCES units(id),
    system_id     INTEGER REFERENCES systems(id),
    family        TEXT NOT NULL,
    feed          TEXT NOT NULL,
    state         TEXT NOT NULL,
    first_seen    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL,
    detections    INTEGER NOT NULL,
    reopened      INTEGER NOT NULL DEFAULT 0,
    notified_at   INTEGER,
    cleaned_at    INTEGER,
    evidence      TEXT,
    verified_at   INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX botnet_cases_unit ON botnet_cases(unit_id, state);

CREATE TABLE endpoints (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id          INTEGER NOT NULL REFERENCES units(id),
    system_id        INTEGER REFERENCES systems(id),
    host             TEXT NOT NULL,
    ip               TEXT NOT NULL,
    agent            TEXT,
    product          TEXT,
    signature_date   TEXT,
    reports_to_ncsc  INTEGER NOT NULL,
    first_seen       INTEGER NOT NULL,
    last_seen        INTEGER NOT NULL,
    UNIQUE (unit_id, host)
);
