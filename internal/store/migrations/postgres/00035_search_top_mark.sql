-- +goose Up
-- 说明：检索索引加一个“顶标”，检索较早的一段消息更快（仅 SQLite）
-- Nothing to change on PostgreSQL (its token indexes are per quarter, and
-- a window reads only the quarters it touches). The file keeps the schema
-- versions of both engines equal.
SELECT 1;

-- +goose Down
SELECT 1;
