package wecom_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/wecom"
	"github.com/lvxin/lvxin/internal/wecom/wecomtest"
)

const (
	testToken  = "QDG6eK"
	testAESKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	testCorp   = "ww1234"
)

// recordingSink keeps what the processor handed over.
type recordingSink struct {
	mu       sync.Mutex
	messages []model.InboundMessage
	contacts []model.ContactEvent
	groups   []model.GroupEvent
	fail     int // fail this many calls first
}

func (s *recordingSink) take() error {
	if s.fail > 0 {
		s.fail--
		return errors.New("收件箱暂时不可用")
	}
	return nil
}

func (s *recordingSink) Message(_ context.Context, m model.InboundMessage) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.take(); err != nil {
		return err
	}
	s.messages = append(s.messages, m)
	return nil
}

func (s *recordingSink) ContactEvent(_ context.Context, e model.ContactEvent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.take(); err != nil {
		return err
	}
	s.contacts = append(s.contacts, e)
	return nil
}

func (s *recordingSink) GroupEvent(_ context.Context, e model.GroupEvent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.take(); err != nil {
		return err
	}
	s.groups = append(s.groups, e)
	return nil
}

type fixture struct {
	db    *store.DB
	svc   *wecom.Service
	fake  *wecomtest.Server
	clock *clock
	dir   string
	admin *model.User
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newFixture(t *testing.T, db *store.DB, clk *clock) *fixture {
	t.Helper()
	fake := wecomtest.New(testCorp, "s3cret")
	t.Cleanup(fake.Close)
	dir := t.TempDir()
	svc, err := wecom.NewService(wecom.ServiceConfig{DB: db, DataDir: dir, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	admin := &model.User{ID: 0, Username: "admin", Role: model.RoleAdmin}
	_, err = svc.SaveSettings(context.Background(), admin, wecom.SettingsInput{CorpID: testCorp, AgentID: "1000002",
		Secret: "s3cret", Token: testToken, EncodingAESKey: testAESKey, BaseURL: fake.URL}, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, svc: svc, fake: fake, clock: clk, dir: dir, admin: admin}
}

// callback seals plaintext as WeCom would.
func (f *fixture) callback(t *testing.T, plain []byte, nonce string) (wecom.Query, []byte) {
	t.Helper()
	c, err := wecom.New(wecom.Config{Token: testToken, EncodingAESKey: testAESKey, ReceiveID: testCorp})
	if err != nil {
		t.Fatal(err)
	}
	q, body, err := wecom.SealCallback(c, plain, f.clock.now(), nonce)
	if err != nil {
		t.Fatal(err)
	}
	return wecom.Query{MsgSignature: q.Get("msg_signature"), Timestamp: q.Get("timestamp"), Nonce: q.Get("nonce")}, body
}

func TestSettingsSealedAndNeverShown(t *testing.T) {
	clk := &clock{t: time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		raw, err := db.Setting(ctx, "wecom.settings")
		if err != nil || !strings.HasPrefix(raw, "v1:") {
			t.Fatalf("stored: %q %v", raw, err)
		}
		for _, secret := range []string{"s3cret", testToken, testAESKey} {
			if strings.Contains(raw, secret) {
				t.Fatalf("secret %q stored in clear", secret)
			}
		}
		if st, err := os.Stat(filepath.Join(f.dir, wecom.KeyFile)); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("key file: %v %v", st, err)
		}
		v, err := f.svc.View(ctx)
		if err != nil || !v.HasSecret || !v.HasToken || !v.HasAESKey || v.CorpID != testCorp || v.AgentID != 1000002 {
			t.Fatalf("view: %+v %v", v, err)
		}
		// Saving with empty secret fields keeps them; a bad field is named.
		if _, err := f.svc.SaveSettings(ctx, f.admin, wecom.SettingsInput{CorpID: testCorp, AgentID: "7", BaseURL: f.fake.URL}, ""); err != nil {
			t.Fatal(err)
		}
		s, _ := f.svc.Settings(ctx)
		if s.Secret != "s3cret" || s.Token != testToken || s.AgentID != 7 {
			t.Fatalf("kept secrets: %+v", s)
		}
		var fe *wecom.FieldError
		if _, err := f.svc.SaveSettings(ctx, f.admin, wecom.SettingsInput{CorpID: testCorp, EncodingAESKey: "short"}, ""); !errors.As(err, &fe) || fe.Field != "aes_key" {
			t.Fatalf("bad key: %v", err)
		}
		// A lawyer may not change them; the refusal is audited.
		lawyer := &model.User{ID: 9, Username: "lawyer", Role: model.RoleLawyer}
		if _, err := f.svc.SaveSettings(ctx, lawyer, wecom.SettingsInput{CorpID: "x"}, ""); err == nil {
			t.Fatal("lawyer saved WeCom settings")
		}
		rows, _ := db.FindAudit(ctx, store.AuditFilter{Action: "wecom.settings.denied"})
		if len(rows) != 1 {
			t.Fatalf("refusal audited %d times", len(rows))
		}
		rows, _ = db.FindAudit(ctx, store.AuditFilter{Action: "wecom.settings"})
		for _, r := range rows {
			if strings.Contains(r.Detail, "s3cret") || strings.Contains(r.Detail, testAESKey) {
				t.Fatalf("secret in audit: %s", r.Detail)
			}
		}
		// 测试连接: a token from the configured host; a wrong secret is a clear error.
		if err := f.svc.TestConnection(ctx, f.admin, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SaveSettings(ctx, f.admin, wecom.SettingsInput{CorpID: testCorp, Secret: "wrong", BaseURL: f.fake.URL}, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.TestConnection(ctx, f.admin, ""); err == nil || !strings.Contains(err.Error(), "Secret 不正确") {
			t.Fatalf("wrong secret: %v", err)
		}
		// Another data folder (another key) cannot read them.
		other, err := wecom.NewService(wecom.ServiceConfig{DB: db, DataDir: t.TempDir(), Now: clk.now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.Settings(ctx); err == nil || !strings.Contains(err.Error(), "无法解密") {
			t.Fatalf("foreign key: %v", err)
		}
	})
}

func TestCallbackQueueProcessor(t *testing.T) {
	clk := &clock{t: time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		sink := &recordingSink{}
		proc := wecom.NewProcessor(f.svc, sink, wecom.ProcessorConfig{})

		// A simulated client message, then WeCom's retry of it (same MsgId, new nonce).
		plain, err := wecom.SimPlaintext(wecom.SimOptions{Kind: wecom.SimMessage, CorpID: testCorp, Text: "律师您好", MsgID: "m1", At: clk.now()})
		if err != nil {
			t.Fatal(err)
		}
		q, body := f.callback(t, plain, "nonce1")
		rec, err := f.svc.Receive(ctx, q, body)
		if err != nil || rec.Duplicate || rec.Kind != "event:kf_msg_or_event" {
			t.Fatalf("receive: %+v %v", rec, err)
		}
		// Replay: the same request again.
		if _, err := f.svc.Receive(ctx, q, body); !errors.Is(err, wecom.ErrReplay) {
			t.Fatalf("replay: %v", err)
		}
		q2, body2 := f.callback(t, plain, "nonce2")
		if rec, err := f.svc.Receive(ctx, q2, body2); err != nil || !rec.Duplicate {
			t.Fatalf("retry: %+v %v", rec, err)
		}
		// Stale: six minutes old.
		clk.advance(-6 * time.Minute)
		q3, body3 := f.callback(t, plain, "nonce3")
		clk.advance(6 * time.Minute)
		if _, err := f.svc.Receive(ctx, q3, body3); !errors.Is(err, wecom.ErrStaleTimestamp) {
			t.Fatalf("stale: %v", err)
		}
		// A forged signature.
		q4, body4 := f.callback(t, plain, "nonce4")
		q4.MsgSignature = strings.Repeat("0", 40)
		if _, err := f.svc.Receive(ctx, q4, body4); !errors.Is(err, wecom.ErrBadSignature) {
			t.Fatalf("forged: %v", err)
		}

		// An add-contact and a group event, and a real kf callback whose
		// messages wait in the fake for sync_msg.
		for i, o := range []wecom.SimOptions{
			{Kind: wecom.SimAddContact, CorpID: testCorp, StaffUserID: "zhangsan", ExternalUserID: "wmNew", WelcomeCode: "WC", At: clk.now()},
			{Kind: wecom.SimGroup, CorpID: testCorp, ChatID: "wrG", At: clk.now()},
		} {
			p, err := wecom.SimPlaintext(o)
			if err != nil {
				t.Fatal(err)
			}
			q, body := f.callback(t, p, "ev"+string(rune('a'+i)))
			if _, err := f.svc.Receive(ctx, q, body); err != nil {
				t.Fatal(err)
			}
		}
		f.fake.AddContact(wecomtest.Contact{ExternalUserID: "wmNew", Name: "新客户", FollowUsers: map[string][]string{"zhangsan": nil}})
		f.fake.PushKF(wecomtest.KFMsg{OpenKFID: "wkReal", ExternalUserID: "wmK", Text: "第一条", SendTime: clk.now()})
		f.fake.PushKF(wecomtest.KFMsg{OpenKFID: "wkReal", ExternalUserID: "wmK", EventType: "enter_session", WelcomeCode: "KFW"})
		kf := []byte("<xml><ToUserName><![CDATA[" + testCorp + "]]></ToUserName><CreateTime>1790000000</CreateTime>" +
			"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENCT]]></Token>" +
			"<OpenKfId><![CDATA[wkReal]]></OpenKfId></xml>")
		qk, bk := f.callback(t, kf, "kf1")
		if _, err := f.svc.Receive(ctx, qk, bk); err != nil {
			t.Fatal(err)
		}

		sink.fail = 1 // the first hand-over fails: that event is retried later
		if n, err := proc.ProcessOnce(ctx); err != nil || n != 4 {
			t.Fatalf("process: %d %v", n, err)
		}
		pending, _ := db.FindWeComEvents(ctx, store.WeComEventFilter{Pending: true})
		if len(pending) != 1 || pending[0].LastError == "" {
			t.Fatalf("pending after a failure: %+v", pending)
		}
		clk.advance(10 * time.Second)
		if n, err := proc.ProcessOnce(ctx); err != nil || n != 1 {
			t.Fatalf("retry: %d %v", n, err)
		}
		var kfText, kfEvent, simulated model.InboundMessage
		for _, m := range sink.messages {
			switch {
			case m.Channel == model.ChannelSimulator:
				simulated = m
			case m.Kind == model.InboundEvent:
				kfEvent = m
			default:
				kfText = m
			}
		}
		if len(sink.messages) != 3 || simulated.Text != "律师您好" || simulated.MsgID != "m1" || simulated.OpenKFID == "" {
			t.Fatalf("messages: %+v", sink.messages)
		}
		if kfText.Channel != model.ChannelKF || kfText.Text != "第一条" || kfText.OpenKFID != "wkReal" || kfText.ExternalUserID != "wmK" ||
			kfEvent.WelcomeCode != "KFW" || kfEvent.Text != "enter_session" {
			t.Fatalf("kf messages: %+v", sink.messages)
		}
		if len(sink.contacts) != 1 || sink.contacts[0].Change != model.ContactAdded || sink.contacts[0].WelcomeCode != "WC" ||
			sink.contacts[0].StaffUserID != "zhangsan" {
			t.Fatalf("contact events: %+v", sink.contacts)
		}
		if len(sink.groups) != 1 || sink.groups[0].ChatID != "wrG" || sink.groups[0].UpdateDetail != "add_member" {
			t.Fatalf("group events: %+v", sink.groups)
		}
		// The add event brought the customer into the client book.
		if c, err := db.ContactByWeComID(ctx, "wmNew"); err != nil || c.Name != "新客户" || c.Source != "企业微信" {
			t.Fatalf("imported contact: %+v %v", c, err)
		}
		// The cursor is stored: a second kf callback reads only new messages.
		if cur, _ := db.WeComCursor(ctx, "wkReal"); cur == "" {
			t.Fatal("no cursor stored")
		}
		f.fake.PushKF(wecomtest.KFMsg{OpenKFID: "wkReal", ExternalUserID: "wmK", Text: "第二条", SendTime: clk.now()})
		qk2, bk2 := f.callback(t, []byte(strings.Replace(string(kf), "ENCT", "ENCT2", 1)), "kf2")
		if _, err := f.svc.Receive(ctx, qk2, bk2); err != nil {
			t.Fatal(err)
		}
		if _, err := proc.ProcessOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if len(sink.messages) != 4 || sink.messages[3].Text != "第二条" {
			t.Fatalf("after the second sync: %+v", sink.messages)
		}
	})
}

func TestRunDrainsOnWake(t *testing.T) {
	clk := &clock{t: time.Now()}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, clk)
		sink := &recordingSink{}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- wecom.NewProcessor(f.svc, sink, wecom.ProcessorConfig{Poll: time.Hour}).Run(ctx) }()
		plain, _ := wecom.SimPlaintext(wecom.SimOptions{Kind: wecom.SimMessage, CorpID: testCorp, Text: "唤醒", At: clk.now()})
		q, body := f.callback(t, plain, "")
		if _, err := f.svc.Receive(context.Background(), q, body); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			sink.mu.Lock()
			n := len(sink.messages)
			sink.mu.Unlock()
			if n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the processor did not wake for a queued callback")
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("run: %v", err)
		}
	})
}

// TestConcurrentCallbacksGroupCommit: concurrent callbacks share commits;
// each is queued once, each replayed nonce is refused, none is lost.
func TestConcurrentCallbacksGroupCommit(t *testing.T) {
	clk := &clock{t: time.Now()}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		const n = 60
		type req struct {
			q    wecom.Query
			body []byte
		}
		var reqs []req
		for i := 0; i < n; i++ {
			plain, _ := wecom.SimPlaintext(wecom.SimOptions{Kind: wecom.SimMessage, CorpID: testCorp, Text: "并发",
				MsgID: "c" + strconv.Itoa(i), At: clk.now()})
			q, body := f.callback(t, plain, "cn"+strconv.Itoa(i))
			reqs = append(reqs, req{q, body}, req{q, body}) // each sent twice: the second is a replay
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, replays := 0, 0
		for _, r := range reqs {
			wg.Add(1)
			go func(r req) {
				defer wg.Done()
				_, err := f.svc.Receive(ctx, r.q, r.body)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, wecom.ErrReplay):
					replays++
				default:
					t.Error(err)
				}
			}(r)
		}
		wg.Wait()
		events, err := db.FindWeComEvents(ctx, store.WeComEventFilter{Limit: 1000})
		if ok != n || replays != n || err != nil || len(events) != n {
			t.Fatalf("accepted %d, replays %d, queued %d (%v)", ok, replays, len(events), err)
		}
	})
}
