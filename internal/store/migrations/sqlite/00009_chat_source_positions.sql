-- +goose Up
-- Where each message sits in its source export, for the court printout's
-- gap markers: the export's own sequence number (WeChatMsg localId, chatlog
-- seq, PyWxDump id, WeCom seq; 0 when the format has none), the physical
-- record number in the file, and, when the sequence jumps before this
-- message, the previous number of the same conversation in the file and how
-- many numbers are missing.
ALTER TABLE messages ADD COLUMN source_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN source_record INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN gap_prev_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN gap_missing INTEGER NOT NULL DEFAULT 0;

-- Records an import skipped and why (the first 1000 of each import; the
-- total is chat_imports.skipped_count).
CREATE TABLE chat_import_skips (
    import_id INTEGER NOT NULL REFERENCES chat_imports(id),
    record    INTEGER NOT NULL,
    line      INTEGER NOT NULL,
    reason    TEXT NOT NULL,
    PRIMARY KEY (import_id, record)
);

-- De-duplication keys as bytes: a hash key ("h:" and 32 hex digits) becomes
-- its 16 bytes, every other key its UTF-8 bytes. The unique index shrinks by
-- about a third, which matters once it outgrows the page cache. (SQLite
-- keeps the declared type TEXT; the values are BLOBs.)
UPDATE messages SET msg_key = CASE
    WHEN length(msg_key) = 34 AND msg_key GLOB 'h:*' AND substr(msg_key, 3) NOT GLOB '*[^0-9a-f]*' THEN unhex(substr(msg_key, 3))
    ELSE CAST(msg_key AS BLOB) END;

-- +goose Down
UPDATE messages SET msg_key = CASE
    WHEN length(msg_key) = 16 AND substr(msg_key, 1, 6) NOT IN (CAST('wxsvr:' AS BLOB), CAST('wecom:' AS BLOB))
        AND substr(msg_key, 1, 8) <> CAST('chatlog:' AS BLOB) THEN 'h:' || lower(hex(msg_key))
    ELSE CAST(msg_key AS TEXT) END;
DROP TABLE chat_import_skips;
ALTER TABLE messages DROP COLUMN gap_missing;
ALTER TABLE messages DROP COLUMN gap_prev_seq;
ALTER TABLE messages DROP COLUMN source_record;
ALTER TABLE messages DROP COLUMN source_seq;
