-- The consultation register (issue 15.4): a draft sent to units for comments, each unit's reply
-- ("agreed" or comments per section) and the drafting body's answer to every comment.
CREATE TABLE consultations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    title            TEXT NOT NULL,
    drafting_unit_id INTEGER NOT NULL REFERENCES units(id),
    due_on           TEXT NOT NULL,
    closed           INTEGER NOT NULL,
    created_by       INTEGER NOT NULL REFERENCES users(id),
    created_at       INTEGER NOT NULL
);

CREATE TABLE consultation_units (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    position        INTEGER NOT NULL,
    -- Set when the unit has replied; agreed = 1 while its reply holds no comment.
    replied_at      INTEGER,
    agreed          INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, unit_id)
);
CREATE INDEX consultation_units_unit ON consultation_units(unit_id);

CREATE TABLE consultation_comments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    section         TEXT NOT NULL,
    body            TEXT NOT NULL,
    answer          TEXT,
    reason          TEXT NOT NULL,
    answered_by     INTEGER REFERENCES users(id),
    answered_at     INTEGER,
    created_by      INTEGER NOT NULL REFERENCES users(id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX consultation_comments_of ON consultation_comments(consultation_id, unit_id, id);
