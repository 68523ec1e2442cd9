-- Jobs (one per configured workflow instance) and their run logs.
-- auth_ids is a JSON array of authorization ids; config the workflow's normalised config as JSON.
CREATE TABLE jobs (
    id             TEXT    NOT NULL PRIMARY KEY,
    account_id     TEXT    NOT NULL,
    workflow       TEXT    NOT NULL,
    label          TEXT    NOT NULL,
    description    TEXT,
    auth_ids       TEXT    NOT NULL,
    config         TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    status_message TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX jobs_by_account ON jobs (account_id, created_at);
CREATE INDEX jobs_by_status ON jobs (status);

-- A job's run log, read newest first; seq keeps lines written in the same millisecond in order.
CREATE TABLE job_logs (
    seq     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    job_id  TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    level   TEXT    NOT NULL,
    message TEXT    NOT NULL
);
CREATE INDEX job_logs_by_job ON job_logs (job_id, seq);
