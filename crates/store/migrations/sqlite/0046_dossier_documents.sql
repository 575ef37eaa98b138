-- The authority's own DOCX templates (issue 17.2): versions per document type and ruleset,
-- the fields each uses, and at most one default per type and ruleset.
CREATE TABLE document_templates (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    form             TEXT NOT NULL,
    ruleset          TEXT NOT NULL,
    name             TEXT NOT NULL,
    version          INTEGER NOT NULL,
    docx             BLOB NOT NULL,
    sha256           TEXT NOT NULL,
    fields           TEXT NOT NULL,
    is_default       INTEGER NOT NULL DEFAULT 0,
    uploaded_by      INTEGER NOT NULL REFERENCES users(id),
    uploaded_by_name TEXT NOT NULL,
    uploaded_at      INTEGER NOT NULL,
    UNIQUE (form, ruleset, name, version)
);
CREATE UNIQUE INDEX document_templates_default ON document_templates(form, ruleset) WHERE is_default = 1;

-- Documents issued from a level dossier's data (issue 17.1): NĐ 331's forms and the dossier
-- statement, each kept as DOCX and PDF with their SHA-256 and the data they were filled from
-- (as JSON, and its SHA-256: the data version). One issued from the authority's own template
-- (issue 17.2) is kept as its DOCX only: Khiên does not turn a foreign layout into PDF.
CREATE TABLE dossier_documents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id      INTEGER NOT NULL REFERENCES dossiers(id),
    form            TEXT NOT NULL,
    number          TEXT,
    data            TEXT NOT NULL,
    data_sha256     TEXT NOT NULL,
    docx            BLOB NOT NULL,
    docx_sha256     TEXT NOT NULL,
    pdf             BLOB,
    pdf_sha256      TEXT,
    template_id     INTEGER REFERENCES document_templates(id),
    issued_by       INTEGER NOT NULL REFERENCES users(id),
    issued_by_name  TEXT NOT NULL,
    issued_at       INTEGER NOT NULL
);
CREATE INDEX dossier_documents_dossier ON dossier_documents(dossier_id, form);
