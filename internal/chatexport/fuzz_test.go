package chatexport

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds maps each format to its fixture.
var fuzzSeeds = map[Format]string{
	FormatWeChatMsgCSV:  "wechatmsg.csv",
	FormatWeChatMsgTXT:  "wechatmsg.txt",
	FormatChatlogJSON:   "chatlog.json",
	FormatChatlogCSV:    "chatlog.csv",
	FormatPyWxDumpCSV:   "pywxdump.csv",
	FormatWeComJSON:     "wecom.jsonl",
	FormatForwardedText: "forwarded.txt",
}

// fuzzParse checks what must hold for any input: no panic, either a clean
// error (a *ParseError with a line) or messages with a key, valid UTF-8 and
// a conversation.
func fuzzParse(t *testing.T, format Format, data []byte) {
	out, err := parseBytes(t, "fuzz", data, format, Options{SelfName: "张律师", SelfWxID: "zhanglawyer"})
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error is not a *ParseError: %v", err)
		}
		if pe.Line < 1 || !utf8.ValidString(pe.Error()) {
			t.Fatalf("bad error: line %d, %q", pe.Line, pe.Error())
		}
		return
	}
	for i, msg := range out.msgs {
		if msg.Key == "" {
			t.Fatalf("message %d has an empty key", i)
		}
		if !utf8.ValidString(msg.Text) || !utf8.ValidString(msg.SenderName) || !utf8.ValidString(msg.SenderWxID) {
			t.Fatalf("message %d has invalid UTF-8: %q", i, msg.Text)
		}
		if out.conv[i] == nil || out.conv[i].Key == "" {
			t.Fatalf("message %d has no conversation", i)
		}
		if msg.Attachment != nil && msg.Attachment.Ref == "" {
			t.Fatalf("message %d has an attachment without a reference", i)
		}
		if msg.SourceLine < 1 {
			t.Fatalf("message %d has source line %d", i, msg.SourceLine)
		}
	}
	if out.stats.Messages != len(out.msgs) {
		t.Fatalf("Stats.Messages = %d, emitted %d", out.stats.Messages, len(out.msgs))
	}
	var kinds int
	for _, n := range out.stats.Kinds {
		kinds += n
	}
	if kinds != len(out.msgs) {
		t.Fatalf("Stats.Kinds sums to %d, emitted %d", kinds, len(out.msgs))
	}
}

func addSeed(f *testing.F, format Format) {
	data, err := os.ReadFile(filepath.Join("testdata", fuzzSeeds[format]))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
}

func FuzzWeChatMsgCSV(f *testing.F) {
	addSeed(f, FormatWeChatMsgCSV)
	f.Add([]byte(wechatMsgHeader + "1,7,49,57,0,1709258400,2,\"<msg><appmsg><title>a</title><type>57</type></appmsg>\",,,,w\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatWeChatMsgCSV, data) })
}

func FuzzWeChatMsgTXT(f *testing.F) {
	addSeed(f, FormatWeChatMsgTXT)
	f.Add([]byte("前言\n\n2024-03-01 10:00:00 我\n\n\n2024-03-01 10:00:00 我\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatWeChatMsgTXT, data) })
}

func FuzzChatlogJSON(f *testing.F) {
	addSeed(f, FormatChatlogJSON)
	f.Add([]byte(`[{"seq":0,"time":"2024-03-01T10:00:00Z","talker":"a","type":49,"subType":5,"contents":{"url":1}}]`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatChatlogJSON, data) })
}

func FuzzChatlogCSV(f *testing.F) {
	addSeed(f, FormatChatlogCSV)
	f.Add([]byte("Time,SenderName,Sender,TalkerName,Talker,Content\n1709258400,,系统消息,,a,![视频](x)\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatChatlogCSV, data) })
}

func FuzzPyWxDumpCSV(f *testing.F) {
	addSeed(f, FormatPyWxDumpCSV)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatPyWxDumpCSV, data) })
}

func FuzzWeComJSON(f *testing.F) {
	addSeed(f, FormatWeComJSON)
	f.Add([]byte(`[{"msgid":"a","action":"send","from":"x","msgtime":1,"msgtype":"mixed","mixed":{"item":[{"type":"image","content":"{}"}]}}]`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatWeComJSON, data) })
}

func FuzzForwardedText(f *testing.F) {
	addSeed(f, FormatForwardedText)
	f.Add([]byte("群聊的聊天记录\n2024年3月1日\n张三 9:05\n你好\n李四 3月1日 23:59:59\n[文件] a.pdf\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, FormatForwardedText, data) })
}

// FuzzDetect: Detect never panics, and whatever it names, Parse accepts the
// input or rejects it with a *ParseError, never with ErrUnknownFormat.
func FuzzDetect(f *testing.F) {
	for _, file := range fuzzSeeds {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("a,b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		format, err := Detect(data)
		if err != nil {
			if !errors.Is(err, ErrUnknownFormat) || format != "" {
				t.Fatalf("Detect = %q, %v", format, err)
			}
			return
		}
		fuzzParse(t, format, data)
	})
}
