-- Incidents, their timeline, reports, tasks of the response network, observables (IOCs) and
-- links. Clock due/met times are stored so that the queues can filter and sort on them.
CREATE TABLE incidents (
    id                 BIGSERIAL PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    unit_id            BIGINT NOT NULL REFERENCES units(id),
    title              TEXT NOT NULL,
    search_folded      TEXT NOT NULL,
    category           TEXT NOT NULL,
    state              TEXT NOT NULL,
    tlp                TEXT NOT NULL,
    priority           BIGINT NOT NULL,
    serious            BIGINT NOT NULL DEFAULT 0,
    serious_since      BIGINT,
    national_critical  BIGINT NOT NULL DEFAULT 0,
    beyond_capacity    BIGINT NOT NULL DEFAULT 0,
    consequences       TEXT NOT NULL DEFAULT '',
    detected_at        BIGINT NOT NULL,
    reported_at        BIGINT NOT NULL,
    triaged_at         BIGINT,
    contained_at       BIGINT,
    response_ended_at  BIGINT,
    closed_at          BIGINT,
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
    initial_due        BIGINT,
    initial_met        BIGINT,
    cause_due          BIGINT,
    cause_met          BIGINT,
    closing_due        BIGINT,
    closing_met        BIGINT,
    next_due           BIGINT,
    merged_into        BIGINT REFERENCES incidents(id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX incidents_unit ON incidents(unit_id, id);
CREATE INDEX incidents_state ON incidents(state, id);
CREATE INDEX incidents_next_due ON incidents(next_due);

CREATE TABLE incident_systems (
    incident_id  BIGINT NOT NULL REFERENCES incidents(id),
    system_id    BIGINT NOT NULL REFERENCES systems(id),
    PRIMARY KEY (incident_id, system_id)
);
CREATE INDEX incident_systems_system ON incident_systems(system_id);

CREATE TABLE incident_events (
    id           BIGSERIAL PRIMARY KEY,
    incident_id  BIGINT NOT NULL REFERENCES incidents(id),
    at           BIGINT NOT NULL,
    actor_label  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    note         TEXT NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events(incident_id, id);

CREATE TABLE incident_reports (
    id           BIGSERIAL PRIMARY KEY,
    incident_id  BIGINT NOT NULL REFERENCES incidents(id),
    kind         TEXT NOT NULL,
    filed_at     BIGINT NOT NULL,
    author_label TEXT NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX incident_reports_incident ON incident_reports(incident_id, id);

CREATE TABLE incident_tasks (
    id           BIGSERIAL PRIMARY KEY,
    incident_id  BIGINT NOT NULL REFERENCES incidents(id),
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    assignee     TEXT,
    title        TEXT NOT NULL,
    due_on       TEXT,
    state        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    done_at      BIGINT
);
CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id, id);
CREATE INDEX incident_tasks_unit ON incident_tasks(unit_id, state);

CREATE TABLE observables (
    id           BIGSERIAL PRIMARY KEY,
    incident_id  BIGINT NOT NULL REFERENCES incidents(id),
    kind         TEXT NOT NULL,
    value        TEXT NOT NULL,
    first_seen   BIGINT,
    last_seen    BIGINT,
    tlp          TEXT NOT NULL,
    source       TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX observables_value ON observables(value, kind);
CREATE INDEX observables_incident ON observables(incident_id, id);

CREATE TABLE incident_links (
    incident_id  BIGINT NOT NULL REFERENCES incidents(id),
    related_id   BIGINT NOT NULL REFERENCES incidents(id),
    PRIMARY KEY (incident_id, related_id)
);
