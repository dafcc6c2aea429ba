-- +goose Up
-- One row per imported export file; the file itself is kept in the blob store.
CREATE TABLE chat_imports (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT NOT NULL,
    format          TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    size            INTEGER NOT NULL,
    client_id       INTEGER,
    matter_id       INTEGER,
    new_count       INTEGER NOT NULL DEFAULT 0,
    duplicate_count INTEGER NOT NULL DEFAULT 0,
    skipped_count   INTEGER NOT NULL DEFAULT 0,
    imported_at     TIMESTAMP NOT NULL,
    imported_by     TEXT NOT NULL
);

CREATE TABLE conversations (
    id         INTEGER PRIMARY KEY,
    conv_key   TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
    title      TEXT NOT NULL,
    client_id  INTEGER,
    matter_id  INTEGER,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX conversations_matter ON conversations(matter_id);
CREATE INDEX conversations_client ON conversations(client_id);

CREATE TABLE conversation_participants (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    wxid            TEXT NOT NULL,
    nickname        TEXT NOT NULL,
    remark          TEXT NOT NULL,
    avatar          TEXT NOT NULL,
    is_self         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, wxid)
);
CREATE INDEX conversation_participants_wxid ON conversation_participants(wxid);

-- Which export files fed a conversation (the printout names their SHA-256).
CREATE TABLE conversation_sources (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    import_id       INTEGER NOT NULL REFERENCES chat_imports(id),
    PRIMARY KEY (conversation_id, import_id)
);

-- id is the send time in Unix seconds times 2^20 plus a slot: rowid order is
-- time order, so "newest first" walks the search index backwards and stops
-- after the first page. The send time is id >> 20 (no column of its own).
CREATE TABLE messages (
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
    source_line     INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, id);

-- Search index: the text as overlapping CJK bigrams plus single characters
-- (and lower-cased Latin words), tokenised in Go. Contentless: the text
-- lives in messages.body only.
CREATE VIRTUAL TABLE message_fts USING fts5(tokens, content='', contentless_delete=1, detail=none,
    tokenize='unicode61 remove_diacritics 0');

-- Monthly encrypted archives (归档) that were produced.
CREATE TABLE chat_archives (
    id          INTEGER PRIMARY KEY,
    month       TEXT NOT NULL,
    recipients  TEXT NOT NULL,
    blob_sha256 TEXT NOT NULL,
    size        INTEGER NOT NULL,
    messages    INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX chat_archives_month ON chat_archives(month);

-- +goose Down
DROP TABLE chat_archives;
DROP TABLE message_fts;
DROP TABLE messages;
DROP TABLE conversation_sources;
DROP TABLE conversation_participants;
DROP TABLE conversations;
DROP TABLE chat_imports;
