package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/notify"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/wecom"
	"github.com/lvxin/lvxin/internal/wecom/wecomtest"
)

// Official WXBizMsgCrypt samples (see internal/wecom/vectors_test.go and
// docs/WECOM.md for their sources).
var cliVectors = []struct {
	name, token, key, receiveID, sig, ts, nonce, input, want string
}{
	{"echostr 2014", "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7",
		"5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780",
		"P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==", "1616140317555161061"},
	{"XML 2014", "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7",
		"477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149",
		"<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>",
		"<Content><![CDATA[hello]]></Content>"},
	{"JSON 2014 (workweixin)", "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7",
		"0623cbc5a8cbee5bcc137c70de99575366fc2af3", "1409659813", "1372623149",
		`{"tousername":"wx5823bf96d3bd56c7","encrypt":"CZWs4CWRpI4VolQlvn4dlEC1alN2MUEY2VklGehgBVLBrlVF7SyT+SV+Toj43l4ayJ9UMGKphktKKmP7B2j/P1ey67XB8PBgS7Wr5/8+w/yWriZv3Vmoo/MH3/1HsIWZrPQ3N2mJrelStIfI2Y8kLKXA7EhfZgZX4o+ffdkZDM76SEl79Ib9mw7TGjZ9Aw/x/A2VjNbV1E8BtEbRxYYcQippYNw7hr8sFfa3nW1xLdxokt8QkRX83vK3DFP2F6TQFPL2Tu98UwhcUpPvdJBuu1/yiOQIScppV3eOuLWEsko=","agentid":"218"}`,
		`"Content":"hello"`},
	{"JSON 2016", "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", "ww1436e0e65a779aee",
		"e3647471e395139e2308c1fa963f2d648a00b90e", "1409659813", "1372623149",
		`{ "tousername": "wx5823bf96d3bd56c7", "encrypt": "cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=", "agentid": 218 }`,
		`"Content": "hello"`},
}

func TestWeComDecryptCLI(t *testing.T) {
	for _, v := range cliVectors {
		args := []string{"wecom", "decrypt", "--token", v.token, "--aes-key", v.key, "--receive-id", v.receiveID,
			"--msg-signature", v.sig, "--timestamp", v.ts, "--nonce", v.nonce}
		out, code := runRoot(t, v.input+"\n", args...)
		if code != 0 || !strings.Contains(out, v.want) {
			t.Errorf("%s: exit %d, output %q", v.name, code, out)
		}
		if v.name == "echostr 2014" && out != v.want+"\n" {
			t.Errorf("echostr output %q, want exactly the plaintext and a newline", out)
		}
	}
	v := cliVectors[0]
	for name, tc := range map[string]struct {
		args []string
		code int
		want string
	}{
		"wrong token":      {[]string{"--token", "QDG6eX", "--aes-key", v.key, "--msg-signature", v.sig, "--timestamp", v.ts, "--nonce", v.nonce}, 1, "签名不符"},
		"wrong key":        {[]string{"--token", v.token, "--aes-key", "abc", "--msg-signature", v.sig, "--timestamp", v.ts, "--nonce", v.nonce}, 1, "EncodingAESKey"},
		"wrong receive id": {[]string{"--token", v.token, "--aes-key", v.key, "--receive-id", "wwOther", "--msg-signature", v.sig, "--timestamp", v.ts, "--nonce", v.nonce}, 1, "接收方 ID"},
		"missing nonce":    {[]string{"--token", v.token, "--aes-key", v.key, "--msg-signature", v.sig, "--timestamp", v.ts}, 2, "缺少 --nonce"},
	} {
		out, code := runRoot(t, v.input, append([]string{"wecom", "decrypt"}, tc.args...)...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%s: exit %d, output %q; want exit %d with %q", name, code, out, tc.code, tc.want)
		}
	}
}

func TestWeComSimulateCLI(t *testing.T) {
	engines := storetest.Engines(t)
	db := storetest.Open(t, engines[0], nil)
	svc, err := wecom.NewService(wecom.ServiceConfig{DB: db, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	const token, key, corp = "SimToken1", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wwSimCorp"
	if _, err := svc.SaveSettings(context.Background(), nil, wecom.SettingsInput{CorpID: corp, Token: token, EncodingAESKey: key}, ""); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		q := r.URL.Query()
		if _, err := svc.Receive(r.Context(), wecom.Query{MsgSignature: q.Get("msg_signature"), Timestamp: q.Get("timestamp"), Nonce: q.Get("nonce")}, body); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		io.WriteString(w, "success")
	}))
	defer ts.Close()
	base := []string{"wecom", "simulate", "--url", ts.URL + "/wecom/callback", "--token", token, "--aes-key", key, "--corp-id", corp}
	for _, extra := range [][]string{{"--text", "您好，明天开庭吗？", "--msgid", "cli-1"}, {"--kind", "add-contact"}, {"--kind", "group"}} {
		out, code := runRoot(t, "", append(base, extra...)...)
		if code != 0 || !strings.Contains(out, "律信应答：success") {
			t.Fatalf("simulate %v: exit %d %q", extra, code, out)
		}
	}
	events, err := db.FindWeComEvents(context.Background(), store.WeComEventFilter{})
	if err != nil || len(events) != 3 {
		t.Fatalf("queued %d events: %v", len(events), err)
	}
	kinds := map[string]bool{}
	for _, e := range events {
		kinds[e.Kind] = true
	}
	if !kinds["event:kf_msg_or_event"] || !kinds["event:change_external_contact"] || !kinds["event:change_external_chat"] {
		t.Fatalf("kinds: %v", kinds)
	}
	// A wrong token: lvxin refuses, the command says so and exits 1.
	bad := append([]string(nil), base...)
	bad[5] = "OtherToken"
	out, code := runRoot(t, "", append(bad, "--text", "x")...)
	if code != 1 || !strings.Contains(out, "律信拒绝了模拟回调：HTTP 403") {
		t.Fatalf("wrong token: exit %d %q", code, out)
	}
	// --kind message without --text: a usage error.
	if out, code := runRoot(t, "", base...); code != 2 || !strings.Contains(out, "--text") {
		t.Fatalf("no text: exit %d %q", code, out)
	}
}

// TestWeComPusher: a notification reaches a linked user's WeCom as an app
// message; an unlinked or frozen user, or a firm without settings, has no
// channel.
func TestWeComPusher(t *testing.T) {
	db := storetest.Open(t, storetest.Engines(t)[0], nil)
	ctx := context.Background()
	fake := wecomtest.New("wwPush", "push-secret")
	defer fake.Close()
	svc, err := wecom.NewService(wecom.ServiceConfig{DB: db, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	linked := &model.User{Username: "zhang", DisplayName: "张律师", Role: model.RoleLawyer, PasswordHash: "h"}
	unlinked := &model.User{Username: "li", DisplayName: "李律师", Role: model.RoleLawyer, PasswordHash: "h"}
	err = db.Update(ctx, func(tx *store.Tx) error {
		for _, u := range []*model.User{linked, unlinked} {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		return tx.SetUserWeComID(ctx, linked.ID, "zhangsan")
	})
	if err != nil {
		t.Fatal(err)
	}
	p := weComPusher{svc}
	n := model.Notification{Title: "期限今日到期：上诉期", Body: "（2026）京0105民初1号"}
	if err := p.Push(ctx, linked, n); !errors.Is(err, notify.ErrNoChannel) {
		t.Fatalf("before settings: %v", err)
	}
	if _, err := svc.SaveSettings(ctx, nil, wecom.SettingsInput{CorpID: "wwPush", AgentID: "1000002", Secret: "push-secret", BaseURL: fake.URL}, ""); err != nil {
		t.Fatal(err)
	}
	if err := p.Push(ctx, linked, n); err != nil {
		t.Fatal(err)
	}
	if err := p.Push(ctx, unlinked, n); !errors.Is(err, notify.ErrNoChannel) {
		t.Fatalf("unlinked user: %v", err)
	}
	// A frozen user's phone may be lost: no channel until unfrozen.
	frozen := *linked
	frozen.FrozenAt = time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
	if err := p.Push(ctx, &frozen, n); !errors.Is(err, notify.ErrNoChannel) {
		t.Fatalf("frozen user: %v", err)
	}
	sent := fake.Sent()
	if len(sent) != 1 || sent[0].API != "app" || sent[0].To != "zhangsan" || !strings.Contains(sent[0].Text, "上诉期") {
		t.Fatalf("sent: %+v", sent)
	}
}
