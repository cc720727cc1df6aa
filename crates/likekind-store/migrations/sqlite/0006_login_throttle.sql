-- Login throttling decided atomically: one upsert per attempt increments and returns the
-- count of attempts for an account (key 'email:...') or a client address ('addr:...') in its
-- window, so parallel attempts get no more password checks than sequential ones, even with
-- several server processes on one database (likekind-server/src/auth.rs).
CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    attempts INTEGER NOT NULL
);
