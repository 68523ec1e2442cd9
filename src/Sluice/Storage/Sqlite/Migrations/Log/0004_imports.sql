-- Import jobs' files and refused rows, beside the events: a file's position is written in the same transaction as
-- the events read up to it, so a crash resumes exactly after the last committed row. Reasons never quote a value.
CREATE TABLE import_files (
    job_id      TEXT    NOT NULL,
    file_key    TEXT    NOT NULL,
    account_id  TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    modified    INTEGER NOT NULL,
    rows_read   INTEGER NOT NULL,
    stored      INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    hash        TEXT,
    updated     INTEGER NOT NULL,
    PRIMARY KEY (job_id, file_key)
);
CREATE TABLE import_errors (
    id     INTEGER PRIMARY KEY,
    job_id TEXT    NOT NULL,
    file   TEXT    NOT NULL,
    line   INTEGER NOT NULL,
    reason TEXT    NOT NULL
);
CREATE INDEX import_errors_job ON import_errors (job_id, id);
