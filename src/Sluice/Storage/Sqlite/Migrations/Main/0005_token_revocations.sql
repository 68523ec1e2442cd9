-- A counter that moves whenever a stored token may have become unusable (revoked, changed, deleted), by any process
-- on this store: a server's token cache reads it on every hit, one row, and looks the token up again when it moved,
-- so that a revocation by the command line or another node takes effect at the next request.
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
