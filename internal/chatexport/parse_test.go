package chatexport

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// wantMsg describes one expected message; empty fields are not checked.
type wantMsg struct {
	line   int
	kind   model.MessageKind
	sender string // SenderWxID, or SenderName when the format has no ids
	self   bool
	text   string // substring of Text
	ref    string // Attachment.Ref; "" means no attachment
	key    string // exact key; "" means any
}

type wantConv struct {
	key          string
	kind         model.ConversationKind
	title        string
	participants int
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file   string
		format Format
		opts   Options
		convs  []wantConv
		msgs   []wantMsg
		first  time.Time // SentAt of the first message
		skips  int
	}{
		{
			file: "wechatmsg.csv", format: FormatWeChatMsgCSV,
			convs: []wantConv{{"wechatmsg:7", model.ConversationGroup, "wechatmsg", 3}},
			first: time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC),
			msgs: []wantMsg{
				{line: 2, kind: model.MessageSystem, text: "加入了群聊"},
				{line: 3, kind: model.MessageText, sender: "wxid_wangwu123", text: "租赁合同的事想咨询一下 🙏"},
				{line: 4, kind: model.MessageText, sender: "wxid_lawyer_zhang", self: true, text: "发我看一下。\n另外押金收据"},
				{line: 6, kind: model.MessageImage, sender: "wxid_wangwu123", text: "[图片]", ref: "md5:9e107d9d372bb6826bd81d3542a419d6"},
				{line: 7, kind: model.MessageFile, text: "房屋租赁合同.docx", ref: "md5:3f7d2a"},
				{line: 8, kind: model.MessageText, sender: "wxid_lisi456", text: "👨\u200d👩\u200d👧"},
				{line: 9, kind: model.MessageVoice, ref: "clientmsgid:41a0c7"},
				{line: 10, kind: model.MessageRevoke, text: "撤回了一条消息"},
				{line: 11, kind: model.MessageLink, self: true, ref: "https://www.court.gov.cn/fabu/xiangqing/1234.html", text: "法释〔2009〕11号"},
				{line: 12, kind: model.MessageText, text: "那押金能要回来吗？\n「引用 张律师：请把合同发我看一下。」"},
				{line: 13, kind: model.MessageRevoke, text: `"王五" 撤回了一条消息`},
				{line: 14, kind: model.MessageOther, text: "[类型 9999] 某种新类型的消息内容"},
				{line: 15, kind: model.MessageSticker, self: true, ref: "http://emoji.qpic.cn/wx_emoji/abc/0"},
				{line: 16, kind: model.MessageVideo, ref: "md5:a1b2c3d4"},
			},
		},
		{
			file: "wechatmsg.txt", format: FormatWeChatMsgTXT, opts: Options{SelfName: "张律师"},
			convs: []wantConv{{"wechatmsg-txt:wechatmsg", model.ConversationDirect, "wechatmsg", 2}},
			first: time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC),
			msgs: []wantMsg{
				{line: 1, kind: model.MessageText, sender: "王五", text: "劳动合同的问题 😀"},
				{line: 4, kind: model.MessageText, sender: "张律师", self: true, text: "您好，请讲。\n\n第二段：需要您提供劳动合同原件。"},
				{line: 9, kind: model.MessageImage, sender: "王五", text: "[图片]"},
				{line: 12, kind: model.MessageFile, text: "[文件] 劳动合同.pdf", ref: "劳动合同.pdf"},
				{line: 15, kind: model.MessageRevoke},
				{line: 18, kind: model.MessageText, self: true, text: "👩\u200d⚖️"},
			},
		},
		{
			file: "chatlog.json", format: FormatChatlogJSON,
			convs: []wantConv{
				{"12345678@chatroom", model.ConversationGroup, "王五租赁纠纷案件群", 3},
				{"wxid_wangwu123", model.ConversationDirect, "王五", 2},
			},
			first: time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC),
			msgs: []wantMsg{
				{line: 2, kind: model.MessageText, sender: "wxid_wangwu123", text: "大家好👋", key: "chatlog:12345678@chatroom:1709258400000"},
				{line: 3, kind: model.MessageImage, self: true, ref: "md5:9e107d9d372bb6826bd81d3542a419d6"},
				{line: 4, kind: model.MessageRevoke, sender: "", text: "撤回了一条消息"},
				{line: 5, kind: model.MessageFile, text: "起诉状.docx", ref: "md5:3f7d2a"},
				{line: 6, kind: model.MessageText, text: "私聊一下：\n开庭时间定了吗？"},
				{line: 7, kind: model.MessageLink, self: true, ref: "https://example.court.gov.cn/notice/1"},
				{line: 8, kind: model.MessageOther, text: "[名片] 赵六"},
			},
		},
		{
			file: "chatlog.csv", format: FormatChatlogCSV,
			convs: []wantConv{
				{"wxid_wangwu123", model.ConversationDirect, "王五", 2},
				{"999@chatroom", model.ConversationGroup, "案件群", 1},
			},
			first: time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC),
			msgs: []wantMsg{
				{line: 2, kind: model.MessageText, sender: "wxid_wangwu123", text: "合同的事\n麻烦您了"},
				{line: 4, kind: model.MessageImage, self: true, ref: "http://127.0.0.1:5030/image/9e107d9d372bb6826bd81d3542a419d6"},
				{line: 5, kind: model.MessageFile, ref: "http://127.0.0.1:5030/file/3f7d2a"},
				{line: 6, kind: model.MessageText, sender: "wxid_lisi456", text: "🧑\u200d💻"},
				{line: 7, kind: model.MessageRevoke, sender: ""},
			},
		},
		{
			file: "pywxdump.csv", format: FormatPyWxDumpCSV, opts: Options{SelfWxID: "wxid_lawyer_zhang"},
			convs: []wantConv{
				{"wxid_wangwu123", model.ConversationDirect, "wxid_wangwu123", 2},
				{"55555@chatroom", model.ConversationGroup, "55555@chatroom", 2},
			},
			first: time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC),
			msgs: []wantMsg{
				{line: 2, kind: model.MessageText, sender: "wxid_wangwu123", key: "wxsvr:8070546243471204512"},
				{line: 3, kind: model.MessageText, self: true, sender: "wxid_lawyer_zhang", text: `"王总"`},
				{line: 4, kind: model.MessageImage, text: "[图片]", ref: `FileStorage\MsgAttach\abc\Image\2024-03\9e107d.dat`},
				{line: 5, kind: model.MessageSystem},
				{line: 6, kind: model.MessageRevoke},
				{line: 7, kind: model.MessageText, text: "😂"},
				{line: 8, kind: model.MessageVoice, self: true, sender: "wxid_lawyer_zhang", ref: `FileStorage\Voice\abc.silk`},
				{line: 9, kind: model.MessageFile, ref: `FileStorage\File\2024-03\证据清单.xlsx`},
				{line: 10, kind: model.MessageSystem, text: "拍了拍我"},
				{line: 11, kind: model.MessageOther, text: "[未知类型99] xyz"},
			},
		},
		{
			file: "wecom.jsonl", format: FormatWeComJSON, opts: Options{SelfWxID: "zhanglawyer"},
			convs: []wantConv{
				{"wecom:direct:wmGAgeDQAAvQeaTqWwkMTxGMkvI7OOuQ|zhanglawyer", model.ConversationDirect, "wmGAgeDQAAvQeaTqWwkMTxGMkvI7OOuQ", 2},
				{"wecom:room:wrJawBCQAAS1eZ4CJqbcm3QL8Hs0fe3w", model.ConversationGroup, "wrJawBCQAAS1eZ4CJqbcm3QL8Hs0fe3w", 3},
			},
			first: time.Date(2024, 3, 1, 2, 0, 0, 123e6, time.UTC),
			skips: 1,
			msgs: []wantMsg{
				{line: 1, kind: model.MessageText, self: true, sender: "zhanglawyer", text: "张律师😊", key: "wecom:CAQQluDa4QUY0On2rYSAgAMgzPrShAE="},
				{line: 2, kind: model.MessageImage, ref: "CtYBMzA2OTAyMDEwMjA0NjIzMDYwMDIwMTAwMDIwNGJmODYwMjAz"},
				{line: 3, kind: model.MessageFile, text: "劳动仲裁申请书.docx", ref: "E4ODRkZjIzYjNiMmQzYjg2NjdiOWYwMDIwMTA1MDIwMTAwMDQwMA=="},
				{line: 4, kind: model.MessageRevoke, text: "CAQQ3tDa4QUY0On2rYSAgAMgzPrShAE="},
				{line: 6, kind: model.MessageText, self: true, text: "建了个案件群，\n大家有事在这里说"},
				{line: 7, kind: model.MessageSystem, text: "同意会话内容存档"},
				{line: 8, kind: model.MessageText, sender: "lisi", text: "证据照片如下\n[image SDKIMG1]", ref: "SDKIMG1"},
				{line: 9, kind: model.MessageOther, text: `"votetitle": "开庭时间"`},
				{line: 10, kind: model.MessageLink, self: true, ref: "https://flk.npc.gov.cn/detail2.html?abc"},
			},
		},
		{
			file: "forwarded.txt", format: FormatForwardedText,
			convs: []wantConv{{"forwarded:张三和李四的聊天记录", model.ConversationDirect, "张三和李四的聊天记录", 2}},
			first: time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC),
			msgs: []wantMsg{
				{line: 5, kind: model.MessageText, sender: "张三", text: "聊天发给您看\n房东说押金不退"},
				{line: 9, kind: model.MessageImage, sender: "李四"},
				{line: 12, kind: model.MessageText, sender: "张三", text: "😤"},
				{line: 15, kind: model.MessageText, sender: "李四", text: "好的，我知道了。\n周五 15:00\n明天 10:00 我们电话沟通"},
				{line: 20, kind: model.MessageRevoke, sender: "李四"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			out := parseFixture(t, tt.file, tt.format, tt.opts)
			if len(out.msgs) != len(tt.msgs) {
				t.Fatalf("got %d messages, want %d", len(out.msgs), len(tt.msgs))
			}
			if got := out.msgs[0].SentAt; !got.Equal(tt.first) {
				t.Errorf("first SentAt = %v, want %v", got, tt.first)
			}
			if out.stats.SkippedTotal != tt.skips || len(out.stats.Skipped) != tt.skips {
				t.Errorf("skipped = %d %v, want %d", out.stats.SkippedTotal, out.stats.Skipped, tt.skips)
			}
			if out.stats.Conversations != len(tt.convs) || len(out.convs) != len(tt.convs) {
				t.Fatalf("conversations = %d (stats %d), want %d", len(out.convs), out.stats.Conversations, len(tt.convs))
			}
			for i, want := range tt.convs {
				got := out.convs[i]
				if got.Key != want.key || got.Kind != want.kind || got.Title != want.title || len(got.Participants) != want.participants {
					t.Errorf("conversation %d = %q %s %q %d participants, want %+v", i, got.Key, got.Kind, got.Title, len(got.Participants), want)
				}
			}
			kinds := map[model.MessageKind]int{}
			for i, want := range tt.msgs {
				got := out.msgs[i]
				kinds[got.Kind]++
				checkMessage(t, got, want)
			}
			for kind, n := range kinds {
				if out.stats.Kinds[kind] != n {
					t.Errorf("Stats.Kinds[%s] = %d, want %d", kind, out.stats.Kinds[kind], n)
				}
			}
		})
	}
}

func checkMessage(t *testing.T, got *model.Message, want wantMsg) {
	t.Helper()
	if got.SourceLine != want.line {
		t.Errorf("message at line %d, want line %d (%q)", got.SourceLine, want.line, got.Text)
		return
	}
	sender := got.SenderWxID
	if sender == "" {
		sender = got.SenderName
	}
	if got.Kind != want.kind || got.IsSelf != want.self {
		t.Errorf("line %d: kind %s self %v, want %s %v", want.line, got.Kind, got.IsSelf, want.kind, want.self)
	}
	if want.sender != "" && sender != want.sender {
		t.Errorf("line %d: sender %q, want %q", want.line, sender, want.sender)
	}
	if !strings.Contains(got.Text, want.text) {
		t.Errorf("line %d: text %q, want it to contain %q", want.line, got.Text, want.text)
	}
	switch {
	case want.ref == "" && got.Attachment != nil:
		t.Errorf("line %d: unexpected attachment %+v", want.line, *got.Attachment)
	case want.ref != "" && (got.Attachment == nil || got.Attachment.Ref != want.ref):
		t.Errorf("line %d: attachment %+v, want ref %q", want.line, got.Attachment, want.ref)
	}
	if want.key != "" && got.Key != want.key {
		t.Errorf("line %d: key %q, want %q", want.line, got.Key, want.key)
	}
}

// RefsOnly (the import's media pass) yields the same messages, attachments
// and statistics as a full parse, only without keys.
func TestRefsOnlyParsesTheSame(t *testing.T) {
	for _, f := range []struct {
		file   string
		format Format
	}{
		{"wechatmsg.csv", FormatWeChatMsgCSV}, {"wechatmsg.txt", FormatWeChatMsgTXT}, {"chatlog.json", FormatChatlogJSON},
		{"chatlog.csv", FormatChatlogCSV}, {"pywxdump.csv", FormatPyWxDumpCSV}, {"wecom.jsonl", FormatWeComJSON},
		{"forwarded.txt", FormatForwardedText},
	} {
		full := parseFixture(t, f.file, f.format, Options{})
		data, err := os.ReadFile(filepath.Join("testdata", f.file))
		if err != nil {
			t.Fatal(err)
		}
		refs, err := parseBytes(t, f.file, data, f.format, Options{RefsOnly: true})
		if err != nil {
			t.Fatalf("%s: %v", f.file, err)
		}
		if len(refs.msgs) != len(full.msgs) || refs.stats.Messages != full.stats.Messages || refs.stats.SkippedTotal != full.stats.SkippedTotal {
			t.Fatalf("%s: %d messages, %d skipped with RefsOnly; %d, %d in full", f.file, len(refs.msgs), refs.stats.SkippedTotal, len(full.msgs), full.stats.SkippedTotal)
		}
		attachments := 0
		for i, m := range refs.msgs {
			want := full.msgs[i]
			if want.Key == "" || m.Key != "" && m.Key != want.Key {
				t.Errorf("%s line %d: key %q with RefsOnly, %q in full", f.file, m.SourceLine, m.Key, want.Key)
			}
			if (m.Attachment == nil) != (want.Attachment == nil) || m.Attachment != nil && *m.Attachment != *want.Attachment {
				t.Errorf("%s line %d: attachment %+v with RefsOnly, %+v in full", f.file, m.SourceLine, m.Attachment, want.Attachment)
			}
			if m.Attachment != nil {
				attachments++
			}
		}
		if attachments == 0 && f.format != FormatForwardedText {
			t.Errorf("%s: no attachment to compare", f.file)
		}
	}
}
