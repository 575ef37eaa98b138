-- The registry's depth (issue 17.5): what authorities ask of a system beyond its level facts,
-- one row per detail held; and the details the authority requires (a first choice it can change).
CREATE TABLE system_details (
    system_id  BIGINT NOT NULL REFERENCES systems(id),
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (system_id, field)
);
CREATE TABLE registry_required_fields (
    field TEXT PRIMARY KEY
);
INSERT INTO registry_required_fields (field) VALUES
    ('business_contact_name'), ('business_contact_phone'), ('technical_contact_name'),
    ('technical_contact_phone'), ('tech_stack'), ('rpo_hours'), ('rto_hours'), ('backup'),
    ('last_pentest_on'), ('mfa');
