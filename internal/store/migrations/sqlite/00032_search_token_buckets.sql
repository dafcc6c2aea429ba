-- +goose Up
-- 说明：检索索引按季度分段（仅 PostgreSQL；SQLite 上此表为空）
-- PostgreSQL's per-quarter token indexes (see the PostgreSQL migration of
-- the same number). SQLite's FTS5 search stops at day marks instead
-- (migration 00030); the table stays empty here, kept for the schemas to
-- match.
CREATE TABLE message_token_buckets (
    lo BIGINT PRIMARY KEY,
    hi BIGINT NOT NULL,
    index_name TEXT NOT NULL
);

-- +goose Down
DROP TABLE message_token_buckets;
