-- +goose Up
-- One-time recovery codes for a lost phone: only the SHA-256 of each code
-- is kept (the codes carry 80 random bits, see auth.newRecoveryCode).
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id, code_hash);

-- Failed logins for names that have no (enabled) account, so that they are
-- locked out exactly like real accounts and the answers do not tell the two
-- apart.
CREATE TABLE login_failures (
    username      TEXT PRIMARY KEY,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE login_failures;
DROP INDEX recovery_codes_user;
DROP TABLE recovery_codes;
