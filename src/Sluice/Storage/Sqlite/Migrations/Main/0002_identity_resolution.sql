-- Identity resolution: merges between profiles, the guard-rail counter on identity values, and stream mappings.
-- Profiles change format (fields carry their merge operator and per-key times), so derived state is cleared here
-- and rebuilt from the event log, which is the point of keeping the log.
DELETE FROM identities;
DELETE FROM profiles;
DELETE FROM processor_positions;

-- How many identity values of other keys joined a profile through this value; past a per-key limit the value
-- stops linking (a shared test address must not fuse thousands of people).
ALTER TABLE identities ADD COLUMN links INTEGER NOT NULL DEFAULT 0;

-- A merged profile's id keeps resolving to the profile that absorbed it.
CREATE TABLE profile_merges (
    account_id  TEXT    NOT NULL,
    merged_id   INTEGER NOT NULL PRIMARY KEY,
    survivor_id INTEGER NOT NULL,
    merged_at   INTEGER NOT NULL
);
CREATE INDEX profile_merges_survivor ON profile_merges (survivor_id);

-- Account-specific LQL mappings; an alias equal to a built-in one replaces it.
CREATE TABLE mappings (
    account_id TEXT    NOT NULL,
    alias      TEXT    NOT NULL,
    stream     TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, alias)
);
