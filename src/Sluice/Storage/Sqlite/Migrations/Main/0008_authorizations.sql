-- Credentials for the systems Sluice exports to or imports from (Braze today). The secret part of a config (API key,
-- password, private key) is kept only in `secret`, encrypted with Data Protection; `config` holds what may be shown.
CREATE TABLE authorizations (
    id          TEXT    NOT NULL PRIMARY KEY,
    account_id  TEXT    NOT NULL,
    provider    TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    description TEXT,
    config      TEXT    NOT NULL,
    secret      BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX authorizations_account ON authorizations (account_id, created_at);

-- Data Protection's key ring, in the store so that every node (and the command line) decrypts what another encrypted.
-- Keys are never changed once written; Data Protection adds new ones and marks old ones revoked with new elements.
CREATE TABLE data_protection_keys (
    name       TEXT    NOT NULL PRIMARY KEY,
    xml        TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
