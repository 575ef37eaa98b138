-- Which kinds of notification a person does not want by e-mail (issue 14.2). Every kind is
-- e-mailed to a person with an address unless a row here switches it off; in-app notices stay.
CREATE TABLE email_preferences (
    user_id  BIGINT NOT NULL REFERENCES users(id),
    kind     TEXT NOT NULL,
    email    BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
