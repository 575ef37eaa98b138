-- The city's figure of each indicator and period, kept beside the units' figures and rewritten
-- with them, so the city's trend is read without summing every unit's rows; and a unit's own
-- figures read by the unit (its index page) without scanning the indicator's.
CREATE INDEX indicator_values_unit ON indicator_values(unit_id, indicator_id, period);

CREATE TABLE indicator_totals (
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    period       TEXT NOT NULL,
    numerator    INTEGER NOT NULL,
    denominator  INTEGER NOT NULL,
    manual       INTEGER NOT NULL,
    PRIMARY KEY (indicator_id, period)
);

INSERT INTO indicator_totals (indicator_id, period, numerator, denominator, manual)
SELECT indicator_id, period, SUM(numerator), SUM(denominator), MAX(manual) FROM indicator_values GROUP BY indicator_id, period;
