-- Who appraises and who approves level dossiers, per ruleset and level, where the authority
-- chose differently from the ruleset's defaults (e.g. appraisal of levels 4–5 by the city).
CREATE TABLE dossier_authorities (
    ruleset     TEXT NOT NULL,
    level       INTEGER NOT NULL,
    step        TEXT NOT NULL,
    authority   TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (ruleset, level, step)
);
