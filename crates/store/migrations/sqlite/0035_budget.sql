-- The cybersecurity share of IT spending (issue 15.8): each unit's projects per year with their
-- total and cybersecurity part in đồng, and the share a plan sets as its threshold (basis points).
CREATE TABLE budget_projects (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    year          INTEGER NOT NULL,
    name          TEXT NOT NULL,
    total_cost    INTEGER NOT NULL,
    security_cost INTEGER NOT NULL,
    note          TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX budget_projects_year ON budget_projects(year, unit_id);

ALTER TABLE plans ADD COLUMN budget_share_bp INTEGER;
