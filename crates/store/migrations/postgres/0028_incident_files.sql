-- Files attached to an incident (issue 14.9): logs, screenshots, signed scans; checked by
-- content like dossier attachments, stored with their SHA-256.
CREATE TABLE incident_files (
    id            BIGSERIAL PRIMARY KEY,
    incident_id   BIGINT NOT NULL REFERENCES incidents(id),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    data          BYTEA NOT NULL,
    uploaded_by   BIGINT NOT NULL REFERENCES users(id),
    uploader_name TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX incident_files_incident ON incident_files(incident_id, id);
