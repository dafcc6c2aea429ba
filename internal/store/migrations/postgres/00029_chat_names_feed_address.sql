-- +goose Up
-- 说明：会话可以改名（显示名称与导出文件中的标识分开保存）；会话成员可以对应到通讯录联系人；日历订阅地址可以随时再次查看
-- display_name: the name a user gave the conversation ('' = the export's
-- title); an import never overwrites it. contact_id: the client-book
-- contact a participant is (0 = not mapped; a deleted contact reads as
-- unmapped because reads join the contacts table). token: the feed's
-- secret, so the subscription page can show the address again ('' for
-- feeds made before this version: those show "regenerate to see it").
ALTER TABLE conversations ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE conversation_participants ADD COLUMN contact_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE calendar_feeds ADD COLUMN token TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE calendar_feeds DROP COLUMN token;
ALTER TABLE conversation_participants DROP COLUMN contact_id;
ALTER TABLE conversations DROP COLUMN display_name;
