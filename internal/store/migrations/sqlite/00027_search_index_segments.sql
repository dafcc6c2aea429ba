-- +goose Up
-- 说明：检索索引在导入时先在内存中积累更多词条再写盘：导入少做合并、索引段更少，检索要查的段也更少（仅 SQLite）
-- FTS5 writes a new index segment each time its in-memory table of new
-- entries exceeds hashsize (1 MB by default) and merges segments in the
-- background of later writes. An import of 1,000,000 messages left 9
-- segments after rewriting the index several times; every AND search then
-- seeks in each segment's doclist. With 32 MB the same import writes 3
-- segments and no merges (less CPU and less written); the writer's memory
-- stays bounded by the 32 MB hash plus its page cache. See docs/PERFORMANCE.md.
INSERT INTO message_fts(message_fts, rank) VALUES ('hashsize', 33554432);

-- +goose Down
DELETE FROM message_fts_config WHERE k = 'hashsize';
