-- Each audience's number in its account: profile documents, pending membership and the change feed name audiences by
-- it (one or two bytes) instead of by id (sixteen). Rows stay when an audience is deleted, so that a number is never
-- given to another audience and a feed entry or document that still names a deleted one can be read back to its id.
CREATE TABLE audience_numbers (
    account_id  TEXT    NOT NULL,
    number      INTEGER NOT NULL,
    audience_id TEXT    NOT NULL UNIQUE,
    PRIMARY KEY (account_id, number)
);

-- Existing audiences are numbered in the order they were created. Documents and feed entries written before this keep
-- naming them by id; readers take both, and processing renames a document's ids the next time it evaluates it.
INSERT INTO audience_numbers (account_id, number, audience_id)
SELECT account_id, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY created_at, id), id FROM audiences;
