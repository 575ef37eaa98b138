-- Foundation: units, users, roles, sessions, API tokens, audit trail.
-- Times are UTC milliseconds since the epoch. Flags are 0/1 BIGINTs so both stores decode alike.

CREATE TABLE units (
    id            BIGSERIAL PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    name_folded   TEXT NOT NULL,
    unit_type     TEXT NOT NULL,
    parent_id     BIGINT REFERENCES units(id),
    path          TEXT NOT NULL,
    head_name     TEXT,
    focal_name    TEXT,
    focal_phone   TEXT,
    focal_email   TEXT,
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX units_path ON units(path text_pattern_ops);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_name_folded ON units(name_folded, id);

CREATE TABLE users (
    id                 BIGSERIAL PRIMARY KEY,
    username           TEXT NOT NULL UNIQUE,
    full_name          TEXT NOT NULL,
    full_name_folded   TEXT NOT NULL,
    email              TEXT,
    unit_id            BIGINT NOT NULL REFERENCES units(id),
    password_hash      TEXT NOT NULL,
    lang               TEXT NOT NULL DEFAULT 'vi',
    active             BIGINT NOT NULL DEFAULT 1,
    failed_logins      BIGINT NOT NULL DEFAULT 0,
    locked_until       BIGINT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);
CREATE INDEX users_name_folded ON users(full_name_folded, id);

CREATE TABLE role_assignments (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    role        TEXT NOT NULL,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    recursive   BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    UNIQUE (user_id, role, unit_id)
);
CREATE INDEX role_assignments_user ON role_assignments(user_id);

CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    csrf_token    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL,
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT,
    last_used_at  BIGINT
);

CREATE TABLE audit_log (
    id             BIGINT PRIMARY KEY,
    at             BIGINT NOT NULL,
    actor_user_id  BIGINT,
    actor_label    TEXT NOT NULL,
    action         TEXT NOT NULL,
    entity_type    TEXT NOT NULL,
    entity_id      BIGINT,
    unit_id        BIGINT,
    before_json    TEXT,
    after_json     TEXT,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity_type, entity_id);
CREATE INDEX audit_unit ON audit_log(unit_id, id);

-- The audit trail is append-only: the database itself refuses to change or remove a record.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
