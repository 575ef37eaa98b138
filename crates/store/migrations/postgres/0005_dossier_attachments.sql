-- Files attached to a level dossier (design documents, justifications, expert opinions),
-- kept in the database so every node of a cluster serves them, with their SHA-256.
CREATE TABLE dossier_attachments (
    id            BIGSERIAL PRIMARY KEY,
    dossier_id    BIGINT NOT NULL REFERENCES dossiers(id),
    part          TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    data          BYTEA NOT NULL,
    uploaded_by   BIGINT NOT NULL REFERENCES users(id),
    created_at    BIGINT NOT NULL
);
CREATE INDEX dossier_attachments_dossier ON dossier_attachments(dossier_id);
