-- Specialist staff (issue 15.7): who holds a unit's security role, full-time (NĐ 179/2025
-- support) or alongside another post, and their certificates with expiry.
CREATE TABLE security_staff (
    id          BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    full_name   TEXT NOT NULL,
    position    TEXT NOT NULL,
    role        TEXT NOT NULL,
    since       TEXT NOT NULL,
    qualifications TEXT NOT NULL,
    active      BIGINT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX security_staff_unit ON security_staff(unit_id, active);

CREATE TABLE staff_certificates (
    id          BIGSERIAL PRIMARY KEY,
    staff_id    BIGINT NOT NULL REFERENCES security_staff(id),
    name        TEXT NOT NULL,
    issuer      TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    expires_on  TEXT,
    created_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX staff_certificates_staff ON staff_certificates(staff_id);
CREATE INDEX staff_certificates_expiry ON staff_certificates(expires_on);
