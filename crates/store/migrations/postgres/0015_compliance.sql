-- Compliance: control catalogues (versioned trees), assessments of a system against a
-- catalogue version at a level, their results and evidence, findings (from assessments and
-- scanner imports) with remediation deadlines, scan imports, and the remediation policy.
CREATE TABLE catalogues (
    id              BIGSERIAL PRIMARY KEY,
    code            TEXT NOT NULL,
    version         TEXT NOT NULL,
    title_vi        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    source_note_vi  TEXT NOT NULL,
    source_note_en  TEXT NOT NULL,
    requirements    BIGINT NOT NULL,
    builtin         BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    created_by      TEXT NOT NULL,
    UNIQUE (code, version)
);
CREATE TABLE catalogue_nodes (
    id            BIGSERIAL PRIMARY KEY,
    catalogue_id  BIGINT NOT NULL REFERENCES catalogues(id),
    node_id       TEXT NOT NULL,
    parent_id     TEXT,
    kind          TEXT NOT NULL,
    title_vi      TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    description   TEXT NOT NULL,
    levels        BIGINT NOT NULL,
    position      BIGINT NOT NULL,
    UNIQUE (catalogue_id, node_id)
);
CREATE INDEX catalogue_nodes_order ON catalogue_nodes(catalogue_id, position);

CREATE TABLE assessments (
    id                BIGSERIAL PRIMARY KEY,
    system_id         BIGINT NOT NULL REFERENCES systems(id),
    unit_id           BIGINT NOT NULL REFERENCES units(id),
    catalogue_id      BIGINT NOT NULL REFERENCES catalogues(id),
    level             BIGINT NOT NULL,
    kind              TEXT NOT NULL,
    assessor_unit_id  BIGINT REFERENCES units(id),
    state             TEXT NOT NULL,
    title             TEXT NOT NULL,
    planned_for       TEXT,
    started_at        BIGINT,
    finished_at       BIGINT,
    applicable        BIGINT NOT NULL,
    compliant         BIGINT NOT NULL DEFAULT 0,
    partly            BIGINT NOT NULL DEFAULT 0,
    non_compliant     BIGINT NOT NULL DEFAULT 0,
    not_applicable    BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    created_by        TEXT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX assessments_unit ON assessments(unit_id, id);
CREATE INDEX assessments_system ON assessments(system_id, id);
CREATE INDEX assessments_assessor ON assessments(assessor_unit_id, id);

CREATE TABLE assessment_results (
    id             BIGSERIAL PRIMARY KEY,
    assessment_id  BIGINT NOT NULL REFERENCES assessments(id),
    node_id        TEXT NOT NULL,
    position       BIGINT NOT NULL,
    result         TEXT,
    notes          TEXT NOT NULL DEFAULT '',
    updated_at     BIGINT,
    updated_by     TEXT,
    UNIQUE (assessment_id, node_id)
);
CREATE INDEX assessment_results_order ON assessment_results(assessment_id, position);

CREATE TABLE assessment_evidence (
    id             BIGSERIAL PRIMARY KEY,
    result_id      BIGINT NOT NULL REFERENCES assessment_results(id),
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size_bytes     BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    valid_until    TEXT,
    data           BYTEA NOT NULL,
    uploaded_by    TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX assessment_evidence_result ON assessment_evidence(result_id);

CREATE TABLE finding_scans (
    id           BIGSERIAL PRIMARY KEY,
    system_id    BIGINT NOT NULL REFERENCES systems(id),
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    tool         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    scan_started BIGINT,
    imported_at  BIGINT NOT NULL,
    imported_by  TEXT NOT NULL,
    findings     BIGINT NOT NULL DEFAULT 0,
    created      BIGINT NOT NULL DEFAULT 0,
    seen_again   BIGINT NOT NULL DEFAULT 0,
    reopened     BIGINT NOT NULL DEFAULT 0,
    closed       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX finding_scans_system ON finding_scans(system_id, id);

CREATE TABLE findings (
    id               BIGSERIAL PRIMARY KEY,
    unit_id          BIGINT NOT NULL REFERENCES units(id),
    system_id        BIGINT NOT NULL REFERENCES systems(id),
    source           TEXT NOT NULL,
    tool             TEXT NOT NULL,
    dedup_key        TEXT NOT NULL,
    assessment_id    BIGINT REFERENCES assessments(id),
    node_id          TEXT,
    rule_id          TEXT NOT NULL,
    title            TEXT NOT NULL,
    search_folded    TEXT NOT NULL,
    severity         TEXT NOT NULL,
    cvss_x10         BIGINT,
    host             TEXT,
    port             BIGINT,
    protocol         TEXT,
    component        TEXT,
    cves             TEXT NOT NULL DEFAULT '',
    cwes             TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    solution         TEXT NOT NULL DEFAULT '',
    evidence         TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL,
    open             BIGINT NOT NULL,
    detected_at      BIGINT NOT NULL,
    due_at           BIGINT,
    last_scan_id     BIGINT REFERENCES finding_scans(id),
    fixed_at         BIGINT,
    verified_at      BIGINT,
    accepted_by      TEXT,
    accepted_reason  TEXT,
    accepted_until   TEXT,
    state_note       TEXT,
    escalated_at     BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
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
    level         BIGINT NOT NULL,
    days          BIGINT NOT NULL,
    working_days  BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    updated_by    TEXT NOT NULL,
    PRIMARY KEY (severity, level)
);
