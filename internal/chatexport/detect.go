package chatexport

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Detect names the format of an export from its first bytes (a few KB are
// enough; more do no harm). It returns an error wrapping ErrUnknownFormat,
// with a Chinese message, for input it does not recognise.
func Detect(head []byte) (Format, error) {
	head = bytes.TrimPrefix(head, utf8BOM)
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return "", fmt.Errorf("%w：文件为空", ErrUnknownFormat)
	}
	if trimmed[0] == '[' || trimmed[0] == '{' {
		return detectJSON(trimmed)
	}
	firstLine, _, _ := bytes.Cut(trimmed, []byte{'\n'})
	firstLine = bytes.TrimRight(firstLine, "\r")
	if f, ok := detectCSVHeader(firstLine); ok {
		return f, nil
	}
	if !utf8.Valid(trimUTF8Tail(head)) {
		return "", fmt.Errorf("%w：文件不是 UTF-8 编码的文本（可能是 GBK 编码或二进制文件）", ErrUnknownFormat)
	}
	line := strings.TrimSpace(string(firstLine))
	if strings.HasSuffix(line, "聊天记录") {
		return FormatForwardedText, nil
	}
	if len(line) > 20 && line[19] == ' ' && looksLikeDateTime(line[:19]) {
		return FormatWeChatMsgTXT, nil
	}
	probe := &forwardedState{p: newParser(context.Background(), "", Options{}, nil)}
	probe.date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // let time-only headers count
	if _, _, ok, _ := probe.header(1, line, true); ok {
		return FormatForwardedText, nil
	}
	return "", fmt.Errorf("%w（支持：留痕 WeChatMsg CSV/TXT、chatlog JSON/CSV、PyWxDump CSV、企业微信会话存档 JSON、合并转发聊天记录文本）；文件开头：%q",
		ErrUnknownFormat, truncate(line, 60))
}

// detectJSON tells chatlog's messages from WeCom archive messages by their
// field names.
func detectJSON(head []byte) (Format, error) {
	has := func(field string) bool { return bytes.Contains(head, []byte(`"`+field+`"`)) }
	switch {
	case has("msgid") && (has("msgtime") || has("action")):
		return FormatWeComJSON, nil
	case has("talker") && (has("seq") || has("isChatRoom") || has("senderName")):
		return FormatChatlogJSON, nil
	}
	return "", fmt.Errorf("%w：JSON 文件既不是 chatlog 导出（应有 seq、talker 等字段），也不是企业微信会话存档（应有 msgid、msgtime 等字段）", ErrUnknownFormat)
}

// detectCSVHeader compares the header line with the known column sets.
func detectCSVHeader(line []byte) (Format, bool) {
	if !bytes.ContainsRune(line, ',') {
		return "", false
	}
	header, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil {
		return "", false
	}
	columns := map[string]bool{}
	for _, name := range header {
		columns[strings.TrimSpace(name)] = true
	}
	hasAll := func(names []string) bool {
		for _, name := range names {
			if !columns[name] {
				return false
			}
		}
		return true
	}
	switch {
	case hasAll(wechatMsgCSVColumns):
		return FormatWeChatMsgCSV, true
	case hasAll(pyWxDumpColumns):
		return FormatPyWxDumpCSV, true
	case hasAll(chatlogCSVColumns):
		return FormatChatlogCSV, true
	}
	return "", false
}

// trimUTF8Tail drops a rune cut in half at the end of a head buffer.
func trimUTF8Tail(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		r, size := utf8.DecodeLastRune(b)
		if r != utf8.RuneError || size != 1 {
			break
		}
		b = b[:len(b)-1]
	}
	return b
}
