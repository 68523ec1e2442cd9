-- What each export job remembers: its place in the membership feed and in a backfill or reconcile pass, what it last
-- told Braze for each profile (identifier and attribute values), and its per-row log (kept 30 days).
CREATE TABLE export_checkpoints (
    job_id     TEXT    NOT NULL PRIMARY KEY,
    feed_seq   INTEGER NOT NULL,
    pass       TEXT,
    pass_after INTEGER NOT NULL,
    pass_done  INTEGER NOT NULL,
    pass_total INTEGER NOT NULL
);

CREATE TABLE export_told (
    job_id     TEXT    NOT NULL,
    profile_id INTEGER NOT NULL,
    identifier TEXT    NOT NULL,
    vals       TEXT    NOT NULL,
    PRIMARY KEY (job_id, profile_id)
);

CREATE TABLE export_rows (
    job_id   TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    user     TEXT    NOT NULL,
    added    TEXT    NOT NULL,
    removed  TEXT    NOT NULL,
    status   TEXT    NOT NULL,
    error    TEXT,
    attempts INTEGER NOT NULL
);
CREATE INDEX export_rows_job_at ON export_rows (job_id, at);
CREATE INDEX export_rows_user ON export_rows (job_id, user);
