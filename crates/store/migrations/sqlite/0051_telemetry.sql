-- SOC telemetry (issue 18): each batch received (an HTTP request or a NATS message, whose key
-- makes a redelivery a no-op), the raw events kept compressed by day received and retention
-- class (the level of their system), alerts de-duplicated by source, rule, asset and hour, and
-- each system's events per day (what "monitored" and the charts read).
CREATE TABLE telemetry_batches (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    source_key    TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    token_id      INTEGER REFERENCES api_tokens(id),
    channel       TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    accepted      INTEGER NOT NULL,
    rejected      INTEGER NOT NULL,
    unattributed  INTEGER NOT NULL
);
CREATE INDEX telemetry_batches_user ON telemetry_batches(user_id, received_at);
CREATE INDEX telemetry_batches_received ON telemetry_batches(received_at);

CREATE TABLE telemetry_chunks (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id  INTEGER NOT NULL REFERENCES telemetry_batches(id),
    day       TEXT NOT NULL,
    level     INTEGER NOT NULL,
    events    INTEGER NOT NULL,
    body      BLOB NOT NULL
);
CREATE INDEX telemetry_chunks_day ON telemetry_chunks(day, level);
CREATE INDEX telemetry_chunks_batch ON telemetry_chunks(batch_id);

CREATE TABLE telemetry_alerts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    dedup_key    TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    unit_id      INTEGER REFERENCES units(id),
    system_id    INTEGER REFERENCES systems(id),
    shape        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    rule         TEXT NOT NULL,
    title        TEXT NOT NULL,
    severity     INTEGER NOT NULL,
    asset        TEXT NOT NULL,
    src_ip       TEXT,
    dst_ip       TEXT,
    host         TEXT,
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    event_count  INTEGER NOT NULL
);
CREATE INDEX telemetry_alerts_unit ON telemetry_alerts(unit_id, last_seen);
CREATE INDEX telemetry_alerts_last ON telemetry_alerts(last_seen);

CREATE TABLE telemetry_daily (
    day        TEXT NOT NULL,
    system_id  INTEGER NOT NULL REFERENCES systems(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    events     INTEGER NOT NULL,
    alerts     INTEGER NOT NULL,
    PRIMARY KEY (day, system_id)
);
CREATE INDEX telemetry_daily_unit ON telemetry_daily(unit_id, day);
