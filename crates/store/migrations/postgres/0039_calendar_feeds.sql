-- A person's calendar subscription (issue 15.9): the secret in the address is the credential of
-- that one read, kept as its SHA-256; a new address replaces the old one.
CREATE TABLE calendar_feeds (
    user_id     BIGINT PRIMARY KEY REFERENCES users(id),
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);
