// Package chatexport owns the parsing of chat exports into model.Conversation
// and model.Message values. It reads the files that third-party tools write
// (WeChatMsg/留痕 CSV and TXT, sjzar/chatlog JSON and CSV, PyWxDump CSV, the
// decrypted JSON of WeCom 会话内容存档) and text pasted from a forwarded chat
// record (合并转发的聊天记录). One file per format; Detect picks the format
// from the first bytes, Parse streams the messages to a callback so a file of
// a million messages never sits in memory. The package does no I/O of its own
// beyond the reader it is given and imports nothing of ours but model and
// calendar (for the Asia/Shanghai zone).
//
// # Message keys
//
// Every emitted message has a non-empty model.Message.Key that is the same
// for the same message in a re-import or in an overlapping export of the same
// format, so the importer can de-duplicate:
//
//   - "wxsvr:<MsgSvrID>" when the export carries WeChat's server message id
//     (PyWxDump CSV);
//   - "wecom:<msgid>" for WeCom archive messages;
//   - "chatlog:<talker>:<seq>" for chatlog JSON, whose seq is the database
//     sort key (10-digit timestamp + 3-digit sequence);
//   - otherwise "h:<32 hex>" = the first 16 bytes of SHA-256 over the
//     conversation key, the Unix second of the message, the sender (wxid, or
//     the display name when the format has no wxid), the message text and the
//     attachment reference, plus an occurrence counter that numbers identical
//     messages in the same second of the same conversation (consecutive in
//     the file: the counter restarts when the second changes). Two exports
//     that overlap therefore agree on the overlap as long as the overlap does
//     not begin in the middle of a run of identical messages within one
//     second.
//
// Hash keys depend on how a format names the sender and the conversation, so
// the same message exported by two different tools usually gets two
// different keys; only server ids are comparable across formats.
//
// # Conversations
//
// Parse passes the same *model.Conversation pointer for all messages of one
// conversation. Participants are appended as they are discovered and Kind may
// turn from direct to group when a third party speaks (formats that do not
// say which kind a chat is): the conversation is complete when Parse returns.
// Formats whose files hold one chat without naming it (WeChatMsg CSV and TXT,
// forwarded text) take the conversation key from Options.ConversationKey, or
// else derive it from the file (TalkerId column, title line, or file name).
//
// # Errors
//
// Malformed input yields a *ParseError (errors.Is(err, ErrMalformed)) whose
// message names the file, the physical line and the reason in Simplified
// Chinese, e.g. `chat.csv 第 12 行：CreateTime 不是有效的时间戳："abc"`; the
// caller rejects the whole file. Well-formed rows of an unsupported kind are
// kept as model.MessageOther with the raw content, or counted in
// Stats.Skipped with a reason; nothing is dropped silently.
package chatexport
