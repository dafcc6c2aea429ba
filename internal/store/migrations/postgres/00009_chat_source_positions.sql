-- +goose Up
-- Where each message sits in its source export, for the court printout's
-- gap markers: the export's own sequence number (WeChatMsg localId, chatlog
-- seq, PyWxDump id, WeCom seq; 0 when the format has none), the physical
-- record number in the file, and, when the sequence jumps before this
-- message, the previous number of the same conversation in the file and how
-- many numbers are missing.
ALTER TABLE messages ADD COLUMN source_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN source_record BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN gap_prev_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN gap_missing BIGINT NOT NULL DEFAULT 0;

-- Records an import skipped and why (the first 1000 of each import; the
-- total is chat_imports.skipped_count).
CREATE TABLE chat_import_skips (
    import_id BIGINT NOT NULL REFERENCES chat_imports(id),
    record    BIGINT NOT NULL,
    line      BIGINT NOT NULL,
    reason    TEXT NOT NULL,
    PRIMARY KEY (import_id, record)
);

-- De-duplication keys as bytes: a hash key ("h:" and 32 hex digits) becomes
-- its 16 bytes, every other key its UTF-8 bytes.
ALTER TABLE messages ALTER COLUMN msg_key TYPE BYTEA USING CASE
    WHEN msg_key ~ '^h:[0-9a-f]{32}$' THEN decode(substr(msg_key, 3), 'hex')
    ELSE convert_to(msg_key, 'UTF8') END;

-- +goose Down
ALTER TABLE messages ALTER COLUMN msg_key TYPE TEXT USING CASE
    WHEN length(msg_key) = 16 AND substr(msg_key, 1, 6) NOT IN ('wxsvr:'::bytea, 'wecom:'::bytea)
        AND substr(msg_key, 1, 8) <> 'chatlog:'::bytea THEN 'h:' || encode(msg_key, 'hex')
    ELSE convert_from(msg_key, 'UTF8') END;
DROP TABLE chat_import_skips;
ALTER TABLE messages DROP COLUMN gap_missing;
ALTER TABLE messages DROP COLUMN gap_prev_seq;
ALTER TABLE messages DROP COLUMN source_record;
ALTER TABLE messages DROP COLUMN source_seq;
