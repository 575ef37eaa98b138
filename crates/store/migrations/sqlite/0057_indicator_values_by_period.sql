-- A computation writes an indicator's figures period by period, unit after unit: keyed in that
-- order (and without a separate rowid tree) each write appends where the last one ended, and the
-- (indicator, period) index the old key needed beside it is gone (issue 16, the 3-year target).
CREATE TABLE indicator_values_by_period (
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    period       TEXT NOT NULL,
    numerator    INTEGER NOT NULL,
    denominator  INTEGER NOT NULL,
    manual       INTEGER NOT NULL,
    note         TEXT NOT NULL,
    recorded_by  INTEGER NOT NULL REFERENCES users(id),
    recorded_at  INTEGER NOT NULL,
    PRIMARY KEY (indicator_id, period, unit_id)
) WITHOUT ROWID;
INSERT INTO indicator_values_by_period (indicator_id, unit_id, period, numerator, denominator, manual, note, recorded_by, recorded_at)
SELECT indicator_id, unit_id, period, numerator, denominator, manual, note, recorded_by, recorded_at FROM indicator_values;
DROP TABLE indicator_values;
ALTER TABLE indicator_values_by_period RENAME TO indicator_values;
CREATE INDEX indicator_values_unit ON indicator_values(unit_id, indicator_id, period);
