-- Indicators (issue 16.1, 16.2): a figure against yearly targets, by a measure of a documented
-- set; its values per unit subtree and period, computed (kept as snapshots, recomputed only
-- when asked) or entered by hand where Khiên does not hold the data.
CREATE TABLE indicators (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    plan_number TEXT NOT NULL,
    measure     TEXT NOT NULL,
    -- "2023:8000,2024:9000": year and target in basis points.
    targets     TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE indicator_values (
    indicator_id BIGINT NOT NULL REFERENCES indicators(id),
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    period       TEXT NOT NULL,
    numerator    BIGINT NOT NULL,
    denominator  BIGINT NOT NULL,
    manual       BIGINT NOT NULL,
    note         TEXT NOT NULL,
    recorded_by  BIGINT NOT NULL REFERENCES users(id),
    recorded_at  BIGINT NOT NULL,
    PRIMARY KEY (indicator_id, unit_id, period)
);
CREATE INDEX indicator_values_period ON indicator_values(indicator_id, period);
