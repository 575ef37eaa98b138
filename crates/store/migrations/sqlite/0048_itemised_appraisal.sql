-- Itemised appraisal (issue 17.4): every submission of a dossier frozen as a snapshot (JSON and
-- its SHA-256); the appraiser's comments per part or requirement and the unit's answers; the
-- unit types whose dossiers the unit's manager checks before they go.
CREATE TABLE dossier_submissions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id        INTEGER NOT NULL REFERENCES dossiers(id),
    seq               INTEGER NOT NULL,
    snapshot          TEXT NOT NULL,
    sha256            TEXT NOT NULL,
    submitted_by_name TEXT NOT NULL,
    submitted_at      INTEGER NOT NULL,
    UNIQUE (dossier_id, seq)
);
CREATE TABLE dossier_comments (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id       INTEGER NOT NULL REFERENCES dossiers(id),
    submission_seq   INTEGER NOT NULL,
    part             TEXT,
    requirement      TEXT,
    body             TEXT NOT NULL,
    author_name      TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    answer           TEXT,
    answered_by_name TEXT,
    answered_at      INTEGER
);
CREATE INDEX dossier_comments_dossier ON dossier_comments(dossier_id);
CREATE TABLE dossier_manager_check (
    unit_type TEXT PRIMARY KEY
);
