-- Accounts, access tokens, processor positions, profiles and the identity index. The event log has its own file.
-- Times are Unix milliseconds (UTC) so that the schema ports unchanged to PostgreSQL (BIGINT).
CREATE TABLE accounts (
    id          TEXT    NOT NULL PRIMARY KEY,
    aid         INTEGER NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE access_tokens (
    id           TEXT    NOT NULL PRIMARY KEY,
    account_id   TEXT    NOT NULL REFERENCES accounts (id),
    name         TEXT    NOT NULL,
    description  TEXT,
    roles        TEXT    NOT NULL,
    token_hash   BLOB    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    revoked_at   INTEGER,
    last_used_at INTEGER
);
CREATE INDEX access_tokens_account ON access_tokens (account_id);

CREATE TABLE processor_positions (
    partition INTEGER NOT NULL PRIMARY KEY,
    position  INTEGER NOT NULL
);

CREATE TABLE profiles (
    id            INTEGER NOT NULL PRIMARY KEY,
    account_id    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    modified_at   INTEGER NOT NULL,
    last_event_at INTEGER NOT NULL,
    doc           TEXT    NOT NULL
);
CREATE INDEX profiles_account ON profiles (account_id, id);

CREATE TABLE identities (
    account_id TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    profile_id INTEGER NOT NULL,
    PRIMARY KEY (account_id, name, value)
);
CREATE INDEX identities_profile ON identities (profile_id);
