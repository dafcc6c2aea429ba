-- +goose Up
-- 说明：检索索引加一个“顶标”：检索较早的一段消息（“继续检索更早的消息”、并行检索的较早一半）时不再先读过更新的全部消息（仅 SQLite）
-- FTS5 finds an AND's first match from the newest end of the words'
-- doclists before it seeks to a statement's upper rowid bound, so a window
-- below the newest messages read the doclists of everything newer first:
-- a zero-hit AND over the older half of 1,000,000 messages cost as much
-- as over all of them. This document, above every message id and holding
-- only a token no text produces, is ORed with every word of a statement
-- of two or more words (searchSQLite): the AND's first match is then this
-- document at once, and FTS5 seeks each word straight to the bound. See
-- message_days.go and docs/SEARCH.md.
INSERT INTO message_fts (rowid, tokens) VALUES (9223372036854775807, '窗界标顶');

-- +goose Down
DELETE FROM message_fts WHERE rowid = 9223372036854775807;
