-- Remote TAXII collections (e.g. the national centre's) that a local collection is pushed to on
-- a schedule, and the outcome of every push.
CREATE TABLE taxii_remotes (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT NOT NULL,
    url            TEXT NOT NULL,
    username       TEXT,
    secret         TEXT,
    collection_id  TEXT NOT NULL REFERENCES taxii_collections(id),
    last_seq       BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL
);

CREATE TABLE taxii_pushes (
    id                BIGSERIAL PRIMARY KEY,
    remote_id         BIGINT NOT NULL REFERENCES taxii_remotes(id),
    at                BIGINT NOT NULL,
    objects           BIGINT NOT NULL,
    http_status       BIGINT,
    status            TEXT,
    success_count     BIGINT,
    failure_count     BIGINT,
    error             TEXT
);
CREATE INDEX taxii_pushes_remote ON taxii_pushes(remote_id, id);
