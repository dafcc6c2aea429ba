package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/wecom"
	"github.com/lvxin/lvxin/internal/wecom/wecomtest"
)

const (
	wcToken  = "QDG6eK"
	wcAESKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	wcCorp   = "wwTestCorp"
)

// newWeComServer is the workbench with the WeCom connector, plus a fake
// WeCom API.
func newWeComServer(t *testing.T, db *store.DB) (*httptest.Server, *wecom.Service, *wecomtest.Server) {
	t.Helper()
	cfg := testConfig(t, db)
	svc, err := wecom.NewService(wecom.ServiceConfig{DB: db, DataDir: cfg.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	cfg.WeCom = svc
	ts := serveWeb(t, cfg)
	fake := wecomtest.New(wcCorp, "app-secret-1")
	t.Cleanup(fake.Close)
	return ts, svc, fake
}

func TestWeComSettingsPage(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, svc, fake := newWeComServer(t, db)
		users := auth.New(db, nil)
		createUser(t, users, "admin", model.RoleAdmin)
		createUser(t, users, "zhang", model.RoleLawyer)
		lawyer := newClient(t, ts.URL)
		lawyer.login("zhang")
		if code, _, _ := lawyer.get("/admin/wecom"); code != http.StatusForbidden {
			t.Fatalf("lawyer on /admin/wecom: %d", code)
		}
		admin := newClient(t, ts.URL)
		admin.login("admin")
		code, body, _ := admin.get("/admin/wecom")
		if code != http.StatusOK || !strings.Contains(body, "回调尚未配置") || !strings.Contains(body, ts.URL+"/wecom/callback") {
			t.Fatalf("page: %d %s", code, body)
		}
		tok := admin.csrf("/admin/wecom")
		// A bad key: the field is named, typed values kept, no secret echoed.
		form := url.Values{"csrf_token": {tok}, "corp_id": {wcCorp}, "agent_id": {"1000002"}, "secret": {"app-secret-1"},
			"token": {wcToken}, "aes_key": {"tooshort"}, "base_url": {fake.URL}}
		code, body, _ = admin.post("/admin/wecom", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="err-aes_key"`) || !strings.Contains(body, `value="1000002"`) ||
			strings.Contains(body, "app-secret-1") {
			t.Fatalf("bad key: %d %s", code, body)
		}
		form.Set("aes_key", wcAESKey)
		if code, _, h := admin.post("/admin/wecom", form); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "wecom-saved") {
			t.Fatalf("save: %d %v", code, h)
		}
		_, body, _ = admin.get("/admin/wecom?done=wecom-saved")
		for _, secret := range []string{"app-secret-1", wcToken, wcAESKey} {
			if strings.Contains(body, secret) {
				t.Fatalf("secret %q shown after saving", secret)
			}
		}
		if !strings.Contains(body, "回调已配置") || !strings.Contains(body, "已保存，留空则不修改") {
			t.Fatalf("saved page: %s", body)
		}
		// 测试连接 against the fake.
		if code, _, h := admin.post("/admin/wecom/test", url.Values{"csrf_token": {tok}}); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "wecom-test-ok") {
			t.Fatalf("test connection: %d %v", code, h)
		}
		if fake.TokenCalls() != 1 {
			t.Fatalf("gettoken calls: %d", fake.TokenCalls())
		}
		// A lawyer's POST is refused (and audited by the admin guard).
		if code, _, _ := lawyer.post("/admin/wecom/test", url.Values{"csrf_token": {lawyer.csrf("/")}}); code != http.StatusForbidden {
			t.Fatalf("lawyer test: %d", code)
		}
		s, _ := svc.Settings(context.Background())
		if s.Secret != "app-secret-1" || s.AgentID != 1000002 {
			t.Fatalf("settings: %+v", s)
		}
	})
}

func TestWeComCallbackEndpoint(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, svc, fake := newWeComServer(t, db)
		ctx := context.Background()
		// Not configured: 503, nothing queued.
		resp, err := http.Post(ts.URL+"/wecom/callback?msg_signature=x&timestamp=1&nonce=n", "text/xml", strings.NewReader("<xml/>"))
		if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("unconfigured: %v %v", resp.Status, err)
		}
		resp.Body.Close()
		if _, err := svc.SaveSettings(ctx, nil, wecom.SettingsInput{CorpID: wcCorp, Secret: "app-secret-1", Token: wcToken,
			EncodingAESKey: wcAESKey, BaseURL: fake.URL}, ""); err != nil {
			t.Fatal(err)
		}
		crypto, _ := wecom.New(wecom.Config{Token: wcToken, EncodingAESKey: wcAESKey, ReceiveID: wcCorp})

		// URL verification: the echostr exactly, no newline.
		echo, _ := crypto.Encrypt([]byte("1616140317555161061"))
		ts0 := strconv.FormatInt(time.Now().Unix(), 10)
		q := url.Values{"msg_signature": {wecom.Signature(wcToken, ts0, "v1", echo)}, "timestamp": {ts0}, "nonce": {"v1"}, "echostr": {echo}}
		code, body := rawGet(t, ts.URL+"/wecom/callback?"+q.Encode())
		if code != http.StatusOK || body != "1616140317555161061" {
			t.Fatalf("verify: %d %q", code, body)
		}
		if code, _ := rawGet(t, ts.URL+"/wecom/callback?"+q.Encode()); code != http.StatusForbidden {
			t.Fatalf("replayed verification: %d", code)
		}

		plain, _ := wecom.SimPlaintext(wecom.SimOptions{Kind: wecom.SimMessage, CorpID: wcCorp, Text: "请问开庭时间", MsgID: "web-1"})
		post := func(at time.Time, nonce string, mutate func([]byte) []byte) (int, string) {
			qv, b, err := wecom.SealCallback(crypto, plain, at, nonce)
			if err != nil {
				t.Fatal(err)
			}
			if mutate != nil {
				b = mutate(b)
			}
			r, err := http.Post(ts.URL+"/wecom/callback?"+qv.Encode(), "text/xml", strings.NewReader(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Body.Close()
			data := make([]byte, 100)
			n, _ := r.Body.Read(data)
			return r.StatusCode, string(data[:n])
		}
		if code, body := post(time.Now(), "p1", nil); code != http.StatusOK || body != "success" {
			t.Fatalf("callback: %d %q", code, body)
		}
		if code, _ := post(time.Now(), "p1", nil); code != http.StatusForbidden {
			t.Fatalf("replay: %d", code)
		}
		if code, _ := post(time.Now().Add(-301*time.Second), "p2", nil); code != http.StatusForbidden {
			t.Fatalf("stale: %d", code)
		}
		if code, body := post(time.Now(), "p3", nil); code != http.StatusOK || body != "success" {
			t.Fatalf("WeCom retry (new nonce): %d %q", code, body)
		}
		doctype := func(b []byte) []byte { return append([]byte(`<!DOCTYPE x [<!ENTITY a "b">]>`), b...) }
		if code, _ := post(time.Now(), "p4", doctype); code != http.StatusBadRequest {
			t.Fatalf("doctype: %d", code)
		}
		big := func(b []byte) []byte { return append(b, []byte(strings.Repeat(" ", 70<<10))...) }
		if code, _ := post(time.Now(), "p5", big); code != http.StatusRequestEntityTooLarge {
			t.Fatalf("oversized: %d", code)
		}
		events, err := db.FindWeComEvents(ctx, store.WeComEventFilter{})
		if err != nil || len(events) != 1 || events[0].DedupKey != "msgid:web-1" || !strings.Contains(events[0].Payload, "请问开庭时间") {
			t.Fatalf("queued: %+v %v", events, err)
		}
	})
}

func rawGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data := make([]byte, 4096)
	n, _ := resp.Body.Read(data)
	return resp.StatusCode, string(data[:n])
}

func TestWeComMembersSyncTransferForms(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, svc, fake := newWeComServer(t, db)
		ctx := context.Background()
		users := auth.New(db, nil)
		createUser(t, users, "admin", model.RoleAdmin)
		createUser(t, users, "zhang", model.RoleLawyer)
		createUser(t, users, "li", model.RoleLawyer)
		if _, err := svc.SaveSettings(ctx, nil, wecom.SettingsInput{CorpID: wcCorp, AgentID: "1000002", Secret: "app-secret-1",
			Token: wcToken, EncodingAESKey: wcAESKey, BaseURL: fake.URL}, ""); err != nil {
			t.Fatal(err)
		}
		ids := map[string]int64{}
		for _, name := range []string{"zhang", "li"} {
			u, err := db.UserByUsername(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			ids[name] = u.ID
		}
		admin := newClient(t, ts.URL)
		admin.login("admin")
		tok := admin.csrf("/admin/wecom")
		for name, weComID := range map[string]string{"zhang": "zhangsan", "li": "lisi"} {
			code, _, h := admin.post("/admin/wecom/members", url.Values{"csrf_token": {tok},
				"user_id": {strconv.FormatInt(ids[name], 10)}, "wecom_userid": {weComID}})
			if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "wecom-member") {
				t.Fatalf("link %s: %d", name, code)
			}
		}
		// The same WeCom id for a second member is refused with a clear message.
		code, body, _ := admin.post("/admin/wecom/members", url.Values{"csrf_token": {tok},
			"user_id": {strconv.FormatInt(ids["li"], 10)}, "wecom_userid": {"zhangsan"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "已关联到另一位成员") {
			t.Fatalf("duplicate link: %d %s", code, body)
		}
		// Sync: zhangsan's customer comes in with its corp tag.
		tag := fake.AddTag("客户阶段", "潜在客户")
		fake.AddContact(wecomtest.Contact{ExternalUserID: "wmWeb", Name: "网页客户", FollowUsers: map[string][]string{"zhangsan": {tag.ID}}})
		code, body, _ = admin.post("/admin/wecom/sync", url.Values{"csrf_token": {tok}})
		if code != http.StatusOK || !strings.Contains(body, `id="wecom-sync-report"`) || !strings.Contains(body, "新增联系人 1 个") {
			t.Fatalf("sync: %d %s", code, body)
		}
		c, err := db.ContactByWeComID(ctx, "wmWeb")
		if err != nil || len(c.Tags) != 1 || c.Tags[0] != "潜在客户" {
			t.Fatalf("synced contact: %+v %v", c, err)
		}
		// Transfer (离职继承) from zhang to li, once zhang has left the
		// firm's WeCom (only then does WeCom list the customers as
		// unassigned).
		fake.Resign("zhangsan", time.Now())
		// The same member on both sides is refused with its reason, and
		// no report of a transfer that never happened.
		same := url.Values{"csrf_token": {tok}, "from": {strconv.FormatInt(ids["zhang"], 10)}, "to": {strconv.FormatInt(ids["zhang"], 10)}}
		code, body, _ = admin.post("/admin/wecom/transfer", same)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "交接人与接替人不能是同一人") ||
			strings.Contains(body, `id="wecom-transfer-report"`) {
			t.Fatalf("same member on both sides: %d %s", code, body)
		}
		handover := url.Values{"csrf_token": {tok},
			"from": {strconv.FormatInt(ids["zhang"], 10)}, "to": {strconv.FormatInt(ids["li"], 10)}, "resigned": {"on"}}
		code, body, _ = admin.post("/admin/wecom/transfer", handover)
		if code != http.StatusOK || !strings.Contains(body, "企业微信已受理客户 1 个") {
			t.Fatalf("transfer: %d %s", code, body)
		}
		// The handover's status, from WeCom.
		code, body, _ = admin.post("/admin/wecom/transfer/status", handover)
		if code != http.StatusOK || !strings.Contains(body, `id="wecom-transfer-status"`) || !strings.Contains(body, "共 1 位客户") ||
			!strings.Contains(body, "wmWeb") || !strings.Contains(body, "网页客户") {
			t.Fatalf("transfer status: %d %s", code, body)
		}
		// The form still holds what the administrator chose.
		for _, want := range []string{
			fmt.Sprintf(`<option value="%d" selected>`, ids["zhang"]),
			`name="resigned" checked`,
		} {
			if !strings.Contains(body, want) {
				t.Fatalf("the handover form lost %q after the status query:\n%s", want, body)
			}
		}
		if !regexp.MustCompile(fmt.Sprintf(`name="to">(?:<option[^>]*>[^<]*</option>)*<option value="%d" selected>`, ids["li"])).MatchString(body) {
			t.Fatalf("the handover form lost the successor:\n%s", body)
		}
		if f := fake.Followers("wmWeb"); len(f) != 1 || f[0] != "lisi" {
			t.Fatalf("followers after transfer: %v", f)
		}
		// A lawyer cannot reach these forms.
		lawyer := newClient(t, ts.URL)
		lawyer.login("zhang")
		for _, path := range []string{"/admin/wecom/members", "/admin/wecom/sync", "/admin/wecom/transfer", "/admin/wecom/transfer/status"} {
			if code, _, _ := lawyer.post(path, url.Values{"csrf_token": {lawyer.csrf("/")}}); code != http.StatusForbidden {
				t.Fatalf("lawyer POST %s: %d", path, code)
			}
		}
	})
}
