-- Recurring obligations of a system by its approved level (issue 15.5): the authority's edits
-- of the ruleset's periods (the built-in periods live in the domain; a row here replaces one),
-- and each time a duty was done (by hand, by a scan import, an assessment or a drill).
CREATE TABLE obligation_rules (
    ruleset    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    level      BIGINT NOT NULL,
    -- 0: no such duty at this level.
    months     BIGINT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (ruleset, kind, level)
);

CREATE TABLE obligation_occurrences (
    id          BIGSERIAL PRIMARY KEY,
    system_id   BIGINT NOT NULL REFERENCES systems(id),
    kind        TEXT NOT NULL,
    done_on     TEXT NOT NULL,
    source      TEXT NOT NULL,
    ref_id      BIGINT,
    note        TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX obligation_occurrences_system ON obligation_occurrences(system_id, kind, done_on);
