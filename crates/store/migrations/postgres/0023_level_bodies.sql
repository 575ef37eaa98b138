-- Issue 12: the owning body (chủ quản, or the unit it delegated in writing) and its dedicated
-- security unit, as the authority names them (NĐ 85 Đ12; NĐ 331 Đ18, Đ20). One row.
CREATE TABLE level_bodies (
    id                  BIGINT PRIMARY KEY CHECK (id = 1),
    owning_body_unit_id BIGINT REFERENCES units(id),
    delegation_ref      TEXT,
    dedicated_unit_id   BIGINT REFERENCES units(id),
    updated_at          BIGINT NOT NULL
);
