-- An export job's delivery per minute (objects sent, failed, retried; 429 answers), for its chart and metrics. The
-- job counts in memory and adds to these rows with each step's save; minutes older than a day and an hour are pruned.
CREATE TABLE export_minutes (
    job_id       TEXT    NOT NULL,
    minute       INTEGER NOT NULL, -- Unix time in minutes
    sent         INTEGER NOT NULL,
    failed       INTEGER NOT NULL,
    retried      INTEGER NOT NULL,
    rate_limited INTEGER NOT NULL,
    PRIMARY KEY (job_id, minute)
) WITHOUT ROWID;
CREATE INDEX export_minutes_minute ON export_minutes (minute);
