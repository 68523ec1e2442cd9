-- When a profile's membership in a time-relative audience (date math such as "now-7d") can next change with no new
-- event: one row per profile that has such an instant, loaded by its partition to re-evaluate it then.
CREATE TABLE audience_timers (
    partition  INTEGER NOT NULL,
    profile_id INTEGER NOT NULL,
    account_id TEXT    NOT NULL,
    due        INTEGER NOT NULL,
    PRIMARY KEY (partition, profile_id)
);
