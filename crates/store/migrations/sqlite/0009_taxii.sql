-- TAXII 2.1: collections (owned by a unit, whose incidents they share), which API tokens may
-- read or write each one, the STIX objects with every version, and the status of each POST.
CREATE TABLE taxii_collections (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    description  TEXT,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    created_at   INTEGER NOT NULL
);

CREATE TABLE taxii_access (
    collection_id  TEXT NOT NULL REFERENCES taxii_collections(id),
    token_id       INTEGER NOT NULL REFERENCES api_tokens(id),
    can_read       INTEGER NOT NULL,
    can_write      INTEGER NOT NULL,
    PRIMARY KEY (collection_id, token_id)
);

CREATE TABLE taxii_objects (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    collection_id  TEXT NOT NULL REFERENCES taxii_collections(id),
    stix_id        TEXT NOT NULL,
    stix_type      TEXT NOT NULL,
    spec_version   TEXT NOT NULL,
    version        TEXT NOT NULL,
    date_added     INTEGER NOT NULL,
    is_first       INTEGER NOT NULL,
    is_last        INTEGER NOT NULL,
    body           TEXT NOT NULL,
    UNIQUE (collection_id, stix_id, version)
);
CREATE INDEX taxii_objects_added ON taxii_objects(collection_id, date_added, seq);
CREATE INDEX taxii_objects_id ON taxii_objects(collection_id, stix_id);

CREATE TABLE taxii_status (
    id                 TEXT PRIMARY KEY,
    collection_id      TEXT NOT NULL REFERENCES taxii_collections(id),
    token_id           INTEGER,
    request_timestamp  INTEGER NOT NULL,
    total_count        INTEGER NOT NULL,
    success_count      INTEGER NOT NULL,
    failure_count      INTEGER NOT NULL,
    details            TEXT NOT NULL
);
