-- +goose Up
-- 说明：消息去重键前加发送时间（秒），导入时按时间顺序写入去重索引，大量导入不再随机改写索引页
-- A hash key (16 bytes, a hash of the message's second, sender and text)
-- gains its message's second in front (4 bytes, big-endian, the low 32
-- bits of id >> 20), as store.appendKeyBytes now writes it: the unique
-- index on (conversation_id, msg_key) then holds an import's keys in time
-- order. Text keys ("wxsvr:…", "wecom:…", "chatlog:…") stay as they are.
-- The classification is the one of migration 00009's Down. || yields TEXT
-- in SQLite: the CAST keeps the value a BLOB, as the writer binds it.
UPDATE messages SET msg_key = CAST(unhex(printf('%08x', (id >> 20) & 4294967295)) || msg_key AS BLOB)
WHERE length(msg_key) = 16 AND substr(msg_key, 1, 6) NOT IN (CAST('wxsvr:' AS BLOB), CAST('wecom:' AS BLOB))
    AND substr(msg_key, 1, 8) <> CAST('chatlog:' AS BLOB);

-- +goose Down
UPDATE messages SET msg_key = CAST(substr(msg_key, 5) AS BLOB)
WHERE length(msg_key) = 20 AND substr(msg_key, 1, 4) = unhex(printf('%08x', (id >> 20) & 4294967295))
    AND substr(msg_key, 1, 6) NOT IN (CAST('wxsvr:' AS BLOB), CAST('wecom:' AS BLOB))
    AND substr(msg_key, 1, 8) <> CAST('chatlog:' AS BLOB);
