-- +goose Up
-- 说明：按天统计消息条数，检索按时间分段、每次请求只检索有限的消息（约 100 万条）
-- How many messages each day (UTC; day = the message id's Unix second
-- divided by 86400, rounded down) holds. Chat search walks the archive newest first in
-- id windows of about a fixed number of messages and stops after a budget
-- of messages per request; this table sizes those windows without reading
-- messages. Every path that inserts or deletes messages updates it in the
-- same transaction. Search results never depend on it: the windows always
-- cover the whole searched range, the counts only decide where they end.
CREATE TABLE message_days (
    day INTEGER PRIMARY KEY,
    messages INTEGER NOT NULL
);
INSERT INTO message_days (day, messages)
    SELECT ((id >> 20) - CASE WHEN id < 0 THEN 86399 ELSE 0 END) / 86400, count(*) FROM messages
    GROUP BY ((id >> 20) - CASE WHEN id < 0 THEN 86399 ELSE 0 END) / 86400;
-- Each day's mark in the search index (SQLite only): a document just below
-- the day's first message id (the last slot of the second before, which no
-- message takes) whose only token names the day. A search ORs every word
-- with the mark of the day where its window ends, so that FTS5 stops there
-- even when the words never meet (see internal/store/message_days.go).
INSERT INTO message_fts (rowid, tokens)
    SELECT (day * 86400 << 20) - 1, '窗界标' || day FROM message_days
    WHERE day > 0 AND NOT EXISTS (SELECT 1 FROM messages WHERE id = (day * 86400 << 20) - 1);

-- +goose Down
DELETE FROM message_fts WHERE rowid IN (SELECT (day * 86400 << 20) - 1 FROM message_days WHERE day > 0)
    AND rowid NOT IN (SELECT id FROM messages);
DROP TABLE message_days;
