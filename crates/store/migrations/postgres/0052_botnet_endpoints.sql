-- Botnet IPs inside state networks (issue 18.5): one case per address, from a sensor's event
-- or a national centre's list, through notified → cleaned (evidence) → verified; detected
-- again after that, it reopens. Endpoint protection (issue 18.4): each host's last status report.
CREATE TABLE botnet_cases (
    id            BIGSERIAL PRIMARY KEY,
    ip            TEXT NOT NULL UNIQUE,
    unit_id       BIGINT REFERENCES units(id),
    system_id     BIGINT REFERENCES systems(id),
    family        TEXT NOT NULL,
    feed          TEXT NOT NULL,
    state         TEXT NOT NULL,
    first_seen    BIGINT NOT NULL,
    last_seen     BIGINT NOT NULL,
    detections    BIGINT NOT NULL,
    reopened      BIGINT NOT NULL DEFAULT 0,
    notified_at   BIGINT,
    cleaned_at    BIGINT,
    evidence      TEXT,
    verified_at   BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX botnet_cases_unit ON botnet_cases(unit_id, state);

CREATE TABLE endpoints (
    id               BIGSERIAL PRIMARY KEY,
    unit_id          BIGINT NOT NULL REFERENCES units(id),
    system_id        BIGINT REFERENCES systems(id),
    host             TEXT NOT NULL,
    ip               TEXT NOT NULL,
    agent            TEXT,
    product          TEXT,
    signature_date   TEXT,
    reports_to_ncsc  BIGINT NOT NULL,
    first_seen       BIGINT NOT NULL,
    last_seen        BIGINT NOT NULL,
    UNIQUE (unit_id, host)
);
