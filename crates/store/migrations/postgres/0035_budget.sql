-- The cybersecurity share of IT spending (issue 15.8): each unit's projects per year with their
-- total and cybersecurity part in đồng, and the share a plan sets as its threshold (basis points).
CREATE TABLE budget_projects (
    id            BIGSERIAL PRIMARY KEY,
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    year          BIGINT NOT NULL,
    name          TEXT NOT NULL,
    total_cost    BIGINT NOT NULL,
    security_cost BIGINT NOT NULL,
    note          TEXT NOT NULL,
    created_by    BIGINT NOT NULL REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX budget_projects_year ON budget_projects(year, unit_id);

ALTER TABLE plans ADD COLUMN budget_share_bp BIGINT;
