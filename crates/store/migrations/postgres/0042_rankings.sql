-- The cybersecurity index (issue 16.3): versioned scoring models, rankings per unit type and
-- period (draft until published, frozen after), and each unit's score explained.
CREATE TABLE index_models (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    version    BIGINT NOT NULL,
    model      TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    UNIQUE (name, version)
);

CREATE TABLE rankings (
    id           BIGSERIAL PRIMARY KEY,
    model_id     BIGINT NOT NULL REFERENCES index_models(id),
    unit_type    TEXT NOT NULL,
    period       TEXT NOT NULL,
    published    BIGINT NOT NULL,
    computed_by  BIGINT NOT NULL REFERENCES users(id),
    computed_at  BIGINT NOT NULL,
    published_at BIGINT,
    UNIQUE (model_id, unit_type, period)
);

CREATE TABLE ranking_rows (
    ranking_id BIGINT NOT NULL REFERENCES rankings(id),
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    position   BIGINT NOT NULL,
    points_cp  BIGINT NOT NULL,
    band       TEXT NOT NULL,
    downgraded BIGINT NOT NULL,
    criteria   TEXT NOT NULL,
    PRIMARY KEY (ranking_id, unit_id)
);
CREATE INDEX ranking_rows_unit ON ranking_rows(unit_id);
