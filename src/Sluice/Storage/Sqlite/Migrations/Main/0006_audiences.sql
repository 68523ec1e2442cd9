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

-- Current size of each audience, kept by the checkpoints that change membership (the members themselves are listed in
-- their profiles' documents; one row per membership would double what a bulk load writes).
CREATE TABLE audience_sizes (
    audience_id TEXT    NOT NULL PRIMARY KEY,
    account_id  TEXT    NOT NULL,
    size        INTEGER NOT NULL
);

-- One entry per profile and checkpoint: the audiences it entered and left since the previous checkpoint, as
-- '+id' and '-id' separated by commas (an enter and exit of the same audience in between cancel out). seq orders the
-- feed within its partition; position is the log position whose processing made the change.
CREATE TABLE membership_changes (
    partition   INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    account_id  TEXT    NOT NULL,
    profile_id  INTEGER NOT NULL,
    changes     TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (partition, seq)
);
