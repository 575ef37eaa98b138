-- Recurring obligations of a system by its approved level (issue 15.5): the authority's edits
-- of the ruleset's periods (the built-in periods live in the domain; a row here replaces one),
-- and each time a duty was done (by hand, by a scan import, an assessment or a drill).
CREATE TABLE obligation_rules (
    ruleset    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    level      INTEGER NOT NULL,
    -- 0: no such duty at this level.
    months     INTEGER NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (ruleset, kind, level)
);

CREATE TABLE obligation_occurrences (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    system_id   INTEGER NOT NULL REFERENCES systems(id),
    kind        TEXT NOT NULL,
    done_on     TEXT NOT NULL,
    source      TEXT NOT NULL,
    ref_id      INTEGER,
    note        TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX obligation_occurrences_system ON obligation_occurrences(system_id, kind, done_on);
