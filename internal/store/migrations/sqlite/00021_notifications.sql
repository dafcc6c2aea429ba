-- +goose Up
-- 说明：通知中心：期限到期、确认收悉、分配给我、日历变更等通知，按用户保存已读状态
-- The notification centre every workflow posts to. pushed_at marks the
-- rows the WeCom app-message pusher has delivered to the phone (an outbox:
-- a notification committed with its workflow is pushed after the commit).
-- dedup_key lets periodic jobs post idempotently (one per deadline per day).
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    matter_id  INTEGER REFERENCES matters(id) ON DELETE CASCADE,
    dedup_key  TEXT,
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP,
    pushed_at  TIMESTAMP
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;
CREATE INDEX notifications_unpushed ON notifications(id) WHERE pushed_at IS NULL;
CREATE UNIQUE INDEX notifications_dedup ON notifications(user_id, dedup_key);

-- +goose Down
DROP TABLE notifications;
