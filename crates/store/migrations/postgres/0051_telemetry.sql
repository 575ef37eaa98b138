-- SOC telemetry (issue 18): each batch received (an HTTP request or a NATS message, whose key
-- makes a redelivery a no-op), the raw events kept compressed by day received and retention
-- class (the level of their system), alerts de-duplicated by source, rule, asset and hour, and
-- each system's events per day (what "monitored" and the charts read).
CREATE TABLE telemetry_batches (
    id            BIGSERIAL PRIMARY KEY,
    source_key    TEXT NOT NULL UNIQUE,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    token_id      BIGINT REFERENCES api_tokens(id),
    channel       TEXT NOT NULL,
    received_at   BIGINT NOT NULL,
    accepted      BIGINT NOT NULL,
    rejected      BIGINT NOT NULL,
    unattributed  BIGINT NOT NULL
);
CREATE INDEX telemetry_batches_user ON telemetry_batches(user_id, received_at);
CREATE INDEX telemetry_batches_received ON telemetry_batches(received_at);

CREATE TABLE telemetry_chunks (
    id        BIGSERIAL PRIMARY KEY,
    batch_id  BIGINT NOT NULL REFERENCES telemetry_batches(id),
    day       TEXT NOT NULL,
    level     BIGINT NOT NULL,
    events    BIGINT NOT NULL,
    body      BYTEA NOT NULL
);
CREATE INDEX telemetry_chunks_day ON telemetry_chunks(day, level);
CREATE INDEX telemetry_chunks_batch ON telemetry_chunks(batch_id);

CREATE TABLE telemetry_alerts (
    id           BIGSERIAL PRIMARY KEY,
    dedup_key    TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    unit_id      BIGINT REFERENCES units(id),
    system_id    BIGINT REFERENCES systems(id),
    shape        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    rule         TEXT NOT NULL,
    title        TEXT NOT NULL,
    severity     BIGINT NOT NULL,
    asset        TEXT NOT NULL,
    src_ip       TEXT,
    dst_ip       TEXT,
    host         TEXT,
    first_seen   BIGINT NOT NULL,
    last_seen    BIGINT NOT NULL,
    event_count  BIGINT NOT NULL
);
CREATE INDEX telemetry_alerts_unit ON telemetry_alerts(unit_id, last_seen);
CREATE INDEX telemetry_alerts_last ON telemetry_alerts(last_seen);

CREATE TABLE telemetry_daily (
    day        TEXT NOT NULL,
    system_id  BIGINT NOT NULL REFERENCES systems(id),
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    events     BIGINT NOT NULL,
    alerts     BIGINT NOT NULL,
    PRIMARY KEY (day, system_id)
);
CREATE INDEX telemetry_daily_unit ON telemetry_daily(unit_id, day);
