-- Reviews that can be judged (issue 14.3). A part of a dossier is complete with a file attached
-- or with an explicit "not applicable" and its reason, written here by the owner unit.
CREATE TABLE dossier_part_exemptions (
    dossier_id  BIGINT NOT NULL REFERENCES dossiers(id),
    part        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    set_by      BIGINT NOT NULL REFERENCES users(id),
    set_at      BIGINT NOT NULL,
    PRIMARY KEY (dossier_id, part)
);

-- The written opinion of each return, appraisal and approval, kept across rounds; each can be
-- produced as a document.
CREATE TABLE dossier_opinions (
    id              BIGSERIAL PRIMARY KEY,
    dossier_id      BIGINT NOT NULL REFERENCES dossiers(id),
    step            TEXT NOT NULL,
    opinion         TEXT NOT NULL,
    author_user_id  BIGINT NOT NULL REFERENCES users(id),
    author_name     TEXT NOT NULL,
    author_unit_id  BIGINT NOT NULL REFERENCES units(id),
    at              BIGINT NOT NULL
);
CREATE INDEX dossier_opinions_dossier ON dossier_opinions(dossier_id, id);

-- dossiers.parts now lists the complete parts (those with a file), kept by the store; a dossier
-- still open to edits keeps only the parts it has files for (a ticked box was not a document).
UPDATE dossiers SET parts = COALESCE((SELECT string_agg(part, ',') FROM (SELECT DISTINCT part FROM dossier_attachments a WHERE a.dossier_id = dossiers.id) x), '')
WHERE state IN ('draft', 'returned');
