-- Remote TAXII collections (e.g. the national centre's) that a local collection is pushed to on
-- a schedule, and the outcome of every push.
CREATE TABLE taxii_remotes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    url            TEXT NOT NULL,
    username       TEXT,
    secret         TEXT,
    collection_id  TEXT NOT NULL REFERENCES taxii_collections(id),
    last_seq       INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);

CREATE TABLE taxii_pushes (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    remote_id         INTEGER NOT NULL REFERENCES taxii_remotes(id),
    at                INTEGER NOT NULL,
    objects           INTEGER NOT NULL,
    http_status       INTEGER,
    status            TEXT,
    success_count     INTEGER,
    failure_count     INTEGER,
    error             TEXT
);
CREATE INDEX taxii_pushes_remote ON taxii_pushes(remote_id, id);
