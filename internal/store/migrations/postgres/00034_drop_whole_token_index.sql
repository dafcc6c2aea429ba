-- +goose Up
-- 说明：删除全表检索索引，检索只用按季度分段的索引；在 PostgreSQL 上导入大量消息更快（仅 PostgreSQL）
-- Every message lies in a quarter whose partial token index exists
-- (migration 00032, store.ensureTokenBuckets), and the search reads those
-- (store.candidateQuery). The index over the whole table only doubled what
-- an import writes: each new row went into it one at a time, while a new
-- quarter's index is built in bulk after its rows are in. A 1M-message
-- import spent most of its time on it. See docs/SEARCH.md.
DROP INDEX messages_tokens;

-- +goose Down
CREATE INDEX messages_tokens ON messages USING GIN (tokens) WITH (gin_pending_list_limit = 256);
