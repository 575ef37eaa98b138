-- Files attached to an incident (issue 14.9): logs, screenshots, signed scans; checked by
-- content like dossier attachments, stored with their SHA-256.
CREATE TABLE incident_files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id   INTEGER NOT NULL REFERENCES incidents(id),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    uploaded_by   INTEGER NOT NULL REFERENCES users(id),
    uploader_name TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX incident_files_incident ON incident_files(incident_id, id);
