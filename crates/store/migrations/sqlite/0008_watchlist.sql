-- Indicators received from outside (e.g. the national centre's STIX bundles): a city-wide
-- watch list that "where else did we see this?" also searches.
CREATE TABLE watchlist (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    stix_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    value        TEXT NOT NULL,
    name         TEXT,
    valid_from   INTEGER,
    valid_until  INTEGER,
    tlp          TEXT,
    labels       TEXT NOT NULL DEFAULT '',
    source       TEXT,
    imported_at  INTEGER NOT NULL,
    imported_by  TEXT NOT NULL,
    UNIQUE (stix_id, kind, value)
);
CREATE INDEX watchlist_value ON watchlist(value, kind);
