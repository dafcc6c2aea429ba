package wecom

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMessageKey(t *testing.T) {
	event := "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>sys</FromUserName><CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>change_external_contact</Event><ChangeType>add_external_contact</ChangeType><UserID>zhangsan</UserID><ExternalUserID>wmA</ExternalUserID></xml>"
	otherContact := strings.Replace(event, "wmA", "wmB", 1)
	cases := []struct {
		name, plain, want string
	}{
		{"XML sample message", officialVectors[1].plaintext, "msgid:4561255354251345929"},
		{"XML sample 2016", officialVectors[4].plaintext, "msgid:1456453720"},
		{"JSON number", `{"MsgType":"text","MsgId":4561255354251345929}`, "msgid:4561255354251345929"},
		{"JSON string", `{"MsgType":"text","MsgId":"abc-1"}`, "msgid:abc-1"},
		{"event without MsgId", event, "sha256:"},
	}
	for _, tc := range cases {
		got, err := MessageKey([]byte(tc.plain))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !strings.HasPrefix(got, tc.want) || tc.want == "sha256:" && len(got) != len("sha256:")+64 {
			t.Errorf("%s: key %q, want %q", tc.name, got, tc.want)
		}
	}
	a, _ := MessageKey([]byte(event))
	b, _ := MessageKey([]byte(otherContact))
	if a == b {
		t.Fatal("two events for different contacts in the same second share a key")
	}
	for _, bad := range []string{
		`<!DOCTYPE x [<!ENTITY a "b">]><xml><MsgId>&a;</MsgId></xml>`,
		"<xml><MsgId>1</MsgId>",
		`{"MsgId":{}}`,
		`{"MsgId":1`,
		"1616140317555161061",
		"",
	} {
		if key, err := MessageKey([]byte(bad)); err == nil {
			t.Errorf("MessageKey(%q) = %q, want an error", bad, key)
		}
	}
}

// WeCom retries a callback after 5 s without an answer: the retry, decrypted
// from a fresh ciphertext, is recognised as the same message.
func TestDuplicateRecognisesRetry(t *testing.T) {
	v := officialVectors[1]
	ctx := context.Background()
	now := clockAt(t, v.timestamp, 0)
	seen, err := NewMemoryCache(100, 24*time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	c := testCrypto(t, func(cfg *Config) { cfg.Now = now })
	first, err := c.DecryptMsg(ctx, v.query(), []byte(v.body))
	if err != nil {
		t.Fatal(err)
	}
	key, dup, err := Duplicate(ctx, seen, first.Plaintext)
	if err != nil || dup || key != "msgid:4561255354251345929" {
		t.Fatalf("first delivery: %q, %v, %v", key, dup, err)
	}
	// The retry: same message, new random prefix, new nonce.
	retryBody, err := c.EncryptReply(first.Plaintext, v.timestamp, "999", FormatXML)
	if err != nil {
		t.Fatal(err)
	}
	env, err := ParseBody(retryBody)
	if err != nil {
		t.Fatal(err)
	}
	retry, err := c.DecryptMsg(ctx, Query{Signature(v.token, v.timestamp, "999", env.Encrypt), v.timestamp, "999"}, retryBody)
	if err != nil {
		t.Fatal(err)
	}
	if _, dup, err := Duplicate(ctx, seen, retry.Plaintext); err != nil || !dup {
		t.Fatalf("retry: duplicate %v, %v; want true", dup, err)
	}
	other := strings.Replace(v.plaintext, "4561255354251345929", "4561255354251345930", 1)
	if _, dup, err := Duplicate(ctx, seen, []byte(other)); err != nil || dup {
		t.Fatalf("another message: duplicate %v, %v; want false", dup, err)
	}
	full, err := NewMemoryCache(1, time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Duplicate(ctx, full, []byte(v.plaintext)); err != nil {
		t.Fatal(err)
	}
	if _, dup, err := Duplicate(ctx, full, []byte(other)); !errors.Is(err, ErrCacheFull) || dup {
		t.Fatalf("full cache: %v, %v; want ErrCacheFull", dup, err)
	}
}
