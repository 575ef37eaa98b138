-- Files attached to a level dossier (design documents, justifications, expert opinions),
-- kept in the database so every node of a cluster serves them, with their SHA-256.
CREATE TABLE dossier_attachments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id    INTEGER NOT NULL REFERENCES dossiers(id),
    part          TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    uploaded_by   INTEGER NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX dossier_attachments_dossier ON dossier_attachments(dossier_id);
