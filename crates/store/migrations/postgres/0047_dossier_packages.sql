-- A level dossier's package for an outside appraiser (issue 17.3): the ZIP as built (issued
-- documents, attachments, manifest, sums), its SHA-256, and the appraiser's receipt.
CREATE TABLE dossier_packages (
    id                  BIGSERIAL PRIMARY KEY,
    dossier_id          BIGINT NOT NULL REFERENCES dossiers(id),
    sha256              TEXT NOT NULL,
    size_bytes          BIGINT NOT NULL,
    file_count          BIGINT NOT NULL,
    manifest            TEXT NOT NULL,
    data                BYTEA NOT NULL,
    built_by            BIGINT NOT NULL REFERENCES users(id),
    built_by_name       TEXT NOT NULL,
    built_at            BIGINT NOT NULL,
    received_by         TEXT,
    received_on         TEXT,
    receipt_ref         TEXT,
    receipt_recorded_by TEXT,
    receipt_recorded_at BIGINT
);
CREATE INDEX dossier_packages_dossier ON dossier_packages(dossier_id);
