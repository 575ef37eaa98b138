-- Incidents, their timeline, reports, tasks of the response network, observables (IOCs) and
-- links. Clock due/met times are stored so that the queues can filter and sort on them.
CREATE TABLE incidents (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    code               TEXT NOT NULL UNIQUE,
    unit_id            INTEGER NOT NULL REFERENCES units(id),
    title              TEXT NOT NULL,
    search_folded      TEXT NOT NULL,
    category           TEXT NOT NULL,
    state              TEXT NOT NULL,
    tlp                TEXT NOT NULL,
    priority           INTEGER NOT NULL,
    serious            INTEGER NOT NULL DEFAULT 0,
    serious_since      INTEGER,
    national_critical  INTEGER NOT NULL DEFAULT 0,
    beyond_capacity    INTEGER NOT NULL DEFAULT 0,
    consequences       TEXT NOT NULL DEFAULT '',
    detected_at        INTEGER NOT NULL,
    reported_at        INTEGER NOT NULL,
    triaged_at         INTEGER,
    contained_at       INTEGER,
    response_ended_at  INTEGER,
    closed_at          INTEGER,
    reporter_name      TEXT,
    reporter_contact   TEXT,
    symptoms           TEXT,
    spread             TEXT,
    impact             TEXT,
    provider           TEXT,
    measures_taken     TEXT,
    measures_planned   TEXT,
    help_received      TEXT,
    initial_results    TEXT,
    recommendations    TEXT,
    initial_due        INTEGER,
    initial_met        INTEGER,
    cause_due          INTEGER,
    cause_met          INTEGER,
    closing_due        INTEGER,
    closing_met        INTEGER,
    next_due           INTEGER,
    merged_into        INTEGER REFERENCES incidents(id),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX incidents_unit ON incidents(unit_id, id);
CREATE INDEX incidents_state ON incidents(state, id);
CREATE INDEX incidents_next_due ON incidents(next_due);

CREATE TABLE incident_systems (
    incident_id  INTEGER NOT NULL REFERENCES incidents(id),
    system_id    INTEGER NOT NULL REFERENCES systems(id),
    PRIMARY KEY (incident_id, system_id)
);
CREATE INDEX incident_systems_system ON incident_systems(system_id);

CREATE TABLE incident_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id  INTEGER NOT NULL REFERENCES incidents(id),
    at           INTEGER NOT NULL,
    actor_label  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    note         TEXT NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events(incident_id, id);

CREATE TABLE incident_reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id  INTEGER NOT NULL REFERENCES incidents(id),
    kind         TEXT NOT NULL,
    filed_at     INTEGER NOT NULL,
    author_label TEXT NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX incident_reports_incident ON incident_reports(incident_id, id);

CREATE TABLE incident_tasks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id  INTEGER NOT NULL REFERENCES incidents(id),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    assignee     TEXT,
    title        TEXT NOT NULL,
    due_on       TEXT,
    state        TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    done_at      INTEGER
);
CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id, id);
CREATE INDEX incident_tasks_unit ON incident_tasks(unit_id, state);

CREATE TABLE observables (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id  INTEGER NOT NULL REFERENCES incidents(id),
    kind         TEXT NOT NULL,
    value        TEXT NOT NULL,
    first_seen   INTEGER,
    last_seen    INTEGER,
    tlp          TEXT NOT NULL,
    source       TEXT,
    created_at   INTEGER NOT NULL
);
CREATE INDEX observables_value ON observables(value, kind);
CREATE INDEX observables_incident ON observables(incident_id, id);

CREATE TABLE incident_links (
    incident_id  INTEGER NOT NULL REFERENCES incidents(id),
    related_id   INTEGER NOT NULL REFERENCES incidents(id),
    PRIMARY KEY (incident_id, related_id)
);
