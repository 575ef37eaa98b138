-- Itemised appraisal (issue 17.4): every submission of a dossier frozen as a snapshot (JSON and
-- its SHA-256); the appraiser's comments per part or requirement and the unit's answers; the
-- unit types whose dossiers the unit's manager checks before they go.
CREATE TABLE dossier_submissions (
    id                BIGSERIAL PRIMARY KEY,
    dossier_id        BIGINT NOT NULL REFERENCES dossiers(id),
    seq               BIGINT NOT NULL,
    snapshot          TEXT NOT NULL,
    sha256            TEXT NOT NULL,
    submitted_by_name TEXT NOT NULL,
    submitted_at      BIGINT NOT NULL,
    UNIQUE (dossier_id, seq)
);
CREATE TABLE dossier_comments (
    id               BIGSERIAL PRIMARY KEY,
    dossier_id       BIGINT NOT NULL REFERENCES dossiers(id),
    submission_seq   BIGINT NOT NULL,
    part             TEXT,
    requirement      TEXT,
    body             TEXT NOT NULL,
    author_name      TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    answer           TEXT,
    answered_by_name TEXT,
    answered_at      BIGINT
);
CREATE INDEX dossier_comments_dossier ON dossier_comments(dossier_id);
CREATE TABLE dossier_manager_check (
    unit_type TEXT PRIMARY KEY
);
