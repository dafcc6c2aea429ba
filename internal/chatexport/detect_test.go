package chatexport

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	fixtures := []struct {
		file string
		want Format
	}{
		{"wechatmsg.csv", FormatWeChatMsgCSV},
		{"wechatmsg.txt", FormatWeChatMsgTXT},
		{"chatlog.json", FormatChatlogJSON},
		{"chatlog.csv", FormatChatlogCSV},
		{"pywxdump.csv", FormatPyWxDumpCSV},
		{"wecom.jsonl", FormatWeComJSON},
		{"forwarded.txt", FormatForwardedText},
	}
	for _, tt := range fixtures {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []int{len(data), 200} { // whole file, and a head cut mid-rune
				got, err := Detect(data[:min(n, len(data))])
				if err != nil || got != tt.want {
					t.Errorf("Detect(first %d bytes) = %q, %v; want %q", n, got, err, tt.want)
				}
			}
		})
	}
	inline := []struct {
		name, head string
		want       Format
	}{
		{"wecom array", `[{"msgid":"a","action":"send","msgtime":1}]`, FormatWeComJSON},
		{"chatlog csv CRLF", "\ufeffTime,SenderName,Sender,TalkerName,Talker,Content\r\n", FormatChatlogCSV},
		{"forwarded without title", "张三 2024-03-01 10:00\n你好\n", FormatForwardedText},
		{"group forward title", "群聊的聊天记录\n", FormatForwardedText},
		{"txt after blank lines", "\n\n2024-03-01 10:00:00 王五\n你好\n", FormatWeChatMsgTXT},
	}
	for _, tt := range inline {
		if got, err := Detect([]byte(tt.head)); err != nil || got != tt.want {
			t.Errorf("%s: Detect = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestDetectUnknown(t *testing.T) {
	tests := []struct {
		name, head, reason string
	}{
		{"empty", "", "文件为空"},
		{"bom only", "\ufeff \r\n", "文件为空"},
		{"other csv", "a,b,c\n1,2,3\n", "无法识别的聊天记录格式"},
		{"other json", `{"name":"x"}`, "既不是 chatlog 导出"},
		{"gbk", "\xd5\xc5\xc8\xfd 2024-03-01 10:00\n", "不是 UTF-8"},
		{"prose", "这是一份普通的文档。\n", "无法识别"},
		{"binary", "PK\x03\x04\x14\x00\x00\x00\x08\x00", "无法识别"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect([]byte(tt.head))
			if !errors.Is(err, ErrUnknownFormat) || got != "" {
				t.Fatalf("Detect = %q, %v; want ErrUnknownFormat", got, err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error %q does not mention %q", err, tt.reason)
			}
		})
	}
}

func TestFormatsAreAllParseable(t *testing.T) {
	for _, f := range Formats() {
		_, err := parseBytes(t, "empty", nil, f, Options{})
		if errors.Is(err, ErrUnknownFormat) {
			t.Errorf("Parse does not know format %q", f)
		}
	}
}
