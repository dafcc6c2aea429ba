-- +goose Up
-- 说明：消息去重键前加发送时间（秒），导入时按时间顺序写入去重索引，大量导入不再随机改写索引页
-- A hash key (16 bytes, a hash of the message's second, sender and text)
-- gains its message's second in front (4 bytes, big-endian, the low 32
-- bits of id >> 20), as store.appendKeyBytes now writes it: the unique
-- index on (conversation_id, msg_key) then holds an import's keys in time
-- order. Text keys ("wxsvr:…", "wecom:…", "chatlog:…") stay as they are.
-- The classification is the one of migration 00009's Down.
UPDATE messages SET msg_key = decode(lpad(to_hex((id >> 20) & 4294967295), 8, '0'), 'hex') || msg_key
WHERE length(msg_key) = 16 AND substr(msg_key, 1, 6) NOT IN ('wxsvr:'::bytea, 'wecom:'::bytea)
    AND substr(msg_key, 1, 8) <> 'chatlog:'::bytea;
-- Every entry of the unique index moved: rebuild it compactly.
REINDEX INDEX messages_conversation_key;

-- +goose Down
UPDATE messages SET msg_key = substr(msg_key, 5)
WHERE length(msg_key) = 20 AND substr(msg_key, 1, 4) = decode(lpad(to_hex((id >> 20) & 4294967295), 8, '0'), 'hex')
    AND substr(msg_key, 1, 6) NOT IN ('wxsvr:'::bytea, 'wecom:'::bytea)
    AND substr(msg_key, 1, 8) <> 'chatlog:'::bytea;
REINDEX INDEX messages_conversation_key;
