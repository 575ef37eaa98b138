-- Events received per minute and unit (issue 18.7): the live event-rate chart. Unit 0 holds the
-- events no registered range held. Kept two days (the hourly purge).
CREATE TABLE telemetry_minutes (
    minute   BIGINT NOT NULL,
    unit_id  BIGINT NOT NULL,
    events   BIGINT NOT NULL,
    PRIMARY KEY (minute, unit_id)
);
