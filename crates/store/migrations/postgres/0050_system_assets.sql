-- A system's light inventory (issue 17.6; TCVN 14423's hardware, software and information
-- assets): imported from CSV or XLSX, a system's list replaced whole by each import.
CREATE TABLE system_assets (
    id             BIGSERIAL PRIMARY KEY,
    system_id      BIGINT NOT NULL REFERENCES systems(id),
    asset_group    TEXT NOT NULL,
    name           TEXT NOT NULL,
    version        TEXT,
    owner          TEXT,
    end_of_support TEXT,
    notes          TEXT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX system_assets_system ON system_assets(system_id);
