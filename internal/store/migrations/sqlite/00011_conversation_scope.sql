-- +goose Up
-- 说明：会话按“案件 + 导出账号或导入人”区分（不同导出中相同的本地会话编号不再合并）；消息按会话去重
-- A conversation's identity is scoped to where its export came from, so that
-- two unrelated exports that use the same local chat id (WeChatMsg's small
-- TalkerId numbers, a file name) never land in one conversation:
--   conv_key = <scope> "|" <key from the export>
--   scope    = "m:<matter id>/" when imported into a matter, then
--              "a:<account wxid>" when the importer named the exporting
--              account, and "u:<importer>" when no account was named or no
--              matter was chosen (archive.conversationScope).
-- Existing conversations take the scope of their first import (no account
-- was recorded before this version).
ALTER TABLE chat_imports ADD COLUMN self_wxid TEXT NOT NULL DEFAULT '';

-- The command line is named 命令行 in every record (it was "cli" in imports).
UPDATE chat_imports SET imported_by = '命令行' WHERE imported_by = 'cli';

UPDATE conversations SET conv_key =
    CASE WHEN matter_id IS NOT NULL THEN 'm:' || matter_id || '/' ELSE '' END
    || 'u:' || COALESCE((SELECT i.imported_by FROM conversation_sources s JOIN chat_imports i ON i.id = s.import_id
                         WHERE s.conversation_id = conversations.id ORDER BY i.id LIMIT 1), '')
    || '|' || conv_key;

-- Messages are unique per conversation, not across the archive: the same
-- server message id in two scoped conversations is two rows. SQLite cannot
-- drop a column's UNIQUE constraint, so the table is rebuilt with the same
-- ids (the search index is keyed by id and stays valid).
CREATE TABLE messages_new (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    msg_key         TEXT NOT NULL,
    sender_wxid     TEXT NOT NULL,
    sender_name     TEXT NOT NULL,
    is_self         INTEGER NOT NULL DEFAULT 0,
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL,
    att_name        TEXT NOT NULL DEFAULT '',
    att_ref         TEXT NOT NULL DEFAULT '',
    att_blob        TEXT NOT NULL DEFAULT '',
    att_size        INTEGER NOT NULL DEFAULT 0,
    import_id       INTEGER NOT NULL,
    source_line     INTEGER NOT NULL,
    source_seq      INTEGER NOT NULL DEFAULT 0,
    source_record   INTEGER NOT NULL DEFAULT 0,
    gap_prev_seq    INTEGER NOT NULL DEFAULT 0,
    gap_missing     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO messages_new (id, conversation_id, msg_key, sender_wxid, sender_name, is_self, kind, body,
    att_name, att_ref, att_blob, att_size, import_id, source_line, source_seq, source_record, gap_prev_seq, gap_missing)
SELECT id, conversation_id, msg_key, sender_wxid, sender_name, is_self, kind, body,
    att_name, att_ref, att_blob, att_size, import_id, source_line, source_seq, source_record, gap_prev_seq, gap_missing
FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
CREATE INDEX messages_conversation ON messages(conversation_id, id);
CREATE UNIQUE INDEX messages_conversation_key ON messages(conversation_id, msg_key);

-- +goose Down
CREATE TABLE messages_old (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    msg_key         TEXT NOT NULL UNIQUE,
    sender_wxid     TEXT NOT NULL,
    sender_name     TEXT NOT NULL,
    is_self         INTEGER NOT NULL DEFAULT 0,
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL,
    att_name        TEXT NOT NULL DEFAULT '',
    att_ref         TEXT NOT NULL DEFAULT '',
    att_blob        TEXT NOT NULL DEFAULT '',
    att_size        INTEGER NOT NULL DEFAULT 0,
    import_id       INTEGER NOT NULL,
    source_line     INTEGER NOT NULL,
    source_seq      INTEGER NOT NULL DEFAULT 0,
    source_record   INTEGER NOT NULL DEFAULT 0,
    gap_prev_seq    INTEGER NOT NULL DEFAULT 0,
    gap_missing     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO messages_old SELECT id, conversation_id, msg_key, sender_wxid, sender_name, is_self, kind, body,
    att_name, att_ref, att_blob, att_size, import_id, source_line, source_seq, source_record, gap_prev_seq, gap_missing
FROM messages;
DROP TABLE messages;
ALTER TABLE messages_old RENAME TO messages;
CREATE INDEX messages_conversation ON messages(conversation_id, id);
UPDATE conversations SET conv_key = substr(conv_key, instr(conv_key, '|') + 1);
ALTER TABLE chat_imports DROP COLUMN self_wxid;
