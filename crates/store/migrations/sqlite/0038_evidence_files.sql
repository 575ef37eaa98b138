-- Evidence behind a progress report or a recurring duty done (issue 15.3, 15.5): the file, its
-- SHA-256 and who attached it; `subject` says what it backs, `subject_id` which one.
CREATE TABLE evidence_files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subject       TEXT NOT NULL,
    subject_id    INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    uploaded_by   INTEGER NOT NULL REFERENCES users(id),
    uploader_name TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX evidence_files_subject ON evidence_files(subject, subject_id, id);
