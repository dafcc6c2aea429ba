-- +goose Up
-- 说明：检索索引的待合并列表上限改为 256 KB，刚导入大量消息后的检索不再变慢（仅 PostgreSQL）
-- Nothing to change on SQLite: FTS5 has no pending list. The file keeps
-- the schema versions of both engines equal. (An fts5vocab table to order
-- AND terms rarest first was measured and dropped: FTS5 already seeks in
-- the longer doclists, so term order made no difference, and a vocabulary
-- lookup walks the term's whole doclist: 0.3-0.9 ms per token at 200,000
-- messages, more than the search itself. See docs/PERFORMANCE.md.)
SELECT 1;

-- +goose Down
SELECT 1;
