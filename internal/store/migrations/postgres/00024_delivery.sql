-- +goose Up
-- 说明：新增文件安全传输：案件文件（加密保存，分普通/保密/商业秘密）、保密协议记录、限时单人下载链接及其打开、下载、确认收悉记录
-- Documents of a matter to send to its clients. The file itself is a blob
-- (encrypted at rest); sha256 names it.
CREATE TABLE delivery_documents (
    id             BIGSERIAL PRIMARY KEY,
    matter_id      BIGINT NOT NULL REFERENCES matters(id),
    title          TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    media_type     TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL CHECK (classification IN ('ordinary', 'confidential', 'trade_secret')),
    sha256         TEXT NOT NULL,
    size           BIGINT NOT NULL,
    uploaded_by_id BIGINT REFERENCES users(id),
    uploaded_by    TEXT NOT NULL,
    uploaded_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX delivery_documents_matter ON delivery_documents(matter_id);

-- Signed NDAs on record: per matter and recipient, with the signed copy.
CREATE TABLE delivery_ndas (
    id             BIGSERIAL PRIMARY KEY,
    matter_id      BIGINT NOT NULL REFERENCES matters(id),
    recipient      TEXT NOT NULL,
    recipient_key  TEXT NOT NULL,
    signed_on      TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    size           BIGINT NOT NULL,
    recorded_by_id BIGINT REFERENCES users(id),
    recorded_by    TEXT NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX delivery_ndas_matter ON delivery_ndas(matter_id, recipient_key);

-- One link for one recipient. nonce_hash is the SHA-256 of the random part
-- of the signed token; code_hash the HMAC of the access code ('' for none).
CREATE TABLE deliveries (
    id                   BIGSERIAL PRIMARY KEY,
    document_id          BIGINT NOT NULL REFERENCES delivery_documents(id),
    matter_id            BIGINT NOT NULL REFERENCES matters(id),
    recipient            TEXT NOT NULL,
    nda_id               BIGINT REFERENCES delivery_ndas(id),
    nonce_hash           TEXT NOT NULL UNIQUE,
    code_hash            TEXT NOT NULL DEFAULT '',
    watermark            BOOLEAN NOT NULL DEFAULT FALSE,
    file_sha256          TEXT NOT NULL,
    file_size            BIGINT NOT NULL,
    issued_by_id         BIGINT REFERENCES users(id),
    issued_by            TEXT NOT NULL,
    sent_at              TIMESTAMPTZ NOT NULL,
    expires_at           TIMESTAMPTZ NOT NULL,
    revoked_at           TIMESTAMPTZ,
    revoked_by           TEXT NOT NULL DEFAULT '',
    first_opened_at      TIMESTAMPTZ,
    first_downloaded_at  TIMESTAMPTZ,
    confirmed_at         TIMESTAMPTZ,
    confirmed_name       TEXT NOT NULL DEFAULT '',
    code_failures        INTEGER NOT NULL DEFAULT 0,
    code_locked_until    TIMESTAMPTZ,
    reminded_at          TIMESTAMPTZ,
    evidence_id          BIGINT REFERENCES evidence_items(id)
);
CREATE INDEX deliveries_matter ON deliveries(matter_id);
CREATE INDEX deliveries_issuer ON deliveries(issued_by_id);

-- Every open, download, wrong code, confirmation and revocation of a link.
CREATE TABLE delivery_events (
    id          BIGSERIAL PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES deliveries(id),
    kind        TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
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
