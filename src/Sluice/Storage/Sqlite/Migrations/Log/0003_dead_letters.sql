-- Events that processing could not map or apply, set aside so that their partition goes on. The body stays in
-- events: a privacy delete of the event removes its row here in the same transaction, and a replay moves the event
-- to the end of the log. The reason names the stage and the error, never a value of the event.
CREATE TABLE dead_letters (
    seq        INTEGER NOT NULL PRIMARY KEY,
    account_id TEXT    NOT NULL,
    partition  INTEGER NOT NULL,
    stream     TEXT    NOT NULL,
    stage      TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX dead_letters_account_seq ON dead_letters (account_id, seq);
CREATE INDEX dead_letters_partition_seq ON dead_letters (partition, seq);
