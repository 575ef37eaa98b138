-- Evidence behind a progress report or a recurring duty done (issue 15.3, 15.5): the file, its
-- SHA-256 and who attached it; `subject` says what it backs, `subject_id` which one.
CREATE TABLE evidence_files (
    id            BIGSERIAL PRIMARY KEY,
    subject       TEXT NOT NULL,
    subject_id    BIGINT NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    data          BYTEA NOT NULL,
    uploaded_by   BIGINT NOT NULL REFERENCES users(id),
    uploader_name TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX evidence_files_subject ON evidence_files(subject, subject_id, id);
