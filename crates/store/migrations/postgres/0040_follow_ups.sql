-- Follow-up of a drill or training (issue 15.6): what a unit must fix or do after it, by when,
-- and when and how it was done.
CREATE TABLE follow_ups (
    id          BIGSERIAL PRIMARY KEY,
    training_id BIGINT NOT NULL REFERENCES trainings(id),
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    body        TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    done_on     TEXT,
    done_note   TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX follow_ups_training ON follow_ups(training_id, id);
CREATE INDEX follow_ups_open ON follow_ups(unit_id, done_on, due_on);
