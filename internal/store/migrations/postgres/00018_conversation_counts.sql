-- +goose Up
-- 说明：会话记录消息条数与首末消息，会话列表不再逐个统计全部消息
-- Each conversation keeps its message count and its first and last message
-- ids (ids are time-ordered), maintained by the import that adds messages,
-- so the chat list costs the same at 10 million messages as at 10 thousand.
ALTER TABLE conversations ADD COLUMN message_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN first_message_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN last_message_id BIGINT NOT NULL DEFAULT 0;
UPDATE conversations SET
    message_count = (SELECT count(*) FROM messages m WHERE m.conversation_id = conversations.id),
    first_message_id = COALESCE((SELECT min(id) FROM messages m WHERE m.conversation_id = conversations.id), 0),
    last_message_id = COALESCE((SELECT max(id) FROM messages m WHERE m.conversation_id = conversations.id), 0);
CREATE INDEX conversations_last_message ON conversations(last_message_id, id);

-- +goose Down
DROP INDEX conversations_last_message;
ALTER TABLE conversations DROP COLUMN last_message_id;
ALTER TABLE conversations DROP COLUMN first_message_id;
ALTER TABLE conversations DROP COLUMN message_count;
