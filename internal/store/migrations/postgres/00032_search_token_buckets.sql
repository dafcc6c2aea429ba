-- +goose Up
-- 说明：检索索引按季度分段（每季度一个部分索引），每次检索只读所检索时间段的索引，耗时不再随整个档案增长（仅 PostgreSQL）
-- One partial GIN index on messages(tokens) per calendar quarter (UTC) of
-- message ids, listed here; writers create the index of a new quarter in
-- the transaction that adds its first messages (store.ensureTokenBuckets).
-- The index over the whole table (messages_tokens) stays: a search whose
-- window reaches into every quarter (an archive within the request budget,
-- searched whole) reads it in one index scan instead of one per quarter
-- (store.candidateQuery). Building each quarter's index scans the table
-- once.
CREATE TABLE message_token_buckets (
    lo BIGINT PRIMARY KEY,
    hi BIGINT NOT NULL,
    index_name TEXT NOT NULL
);
-- +goose StatementBegin
DO $$
DECLARE
    q timestamp;
    lo bigint;
    hi bigint;
    name text;
BEGIN
    -- The quarters of the messages themselves (one pass over the table),
    -- not of message_days: no message may be left without its index. Read
    -- whole first: CREATE INDEX cannot run while a loop reads messages.
    FOREACH q IN ARRAY ARRAY(SELECT DISTINCT date_trunc('quarter', to_timestamp(day * 86400) AT TIME ZONE 'UTC')
            FROM (SELECT DISTINCT ((id >> 20) - CASE WHEN id < 0 THEN 86399 ELSE 0 END) / 86400 AS day
                FROM messages) days ORDER BY 1) LOOP
        lo := extract(epoch FROM q)::bigint << 20;
        hi := extract(epoch FROM q + interval '3 months')::bigint << 20;
        name := 'messages_tokens_' || to_char(q, 'YYYY') || 'q' || to_char(q, 'Q');
        EXECUTE format('CREATE INDEX %I ON messages USING gin (tokens) WITH (gin_pending_list_limit = 256) WHERE id >= %s AND id < %s',
            name, lo, hi);
        INSERT INTO message_token_buckets (lo, hi, index_name) VALUES (lo, hi, name);
    END LOOP;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    name text;
BEGIN
    FOR name IN SELECT index_name FROM message_token_buckets LOOP
        EXECUTE format('DROP INDEX %I', name);
    END LOOP;
END $$;
-- +goose StatementEnd
DROP TABLE message_token_buckets;
