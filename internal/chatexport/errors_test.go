package chatexport

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
)

const wechatMsgHeader = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\r\n"

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		input  string
		line   int
		reason string // substring of the error message
	}{
		{"bad CreateTime after quoted newlines", FormatWeChatMsgCSV, wechatMsgHeader +
			"1,7,1,0,0,1709258400,2,\"第一行\n第二行\n第三行\",2024-03-01 10:00:00,,王五,wxid_a\r\n" +
			"2,7,1,0,0,abc,2,好的,2024-03-01 10:00:00,,王五,wxid_a\r\n",
			5, `CreateTime 不是有效的时间戳："abc"`},
		{"bad Type", FormatWeChatMsgCSV, wechatMsgHeader + "1,7,文本,0,0,1709258400,2,好的,,,王五,wxid_a\r\n", 2, `Type 不是有效的消息类型编号："文本"`},
		{"bad IsSender", FormatWeChatMsgCSV, wechatMsgHeader + "1,7,1,0,2,1709258400,2,好的,,,王五,wxid_a\r\n", 2, "IsSender 应为 0 或 1"},
		{"short row", FormatWeChatMsgCSV, wechatMsgHeader + "1,7,1,0,0,1709258400\r\n", 2, "本行有 6 列，表头有 12 列"},
		{"unclosed quote", FormatWeChatMsgCSV, wechatMsgHeader + "1,7,1,0,0,1709258400,2,\"好的,,,王五,wxid_a\r\n", 2, "引号没有闭合"},
		{"missing column", FormatWeChatMsgCSV, "localId,Type\r\n1,1\r\n", 1, "表头缺少列 TalkerId"},
		{"GBK text", FormatWeChatMsgCSV, wechatMsgHeader + "1,7,1,0,0,1709258400,2,\xc4\xe3\xba\xc3,,,王五,wxid_a\r\n", 2, "StrContent 不是有效的 UTF-8"},
		{"pywxdump time", FormatPyWxDumpCSV, "id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime\n1,1,文本,0,a,a,hi,,2024-13-01 10:00:00\n", 2, `CreateTime 不是“2006-01-02 15:04:05”格式的时间："2024-13-01 10:00:00"`},
		{"pywxdump svrid", FormatPyWxDumpCSV, "id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime\n1,x1,文本,0,a,a,hi,,2024-03-01 10:00:00\n", 2, "MsgSvrID 不是数字"},
		{"chatlog csv time", FormatChatlogCSV, "Time,SenderName,Sender,TalkerName,Talker,Content\n\n2024-03-01 10:00:00,a,a,a,a,hi\nyesterday,a,a,a,a,hi\n", 4, "Time 不是有效的时间"},
		{"chatlog json time", FormatChatlogJSON, "[\n{\"seq\":1,\"time\":\"2024-03-01T10:00:00+08:00\",\"talker\":\"a\",\"type\":1},\n\n{\"seq\":2,\"time\":\"昨天\",\"talker\":\"a\",\"type\":1}\n]", 4, `time 不是 RFC 3339 格式的时间："昨天"`},
		{"chatlog json syntax", FormatChatlogJSON, "[\n{\"seq\":1,\"time\":\"2024-03-01T10:00:00+08:00\",\"talker\":\"a\",\"type\":1},\n{\"seq\":2,,}\n]", 3, "JSON 语法错误"},
		{"chatlog json type", FormatChatlogJSON, "[\n{\"seq\":1,\n\"time\":\"2024-03-01T10:00:00+08:00\",\n\"talker\":\"a\",\n\"type\":\"text\"}\n]", 5, "字段 type 的类型不对"},
		{"chatlog json truncated", FormatChatlogJSON, "[\n{\"seq\":1,\"time\":\"2024-03-01T10:00:00+08:00\",\"talker\":\"a\",\"type\":1},\n{\"seq\":2", 3, "意外结束"},
		{"wecom msgtime", FormatWeComJSON, "{\"msgid\":\"a\",\"action\":\"send\",\"from\":\"x\",\"tolist\":[\"y\"],\"msgtime\":1709258400000,\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}\n{\"msgid\":\"b\",\"action\":\"send\",\"from\":\"x\",\"msgtype\":\"text\"}\n", 2, "msgtime 缺失"},
		{"wecom not object", FormatWeComJSON, "{\"msgid\":\"a\",\"action\":\"send\",\"from\":\"x\",\"tolist\":[\"y\"],\"msgtime\":1709258400000,\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}\n\n42\n", 3, "应为 JSON 对象"},
		{"forwarded no date", FormatForwardedText, "群聊的聊天记录\n\n张三 10:00\n你好\n", 3, "只有时刻，前文没有日期行"},
		{"forwarded no year", FormatForwardedText, "张三 3月1日 10:00\n你好\n", 1, "没有年份"},
		{"forwarded bad day", FormatForwardedText, "张三 2024-02-30 10:00\n你好\n", 1, "日期不存在"},
		{"txt GBK", FormatWeChatMsgTXT, "2024-03-01 10:00:00 王五\n\xc4\xe3\xba\xc3\n", 2, "不是有效的 UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseBytes(t, "chat.dat", []byte(tt.input), tt.format, Options{})
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != tt.line || pe.File != "chat.dat" {
				t.Errorf("error at %s line %d, want line %d: %v", pe.File, pe.Line, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error %q does not mention %q", err, tt.reason)
			}
			prefix := "chat.dat 第 "
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start with %q", err, prefix)
			}
		})
	}
}

func TestParseUnknownFormat(t *testing.T) {
	_, err := Parse(context.Background(), strings.NewReader("x"), "a", "excel", Options{}, nil)
	if !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("err = %v, want ErrUnknownFormat", err)
	}
}

func TestParseStopsOnEmitErrorAndContext(t *testing.T) {
	var buf strings.Builder
	if err := GenerateWeChatMsgCSV(&buf, 3000, 3); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	_, err := Parse(context.Background(), strings.NewReader(buf.String()), "g.csv", FormatWeChatMsgCSV, Options{},
		func(*model.Conversation, *model.Message) error {
			n++
			if n == 10 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) || n != 10 {
		t.Errorf("after emit error: n = %d, err = %v", n, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	_, err = Parse(ctx, strings.NewReader(buf.String()), "g.csv", FormatWeChatMsgCSV, Options{},
		func(*model.Conversation, *model.Message) error {
			n++
			if n == 5 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) || n >= 3000 {
		t.Errorf("after cancel: n = %d, err = %v", n, err)
	}
}
