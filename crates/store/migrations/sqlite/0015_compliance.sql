-- Compliance: control catalogues (versioned trees), assessments of a system against a
-- catalogue version at a level, their results and evidence, findings (from assessments and
-- scanner imports) with remediation deadlines, scan imports, and the remediation policy.
CREATE TABLE catalogues (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    code            TEXT NOT NULL,
    version         TEXT NOT NULL,
    title_vi        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    source_note_vi  TEXT NOT NULL,
    source_note_en  TEXT NOT NULL,
    requirements    INTEGER NOT NULL,
    builtin         INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    created_by      TEXT NOT NULL,
    UNIQUE (code, version)
);
CREATE TABLE catalogue_nodes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    catalogue_id  INTEGER NOT NULL REFERENCES catalogues(id),
    node_id       TEXT NOT NULL,
    parent_id     TEXT,
    kind          TEXT NOT NULL,
    title_vi      TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    description   TEXT NOT NULL,
    levels        INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    UNIQUE (catalogue_id, node_id)
);
CREATE INDEX catalogue_nodes_order ON catalogue_nodes(catalogue_id, position);

CREATE TABLE assessments (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    system_id         INTEGER NOT NULL REFERENCES systems(id),
    unit_id           INTEGER NOT NULL REFERENCES units(id),
    catalogue_id      INTEGER NOT NULL REFERENCES catalogues(id),
    level             INTEGER NOT NULL,
    kind              TEXT NOT NULL,
    assessor_unit_id  INTEGER REFERENCES units(id),
    state             TEXT NOT NULL,
    title             TEXT NOT NULL,
    planned_for       TEXT,
    started_at        INTEGER,
    finished_at       INTEGER,
    applicable        INTEGER NOT NULL,
    compliant         INTEGER NOT NULL DEFAULT 0,
    partly            INTEGER NOT NULL DEFAULT 0,
    non_compliant     INTEGER NOT NULL DEFAULT 0,
    not_applicable    INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    created_by        TEXT NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX assessments_unit ON assessments(unit_id, id);
CREATE INDEX assessments_system ON assessments(system_id, id);
CREATE INDEX assessments_assessor ON assessments(assessor_unit_id, id);

CREATE TABLE assessment_results (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id  INTEGER NOT NULL REFERENCES assessments(id),
    node_id        TEXT NOT NULL,
    position       INTEGER NOT NULL,
    result         TEXT,
    notes          TEXT NOT NULL DEFAULT '',
    updated_at     INTEGER,
    updated_by     TEXT,
    UNIQUE (assessment_id, node_id)
);
CREATE INDEX assessment_results_order ON assessment_results(assessment_id, position);

CREATE TABLE assessment_evidence (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    result_id      INTEGER NOT NULL REFERENCES assessment_results(id),
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size_bytes     INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    valid_until    TEXT,
    data           BLOB NOT NULL,
    uploaded_by    TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX assessment_evidence_result ON assessment_evidence(result_id);

CREATE TABLE finding_scans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    system_id    INTEGER NOT NULL REFERENCES systems(id),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    tool         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    scan_started INTEGER,
    imported_at  INTEGER NOT NULL,
    imported_by  TEXT NOT NULL,
    findings     INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL DEFAULT 0,
    seen_again   INTEGER NOT NULL DEFAULT 0,
    reopened     INTEGER NOT NULL DEFAULT 0,
    closed       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX finding_scans_system ON finding_scans(system_id, id);

CREATE TABLE findings (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id          INTEGER NOT NULL REFERENCES units(id),
    system_id        INTEGER NOT NULL REFERENCES systems(id),
    source           TEXT NOT NULL,
    tool             TEXT NOT NULL,
    dedup_key        TEXT NOT NULL,
    assessment_id    INTEGER REFERENCES assessments(id),
    node_id          TEXT,
    rule_id          TEXT NOT NULL,
    title            TEXT NOT NULL,
    search_folded    TEXT NOT NULL,
    severity         TEXT NOT NULL,
    cvss_x10         INTEGER,
    host             TEXT,
    port             INTEGER,
    protocol         TEXT,
    component        TEXT,
    cves             TEXT NOT NULL DEFAULT '',
    cwes             TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    solution         TEXT NOT NULL DEFAULT '',
    evidence         TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL,
    open             INTEGER NOT NULL,
    detected_at      INTEGER NOT NULL,
    due_at           INTEGER,
    last_scan_id     INTEGER REFERENCES finding_scans(id),
    fixed_at         INTEGER,
    verified_at      INTEGER,
    accepted_by      TEXT,
    accepted_reason  TEXT,
    accepted_until   TEXT,
    state_note       TEXT,
    escalated_at     INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (system_id, dedup_key)
);
-- Lists walk these in id order (newest first): a unit's findings, a system's, one severity's.
CREATE INDEX findings_unit ON findings(unit_id, id);
CREATE INDEX findings_system ON findings(system_id, id);
CREATE INDEX findings_severity ON findings(severity, id);
-- The overdue filter, the reminder sweep and the per-unit counts.
CREATE INDEX findings_open_due ON findings(open, due_at);

-- Days to fix a finding by severity and system level; absent rows take the built-in defaults.
CREATE TABLE remediation_policy (
    severity      TEXT NOT NULL,
    level         INTEGER NOT NULL,
    days          INTEGER NOT NULL,
    working_days  INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    updated_by    TEXT NOT NULL,
    PRIMARY KEY (severity, level)
);
