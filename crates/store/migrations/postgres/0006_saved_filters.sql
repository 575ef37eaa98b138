-- Registry filters a person saved under a name, to reopen in one click.
CREATE TABLE saved_filters (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    query       TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX saved_filters_user ON saved_filters(user_id, id);
