-- A privacy delete may remove the newest event; its position must not be handed out again, or a processor that
-- already passed it would skip the next event.
CREATE TABLE events_v2 (
    seq         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    account_id  TEXT    NOT NULL,
    partition   INTEGER NOT NULL,
    stream      TEXT    NOT NULL,
    event_time  INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    body        BLOB    NOT NULL
);
INSERT INTO events_v2 SELECT seq, account_id, partition, stream, event_time, received_at, body FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_partition_seq ON events (partition, seq);
CREATE INDEX events_account_seq ON events (account_id, seq);
