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
    day BIGINT PRIMARY KEY,
    messages BIGINT NOT NULL
);
INSERT INTO message_days (day, messages)
    SELECT ((id >> 20) - CASE WHEN id < 0 THEN 86399 ELSE 0 END) / 86400, count(*) FROM messages
    GROUP BY ((id >> 20) - CASE WHEN id < 0 THEN 86399 ELSE 0 END) / 86400;

-- +goose Down
DROP TABLE message_days;
