-- Indicators received from outside (e.g. the national centre's STIX bundles): a city-wide
-- watch list that "where else did we see this?" also searches.
CREATE TABLE watchlist (
    id           BIGSERIAL PRIMARY KEY,
    stix_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    value        TEXT NOT NULL,
    name         TEXT,
    valid_from   BIGINT,
    valid_until  BIGINT,
    tlp          TEXT,
    labels       TEXT NOT NULL DEFAULT '',
    source       TEXT,
    imported_at  BIGINT NOT NULL,
    imported_by  TEXT NOT NULL,
    UNIQUE (stix_id, kind, value)
);
CREATE INDEX watchlist_value ON watchlist(value, kind);
