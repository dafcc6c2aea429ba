package wecom

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// MessageKey is the de-duplication key of a decrypted callback message.
// WeCom retries a callback up to three times when it gets no answer within
// 5 s; a retry carries the same message. Messages are keyed by their MsgId
// ("msgid:…"); events, which have none, by the SHA-256 of the whole
// plaintext ("sha256:…"), so two different events are never merged.
func MessageKey(plain []byte) (string, error) {
	trimmed := bytes.TrimLeft(plain, " \t\r\n")
	var msgID string
	switch {
	case len(trimmed) > 0 && trimmed[0] == '<':
		if err := refuseDirectives(trimmed); err != nil {
			return "", err
		}
		var m struct {
			MsgID string `xml:"MsgId"`
		}
		if err := xml.Unmarshal(trimmed, &m); err != nil {
			return "", fmt.Errorf("%w：解密后的 XML 无法解析：%w", ErrBadBody, err)
		}
		msgID = m.MsgID
	case len(trimmed) > 0 && trimmed[0] == '{':
		var m struct {
			MsgID json.RawMessage `json:"MsgId"`
		}
		if err := json.Unmarshal(trimmed, &m); err != nil {
			return "", fmt.Errorf("%w：解密后的 JSON 无法解析：%w", ErrBadBody, err)
		}
		id, err := jsonMsgID(m.MsgID)
		if err != nil {
			return "", err
		}
		msgID = id
	default:
		return "", fmt.Errorf("%w：解密后的消息应为 XML 或 JSON", ErrBadBody)
	}
	if msgID = strings.TrimSpace(msgID); msgID != "" {
		return "msgid:" + msgID, nil
	}
	sum := sha256.Sum256(plain)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

func jsonMsgID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("%w：MsgId 应为数字或字符串", ErrBadBody)
}

// Duplicate reports whether a decrypted message was already handled,
// remembering it in cache when it was not. key is its MessageKey.
func Duplicate(ctx context.Context, cache Cache, plain []byte) (key string, duplicate bool, err error) {
	key, err = MessageKey(plain)
	if err != nil {
		return "", false, err
	}
	switch err := cache.Remember(ctx, key); {
	case err == nil:
		return key, false, nil
	case errors.Is(err, ErrSeen):
		return key, true, nil
	default:
		return key, false, fmt.Errorf("wecom: remember message %s: %w", key, err)
	}
}
