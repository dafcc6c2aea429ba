-- +goose Up
-- 说明：为按用户计算可见会话、按案件列出咨询增加索引（由案件与导入记录查到用户的会话，不再读取全部会话）
-- The chat access rule in SQL (store.VisibleConversationIDs) reaches a
-- user's conversations from their matters and their imports.
CREATE INDEX chat_imports_matter ON chat_imports(matter_id);
CREATE INDEX chat_imports_imported_by ON chat_imports(imported_by);
CREATE INDEX conversation_sources_import ON conversation_sources(import_id);
-- The matter page lists its consultations newest first.
CREATE INDEX consultations_matter ON consultations(matter_id, started_at);

-- +goose Down
DROP INDEX consultations_matter;
DROP INDEX conversation_sources_import;
DROP INDEX chat_imports_imported_by;
DROP INDEX chat_imports_matter;
