-- The lag from collect to profile per stream and minute, written by processing with its checkpoints and kept for
-- a day (the console draws the last 24 hours). minute is the minute's start in Unix ms; lags are in ms.
CREATE TABLE stream_lag (
    account_id TEXT    NOT NULL,
    stream     TEXT    NOT NULL,
    minute     INTEGER NOT NULL,
    events     INTEGER NOT NULL,
    max_ms     INTEGER NOT NULL,
    p95_ms     INTEGER NOT NULL,
    PRIMARY KEY (account_id, stream, minute)
);
CREATE INDEX stream_lag_by_minute ON stream_lag (minute);
