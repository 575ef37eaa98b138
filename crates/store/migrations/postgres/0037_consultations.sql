-- The consultation register (issue 15.4): a draft sent to units for comments, each unit's reply
-- ("agreed" or comments per section) and the drafting body's answer to every comment.
CREATE TABLE consultations (
    id               BIGSERIAL PRIMARY KEY,
    title            TEXT NOT NULL,
    drafting_unit_id BIGINT NOT NULL REFERENCES units(id),
    due_on           TEXT NOT NULL,
    closed           BIGINT NOT NULL,
    created_by       BIGINT NOT NULL REFERENCES users(id),
    created_at       BIGINT NOT NULL
);

CREATE TABLE consultation_units (
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    position        BIGINT NOT NULL,
    -- Set when the unit has replied; agreed = 1 while its reply holds no comment.
    replied_at      BIGINT,
    agreed          BIGINT NOT NULL,
    PRIMARY KEY (consultation_id, unit_id)
);
CREATE INDEX consultation_units_unit ON consultation_units(unit_id);

CREATE TABLE consultation_comments (
    id              BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    section         TEXT NOT NULL,
    body            TEXT NOT NULL,
    answer          TEXT,
    reason          TEXT NOT NULL,
    answered_by     BIGINT REFERENCES users(id),
    answered_at     BIGINT,
    created_by      BIGINT NOT NULL REFERENCES users(id),
    created_at      BIGINT NOT NULL
);
CREATE INDEX consultation_comments_of ON consultation_comments(consultation_id, unit_id, id);
