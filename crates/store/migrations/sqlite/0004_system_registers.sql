-- A system's data-sharing connections (APIs) and its digital-signature tokens/certificates.

CREATE TABLE system_connections (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    system_id       INTEGER NOT NULL REFERENCES systems(id),
    direction       TEXT NOT NULL,
    peer            TEXT NOT NULL,
    data_categories TEXT,
    auth_method     TEXT,
    encrypted       INTEGER NOT NULL DEFAULT 0,
    approved        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);
CREATE INDEX system_connections_system ON system_connections(system_id);

CREATE TABLE system_certificates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    system_id   INTEGER NOT NULL REFERENCES systems(id),
    kind        TEXT NOT NULL,
    holder      TEXT NOT NULL,
    serial      TEXT NOT NULL,
    issuer      TEXT NOT NULL,
    expires_on  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX system_certificates_system ON system_certificates(system_id);
CREATE INDEX system_certificates_expiry ON system_certificates(expires_on);
