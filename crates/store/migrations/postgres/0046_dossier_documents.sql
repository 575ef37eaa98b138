-- Documents issued from a level dossier's data (issue 17.1): NĐ 331's forms and the dossier
-- statement, each kept as DOCX and PDF with their SHA-256 and the data they were filled from
-- (as JSON, and its SHA-256: the data version).
CREATE TABLE dossier_documents (
    id              BIGSERIAL PRIMARY KEY,
    dossier_id      BIGINT NOT NULL REFERENCES dossiers(id),
    form            TEXT NOT NULL,
    number          TEXT,
    data            TEXT NOT NULL,
    data_sha256     TEXT NOT NULL,
    docx            BYTEA NOT NULL,
    docx_sha256     TEXT NOT NULL,
    pdf             BYTEA NOT NULL,
    pdf_sha256      TEXT NOT NULL,
    issued_by       BIGINT NOT NULL REFERENCES users(id),
    issued_by_name  TEXT NOT NULL,
    issued_at       BIGINT NOT NULL
);
CREATE INDEX dossier_documents_dossier ON dossier_documents(dossier_id, form);
