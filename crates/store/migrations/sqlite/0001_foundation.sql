-- Foundation: units, users, roles, sessions, API tokens, audit trail.
-- Times are UTC milliseconds since the epoch. Flags are 0/1 integers on both stores.

CREATE TABLE units (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    name_folded   TEXT NOT NULL,
    unit_type     TEXT NOT NULL,
    parent_id     INTEGER REFERENCES units(id),
    path          TEXT NOT NULL,
    head_name     TEXT,
    focal_name    TEXT,
    focal_phone   TEXT,
    focal_email   TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX units_path ON units(path);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_name_folded ON units(name_folded, id);

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    username           TEXT NOT NULL UNIQUE,
    full_name          TEXT NOT NULL,
    full_name_folded   TEXT NOT NULL,
    email              TEXT,
    unit_id            INTEGER NOT NULL REFERENCES units(id),
    password_hash      TEXT NOT NULL,
    lang               TEXT NOT NULL DEFAULT 'vi',
    active             INTEGER NOT NULL DEFAULT 1,
    failed_logins      INTEGER NOT NULL DEFAULT 0,
    locked_until       INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);
CREATE INDEX users_name_folded ON users(full_name_folded, id);

CREATE TABLE role_assignments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    role        TEXT NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    recursive   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    UNIQUE (user_id, role, unit_id)
);
CREATE INDEX role_assignments_user ON role_assignments(user_id);

CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    csrf_token    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    last_used_at  INTEGER
);

CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    actor_user_id  INTEGER,
    actor_label    TEXT NOT NULL,
    action         TEXT NOT NULL,
    entity_type    TEXT NOT NULL,
    entity_id      INTEGER,
    unit_id        INTEGER,
    before_json    TEXT,
    after_json     TEXT,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity_type, entity_id);
CREATE INDEX audit_unit ON audit_log(unit_id, id);

-- The audit trail is append-only: the database itself refuses to change or remove a record.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
