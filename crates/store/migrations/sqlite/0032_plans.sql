-- Provincial plans as tracked work (issue 15): a plan, its task tree, the units named on each
-- task, the names the authority mapped once, the files waiting for their preview, and the
-- progress each unit reports per task and period.
CREATE TABLE plans (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    number        TEXT NOT NULL UNIQUE,
    issued_on     TEXT NOT NULL,
    issuer        TEXT NOT NULL,
    title         TEXT NOT NULL,
    legal_basis   TEXT NOT NULL DEFAULT '',
    year_from     INTEGER NOT NULL,
    year_to       INTEGER NOT NULL,
    reporting     TEXT NOT NULL,
    report_day    INTEGER NOT NULL,
    report_month  INTEGER NOT NULL,
    owner_unit_id INTEGER NOT NULL REFERENCES units(id),
    file_name     TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL
);

CREATE TABLE plan_tasks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES plans(id),
    number        TEXT NOT NULL,
    parent_number TEXT,
    position      INTEGER NOT NULL,
    body          TEXT NOT NULL,
    lead_names    TEXT NOT NULL,
    coordinating_names TEXT NOT NULL,
    cadence       TEXT NOT NULL,
    cadence_read  INTEGER NOT NULL,
    due_on        TEXT,
    output        TEXT NOT NULL,
    source_row    INTEGER NOT NULL,
    UNIQUE (plan_id, number)
);
CREATE INDEX plan_tasks_plan ON plan_tasks(plan_id, position);

CREATE TABLE plan_task_units (
    task_id  INTEGER NOT NULL REFERENCES plan_tasks(id),
    -- The task's plan, so that a unit's pairs of one plan are read without the others'.
    plan_id  INTEGER NOT NULL REFERENCES plans(id),
    unit_id  INTEGER NOT NULL REFERENCES units(id),
    role     TEXT NOT NULL,
    -- 1 when the unit is on the task as one of a group the table names ("Các sở, ban, ngành"):
    -- each reports its own part, none consolidates the others'.
    grouped  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX plan_task_units_unit ON plan_task_units(unit_id, plan_id, task_id);

CREATE TABLE plan_unit_names (
    name_key   TEXT NOT NULL,
    target     TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (name_key, target)
);

CREATE TABLE plan_imports (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    file_name  TEXT NOT NULL,
    data       BLOB NOT NULL,
    meta       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE plan_progress (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id      INTEGER NOT NULL REFERENCES plan_tasks(id),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    period       TEXT NOT NULL,
    status       TEXT NOT NULL,
    narrative    TEXT NOT NULL,
    figures      TEXT NOT NULL,
    consolidated INTEGER NOT NULL,
    reported_by  INTEGER NOT NULL REFERENCES users(id),
    reported_at  INTEGER NOT NULL,
    UNIQUE (task_id, period, unit_id)
);
CREATE INDEX plan_progress_unit ON plan_progress(unit_id, period);

-- Per task, period and status, how many units reported so: what the city-wide plan page reads
-- (60 rows) instead of counting a plan's 12,000 (task, unit) pairs. Kept with each report.
CREATE TABLE plan_progress_counts (
    task_id INTEGER NOT NULL REFERENCES plan_tasks(id),
    period  TEXT NOT NULL,
    status  TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (task_id, period, status)
);
