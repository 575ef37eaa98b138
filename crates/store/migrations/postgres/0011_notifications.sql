-- In-app reminders (and the e-mail sent for each): overdue incident clocks, overdue dossier
-- steps. One per person and event: the dedupe key makes a sweep safe to repeat.
CREATE TABLE notifications (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    dedupe_key   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    message_vi   TEXT NOT NULL,
    message_en   TEXT NOT NULL,
    link         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    read_at      BIGINT,
    emailed_at   BIGINT,
    email_error  TEXT,
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, id);
