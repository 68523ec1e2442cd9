-- The durable event log, in its own file so that appends never wait for profile transactions.
-- Times are Unix milliseconds (UTC).
-- seq is the log position: assigned by the single log writer in commit order.
CREATE TABLE events (
    seq         INTEGER NOT NULL PRIMARY KEY,
    account_id  TEXT    NOT NULL,
    partition   INTEGER NOT NULL,
    stream      TEXT    NOT NULL,
    event_time  INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    body        BLOB    NOT NULL
);
CREATE INDEX events_partition_seq ON events (partition, seq);
