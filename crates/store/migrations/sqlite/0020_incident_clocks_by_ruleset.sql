-- Issue 12: the incident clocks per ruleset (QĐ 05/2017 and TT 20/2017 beside NĐ 85; NĐ 331 Đ31.2.d;
-- Luật 91/2025 Đ23; a city overlay), and the initial report's missing fields (QĐ 05 Đ11.4).
ALTER TABLE incidents ADD COLUMN notice_due INTEGER;
ALTER TABLE incidents ADD COLUMN notice_met INTEGER;
ALTER TABLE incidents ADD COLUMN security_due INTEGER;
ALTER TABLE incidents ADD COLUMN security_met INTEGER;
ALTER TABLE incidents ADD COLUMN personal_data_due INTEGER;
ALTER TABLE incidents ADD COLUMN personal_data_met INTEGER;
ALTER TABLE incidents ADD COLUMN city_due INTEGER;
ALTER TABLE incidents ADD COLUMN city_met INTEGER;
-- When each flag was said (the clocks that hang on it count from then).
ALTER TABLE incidents ADD COLUMN beyond_capacity_since INTEGER;
ALTER TABLE incidents ADD COLUMN security_signs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN security_since INTEGER;
ALTER TABLE incidents ADD COLUMN personal_data_breach INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN personal_data_since INTEGER;
ALTER TABLE incidents ADD COLUMN operator_address TEXT;
ALTER TABLE incidents ADD COLUMN reporter_position TEXT;
ALTER TABLE incidents ADD COLUMN owning_body TEXT;
UPDATE incidents SET beyond_capacity_since = reported_at WHERE beyond_capacity = 1;
-- The standing body's clock settings, as JSON of every clock (the old four-column table is read
-- when a ruleset has no row here).
CREATE TABLE incident_clock_settings (
    ruleset     TEXT PRIMARY KEY,
    rules       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
