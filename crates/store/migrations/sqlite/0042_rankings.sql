-- The cybersecurity index (issue 16.3): versioned scoring models, rankings per unit type and
-- period (draft until published, frozen after), and each unit's score explained.
CREATE TABLE index_models (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    model      TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (name, version)
);

CREATE TABLE rankings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id     INTEGER NOT NULL REFERENCES index_models(id),
    unit_type    TEXT NOT NULL,
    period       TEXT NOT NULL,
    published    INTEGER NOT NULL,
    computed_by  INTEGER NOT NULL REFERENCES users(id),
    computed_at  INTEGER NOT NULL,
    published_at INTEGER,
    UNIQUE (model_id, unit_type, period)
);

CREATE TABLE ranking_rows (
    ranking_id INTEGER NOT NULL REFERENCES rankings(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    position   INTEGER NOT NULL,
    points_cp  INTEGER NOT NULL,
    band       TEXT NOT NULL,
    downgraded INTEGER NOT NULL,
    criteria   TEXT NOT NULL,
    PRIMARY KEY (ranking_id, unit_id)
);
CREATE INDEX ranking_rows_unit ON ranking_rows(unit_id);
