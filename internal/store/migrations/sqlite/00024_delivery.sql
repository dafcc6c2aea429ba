-- +goose Up
-- 说明：新增文件安全传输：案件文件（加密保存，分普通/保密/商业秘密）、保密协议记录、限时单人下载链接及其打开、下载、确认收悉记录
-- Documents of a matter to send to its clients. The file itself is a blob
-- (encrypted at rest); sha256 names it.
CREATE TABLE delivery_documents (
    id             INTEGER PRIMARY KEY,
    matter_id      INTEGER NOT NULL REFERENCES matters(id),
    title          TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    media_type     TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL CHECK (classification IN ('ordinary', 'confidential', 'trade_secret')),
    sha256         TEXT NOT NULL,
    size           INTEGER NOT NULL,
    uploaded_by_id INTEGER REFERENCES users(id),
    uploaded_by    TEXT NOT NULL,
    uploaded_at    TIMESTAMP NOT NULL
);
CREATE INDEX delivery_documents_matter ON delivery_documents(matter_id);

-- Signed NDAs on record: per matter and recipient, with the signed copy.
CREATE TABLE delivery_ndas (
    id             INTEGER PRIMARY KEY,
    matter_id      INTEGER NOT NULL REFERENCES matters(id),
    recipient      TEXT NOT NULL,
    recipient_key  TEXT NOT NULL,
    signed_on      TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    size           INTEGER NOT NULL,
    recorded_by_id INTEGER REFERENCES users(id),
    recorded_by    TEXT NOT NULL,
    recorded_at    TIMESTAMP NOT NULL
);
CREATE INDEX delivery_ndas_matter ON delivery_ndas(matter_id, recipient_key);

-- One link for one recipient. nonce_hash is the SHA-256 of the random part
-- of the signed token; code_hash the HMAC of the access code ('' for none).
CREATE TABLE deliveries (
    id                   INTEGER PRIMARY KEY,
    document_id          INTEGER NOT NULL REFERENCES delivery_documents(id),
    matter_id            INTEGER NOT NULL REFERENCES matters(id),
    recipient            TEXT NOT NULL,
    nda_id               INTEGER REFERENCES delivery_ndas(id),
    nonce_hash           TEXT NOT NULL UNIQUE,
    code_hash            TEXT NOT NULL DEFAULT '',
    watermark            INTEGER NOT NULL DEFAULT 0,
    file_sha256          TEXT NOT NULL,
    file_size            INTEGER NOT NULL,
    issued_by_id         INTEGER REFERENCES users(id),
    issued_by            TEXT NOT NULL,
    sent_at              TIMESTAMP NOT NULL,
    expires_at           TIMESTAMP NOT NULL,
    revoked_at           TIMESTAMP,
    revoked_by           TEXT NOT NULL DEFAULT '',
    first_opened_at      TIMESTAMP,
    first_downloaded_at  TIMESTAMP,
    confirmed_at         TIMESTAMP,
    confirmed_name       TEXT NOT NULL DEFAULT '',
    code_failures        INTEGER NOT NULL DEFAULT 0,
    code_locked_until    TIMESTAMP,
    reminded_at          TIMESTAMP,
    evidence_id          INTEGER REFERENCES evidence_items(id)
);
CREATE INDEX deliveries_matter ON deliveries(matter_id);
CREATE INDEX deliveries_issuer ON deliveries(issued_by_id);

-- Every open, download, wrong code, confirmation and revocation of a link.
CREATE TABLE delivery_events (
    id          INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
    kind        TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_events_delivery ON delivery_events(delivery_id, at);

-- +goose Down
DROP TABLE delivery_events;
DROP TABLE deliveries;
DROP TABLE delivery_ndas;
DROP TABLE delivery_documents;
