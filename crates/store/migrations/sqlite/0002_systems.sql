-- Information systems registry, level dossiers, go-live exceptions and the holiday calendar.
-- Dates (no time of day) are TEXT 'YYYY-MM-DD', which sorts correctly on both stores.

CREATE TABLE systems (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    code                TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    name_folded         TEXT NOT NULL,
    owner_unit_id       INTEGER NOT NULL REFERENCES units(id),
    operator_unit_id    INTEGER REFERENCES units(id),
    purpose             TEXT,
    system_type         TEXT NOT NULL,
    info_private        INTEGER NOT NULL DEFAULT 0,
    info_personal       INTEGER NOT NULL DEFAULT 0,
    secret_grade        TEXT NOT NULL DEFAULT 'none',
    subjects_basic      INTEGER NOT NULL DEFAULT 0,
    subjects_sensitive  INTEGER NOT NULL DEFAULT 0,
    admin_procedures    INTEGER NOT NULL DEFAULT 0,
    online_service_level INTEGER NOT NULL DEFAULT 0,
    infra_scope         TEXT NOT NULL DEFAULT 'none',
    data_category       TEXT NOT NULL DEFAULT 'other',
    hosting             TEXT,
    status              TEXT NOT NULL,
    go_live_date        TEXT,
    vendor              TEXT,
    ip_ranges           TEXT NOT NULL DEFAULT '',
    domains             TEXT NOT NULL DEFAULT '',
    tags                TEXT NOT NULL DEFAULT '',
    approved_level      INTEGER,
    dossier_state       TEXT,
    onsite_team         TEXT,
    monitoring_unit     TEXT,
    monitoring_until    TEXT,
    assessed_on         TEXT,
    assessor_unit       TEXT,
    connected_since     TEXT,
    connection_ref      TEXT,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX systems_owner ON systems(owner_unit_id);
CREATE INDEX systems_name_folded ON systems(name_folded, id);
CREATE INDEX systems_status ON systems(status);

CREATE TABLE dossiers (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    system_id         INTEGER NOT NULL REFERENCES systems(id),
    state             TEXT NOT NULL,
    ruleset           TEXT NOT NULL,
    suggested_level   INTEGER NOT NULL,
    proposed_level    INTEGER NOT NULL,
    level_reason      TEXT,
    parts             TEXT NOT NULL DEFAULT '',
    comments          TEXT,
    submitted_on      TEXT,
    appraised_on      TEXT,
    approved_on       TEXT,
    decision_number   TEXT,
    decision_signer   TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX dossiers_system ON dossiers(system_id, id);
CREATE INDEX dossiers_state ON dossiers(state);

CREATE TABLE golive_exceptions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    system_id    INTEGER NOT NULL REFERENCES systems(id),
    reason       TEXT NOT NULL,
    expires_on   TEXT NOT NULL,
    recorded_by  INTEGER NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX golive_exceptions_system ON golive_exceptions(system_id, expires_on);

CREATE TABLE holidays (
    day   TEXT PRIMARY KEY,
    name  TEXT NOT NULL
);

-- A token reaches its unit's subtree only when its issuer's own grant did.
ALTER TABLE api_tokens ADD COLUMN recursive INTEGER NOT NULL DEFAULT 0;
