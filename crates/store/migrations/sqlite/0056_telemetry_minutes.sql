-- Events received per minute and unit (issue 18.7): the live event-rate chart. Unit 0 holds the
-- events no registered range held. Kept two days (the hourly purge).
CREATE TABLE telemetry_minutes (
    minute   INTEGER NOT NULL,
    unit_id  INTEGER NOT NULL,
    events   INTEGER NOT NULL,
    PRIMARY KEY (minute, unit_id)
);
