-- Trainings, drills and awareness campaigns (issue 15.6), the units taking part and the
-- systems a drill tested.
CREATE TABLE trainings (
    id                BIGSERIAL PRIMARY KEY,
    kind              TEXT NOT NULL,
    title             TEXT NOT NULL,
    held_on           TEXT NOT NULL,
    organiser_unit_id BIGINT NOT NULL REFERENCES units(id),
    participants      BIGINT NOT NULL,
    reach             BIGINT NOT NULL,
    response_plan     TEXT NOT NULL,
    lessons           TEXT NOT NULL,
    follow_up         TEXT NOT NULL,
    created_by        BIGINT NOT NULL REFERENCES users(id),
    created_at        BIGINT NOT NULL
);
CREATE INDEX trainings_held ON trainings(held_on, id);

CREATE TABLE training_units (
    training_id BIGINT NOT NULL REFERENCES trainings(id),
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (training_id, unit_id)
);
CREATE INDEX training_units_unit ON training_units(unit_id);

CREATE TABLE training_systems (
    training_id BIGINT NOT NULL REFERENCES trainings(id),
    system_id   BIGINT NOT NULL REFERENCES systems(id),
    PRIMARY KEY (training_id, system_id)
);
