-- +goose Up
-- 说明：企业微信连接：回调事件队列（去重、租约）、回调 nonce、客服消息游标、标签对照，用户的企业微信账号
-- The durable queue of decrypted callbacks. dedup_key (MsgId, or the
-- SHA-256 of an event) is unique, so the de-dup record and the event land
-- in the same commit. A worker claims a row by setting lease_until; a
-- crash leaves the lease to expire and the row is delivered again.
CREATE TABLE wecom_events (
    id          INTEGER PRIMARY KEY,
    dedup_key   TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    lease_until TIMESTAMP,
    done_at     TIMESTAMP,
    last_error  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX wecom_events_pending ON wecom_events(done_at, id);

-- Nonces of authenticated callbacks, kept past twice the timestamp window.
CREATE TABLE wecom_nonces (
    nonce      TEXT PRIMARY KEY,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX wecom_nonces_expiry ON wecom_nonces(expires_at);

-- kf/sync_msg cursor per kf account.
CREATE TABLE wecom_cursors (
    open_kfid  TEXT PRIMARY KEY,
    next_cursor TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- lvxin tag <-> WeCom corp tag id.
CREATE TABLE wecom_tags (
    tag    TEXT PRIMARY KEY REFERENCES tags(name) ON DELETE CASCADE,
    tag_id TEXT NOT NULL UNIQUE
);

ALTER TABLE users ADD COLUMN wecom_userid TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX users_wecom_userid ON users(wecom_userid) WHERE wecom_userid <> '';
CREATE INDEX contacts_wecom_external ON contacts(wecom_external_id) WHERE wecom_external_id <> '';

-- +goose Down
DROP INDEX contacts_wecom_external;
DROP INDEX users_wecom_userid;
ALTER TABLE users DROP COLUMN wecom_userid;
DROP TABLE wecom_tags;
DROP TABLE wecom_cursors;
DROP TABLE wecom_nonces;
DROP TABLE wecom_events;
