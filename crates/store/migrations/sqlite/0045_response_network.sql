-- The response network's roster (issue 17.7): a unit's application and membership, its 24/7
-- contact point, OpenPGP public key and capabilities, and the authority's decision.
CREATE TABLE network_members (
    unit_id       INTEGER PRIMARY KEY REFERENCES units(id),
    state         TEXT NOT NULL,
    contact_name  TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    public_key    TEXT NOT NULL,
    capabilities  TEXT NOT NULL,
    reason        TEXT NOT NULL,
    applied_by    INTEGER NOT NULL REFERENCES users(id),
    applied_at    INTEGER NOT NULL,
    decided_by    INTEGER REFERENCES users(id),
    decided_at    INTEGER
);
CREATE INDEX network_members_state ON network_members(state);
