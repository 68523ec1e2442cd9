-- A counter that moves whenever a stored token may have become unusable (revoked, changed, deleted), by any process
-- on this store; a server's token cache looks a token up again when it moved. A cache hit does not read this row
-- each time: a revocation through Sluice also raises a memory-mapped signal beside the store (RevocationSignal), and
-- the row is read only when that signal moved or the last read is over a second old (a change made by hand, without
-- Sluice, is noticed within that second). A revocation by the command line or another node still takes effect at
-- the next request.
-- Only this comment has changed since the script first shipped: the migrator orders scripts by user_version and
-- keeps no hash of them, so a database migrated before is unaffected.
CREATE TABLE token_revocations (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    counter INTEGER NOT NULL
);
INSERT INTO token_revocations (id, counter) VALUES (1, 0);

-- last_used_at is left out: it changes on use, and counting it would empty every cache all the time.
CREATE TRIGGER access_tokens_changed AFTER UPDATE OF revoked_at, expires_at, roles, token_hash, account_id ON access_tokens
BEGIN
    UPDATE token_revocations SET counter = counter + 1 WHERE id = 1;
END;

CREATE TRIGGER access_tokens_deleted AFTER DELETE ON access_tokens
BEGIN
    UPDATE token_revocations SET counter = counter + 1 WHERE id = 1;
END;
