-- +goose Up
-- 说明：消息中心（客服会话、自动回复、免打扰、响应时间）与案件群（成员、群公告已读确认）
-- Which lawyer a WeCom kf account's conversations belong to.
CREATE TABLE inbox_kf_accounts (
    open_kfid  TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    lawyer_id  INTEGER NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL
);

-- One client conversation: an external user writing to a kf account.
CREATE TABLE inbox_conversations (
    id                INTEGER PRIMARY KEY,
    channel           TEXT NOT NULL CHECK (channel IN ('kf', 'simulator')),
    open_kfid         TEXT NOT NULL DEFAULT '',
    external_user_id  TEXT NOT NULL,
    contact_id        INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    matter_id         INTEGER REFERENCES matters(id),
    lawyer_id         INTEGER REFERENCES users(id),
    last_message_at   TIMESTAMP NOT NULL,
    last_text         TEXT NOT NULL DEFAULT '',
    waiting_since     TIMESTAMP,
    auto_reply_period TIMESTAMP,
    unread            INTEGER NOT NULL DEFAULT 0,
    created_at        TIMESTAMP NOT NULL,
    UNIQUE (channel, open_kfid, external_user_id)
);
CREATE INDEX inbox_conversations_last ON inbox_conversations(last_message_at);
CREATE INDEX inbox_conversations_lawyer ON inbox_conversations(lawyer_id);
CREATE INDEX inbox_conversations_matter ON inbox_conversations(matter_id);

CREATE TABLE inbox_messages (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES inbox_conversations(id) ON DELETE CASCADE,
    direction       TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    msg_id          TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL DEFAULT 'text',
    text            TEXT NOT NULL,
    sent_at         TIMESTAMP NOT NULL,
    sender_id       INTEGER REFERENCES users(id),
    auto            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT '',
    error           TEXT NOT NULL DEFAULT '',
    urgent          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inbox_messages_conversation ON inbox_messages(conversation_id, id);
CREATE UNIQUE INDEX inbox_messages_msg_id ON inbox_messages(conversation_id, msg_id) WHERE msg_id <> '';

-- Answered waits, for response times counted in working minutes.
CREATE TABLE inbox_responses (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES inbox_conversations(id) ON DELETE CASCADE,
    lawyer_id       INTEGER NOT NULL REFERENCES users(id),
    asked_at        TIMESTAMP NOT NULL,
    answered_at     TIMESTAMP NOT NULL,
    working_minutes INTEGER NOT NULL
);
CREATE INDEX inbox_responses_answered ON inbox_responses(answered_at);

-- Daily do-not-disturb windows per user (HH:MM, Asia/Shanghai).
CREATE TABLE inbox_dnd (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    start_time TEXT NOT NULL,
    end_time   TEXT NOT NULL,
    PRIMARY KEY (user_id, start_time, end_time)
);

-- Welcome messages: each welcome code is used once.
CREATE TABLE inbox_welcomes (
    welcome_code     TEXT PRIMARY KEY,
    staff_userid     TEXT NOT NULL DEFAULT '',
    external_user_id TEXT NOT NULL DEFAULT '',
    lawyer_id        INTEGER REFERENCES users(id),
    text             TEXT NOT NULL,
    status           TEXT NOT NULL,
    error            TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL
);

-- Case groups (案件群) synced from WeCom.
CREATE TABLE case_groups (
    id           INTEGER PRIMARY KEY,
    chat_id      TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL DEFAULT '',
    owner_userid TEXT NOT NULL DEFAULT '',
    lawyer_id    INTEGER REFERENCES users(id),
    matter_id    INTEGER REFERENCES matters(id),
    dismissed_at TIMESTAMP,
    synced_at    TIMESTAMP NOT NULL
);
CREATE INDEX case_groups_matter ON case_groups(matter_id);

CREATE TABLE case_group_members (
    group_id  INTEGER NOT NULL REFERENCES case_groups(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL,
    type      TEXT NOT NULL CHECK (type IN ('staff', 'external')),
    name      TEXT NOT NULL DEFAULT '',
    kept      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, member_id)
);

-- Important notices with read confirmation on a public page (token).
CREATE TABLE case_group_notices (
    id         INTEGER PRIMARY KEY,
    group_id   INTEGER NOT NULL REFERENCES case_groups(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    token      TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_group_notices_group ON case_group_notices(group_id);

CREATE TABLE case_group_notice_reads (
    notice_id    INTEGER NOT NULL REFERENCES case_group_notices(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    confirmed_at TIMESTAMP NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (notice_id, name)
);

-- +goose Down
DROP TABLE case_group_notice_reads;
DROP TABLE case_group_notices;
DROP TABLE case_group_members;
DROP TABLE case_groups;
DROP TABLE inbox_welcomes;
DROP TABLE inbox_dnd;
DROP TABLE inbox_responses;
DROP TABLE inbox_messages;
DROP TABLE inbox_conversations;
DROP TABLE inbox_kf_accounts;
