-- Cheaper commits. Every group commit wrote, besides the table's pages, a page of sqlite_sequence (AUTOINCREMENT's
-- bookkeeping) and the account index's page, whose 32-character keys split it every few commits. Positions are now
-- handed out by the log's writer, and the account index is keyed by a small number.
--
-- Accounts' numbers in this file: given the first time an account appends, never changed or reused.
CREATE TABLE log_accounts (
    account_no INTEGER NOT NULL PRIMARY KEY,
    account_id TEXT    NOT NULL UNIQUE
);
INSERT INTO log_accounts (account_id) SELECT DISTINCT account_id FROM events ORDER BY account_id;
-- Positions are never reused: a writer takes the next position above both the highest one present and this mark,
-- which a delete raises to the highest position it removed (a processor that already passed a deleted newest event
-- would otherwise skip the event given its position). It starts where AUTOINCREMENT had got to.
CREATE TABLE log_high_water (
    id  INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO log_high_water (id, seq)
VALUES (1, max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0), coalesce((SELECT max(seq) FROM events), 0)));
CREATE TABLE events_v3 (
    seq         INTEGER NOT NULL PRIMARY KEY,
    account_id  TEXT    NOT NULL,
    account_no  INTEGER NOT NULL,
    partition   INTEGER NOT NULL,
    stream      TEXT    NOT NULL,
    event_time  INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    body        BLOB    NOT NULL
);
INSERT INTO events_v3 (seq, account_id, account_no, partition, stream, event_time, received_at, body)
SELECT e.seq, e.account_id, a.account_no, e.partition, e.stream, e.event_time, e.received_at, e.body
FROM events e JOIN log_accounts a ON a.account_id = e.account_id ORDER BY e.seq;
DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
CREATE INDEX events_partition_seq ON events (partition, seq);
CREATE INDEX events_account_seq ON events (account_no, seq);
