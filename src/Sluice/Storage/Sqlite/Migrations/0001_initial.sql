-- Accounts, access tokens, the durable event log, processor positions, profiles and the identity index.
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
