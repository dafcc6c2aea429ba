-- +goose Up
-- 说明：删除全表检索索引，检索只用按季度分段的索引（仅 PostgreSQL）
-- Nothing to change on SQLite (its FTS5 index is one table, searched
-- window by window through the day marks of migration 00030). The file
-- keeps the schema versions of both engines equal.
SELECT 1;

-- +goose Down
SELECT 1;
