-- SQLite hands a deleted row's id to the next insert when it was the largest. A merged-away profile id must keep
-- resolving to its survivor, so profile ids are never reused.
CREATE TABLE profiles_v3 (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    account_id    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    modified_at   INTEGER NOT NULL,
    last_event_at INTEGER NOT NULL,
    doc           TEXT    NOT NULL
);
INSERT INTO profiles_v3 (id, account_id, created_at, modified_at, last_event_at, doc)
    SELECT id, account_id, created_at, modified_at, last_event_at, doc FROM profiles;
DROP TABLE profiles;
ALTER TABLE profiles_v3 RENAME TO profiles;
CREATE INDEX profiles_account ON profiles (account_id, id);
UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT COALESCE(MAX(merged_id), 0) FROM profile_merges)) WHERE name = 'profiles';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'profiles', (SELECT COALESCE(MAX(merged_id), 0) FROM profile_merges)
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'profiles');
