-- Audiences (segments), their current members, and each partition's ordered feed of membership changes.
-- Members and the feed are written by processing in the same transaction as the profiles (a checkpoint).
CREATE TABLE audiences (
    id          TEXT    NOT NULL PRIMARY KEY,
    account_id  TEXT    NOT NULL,
    slug        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT,
    segment_ql  TEXT    NOT NULL,
    is_default  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (account_id, slug)
);

CREATE TABLE audience_members (
    audience_id TEXT    NOT NULL,
    profile_id  INTEGER NOT NULL,
    account_id  TEXT    NOT NULL,
    since       INTEGER NOT NULL,
    PRIMARY KEY (audience_id, profile_id)
);
CREATE INDEX audience_members_profile ON audience_members (profile_id);

-- seq orders the feed within its partition; position is the log position whose processing made the change.
CREATE TABLE membership_changes (
    partition   INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    account_id  TEXT    NOT NULL,
    profile_id  INTEGER NOT NULL,
    audience_id TEXT    NOT NULL,
    entered     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (partition, seq)
);
CREATE INDEX membership_changes_audience ON membership_changes (audience_id, seq);
