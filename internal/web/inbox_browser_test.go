package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/web"
)

// kfRecorder stands in for WeCom's kf API (the boundary to an outside
// service): it records what lvxin sends.
type kfRecorder struct {
	mu   sync.Mutex
	sent []string
}

func (k *kfRecorder) SendKFText(_ context.Context, openKFID, externalUserID, text string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sent = append(k.sent, openKFID+"|"+externalUserID+"|"+text)
	return nil
}
func (k *kfRecorder) SendAppText(context.Context, []string, string) error { return nil }
func (k *kfRecorder) SendWelcome(context.Context, string, string) error   { return nil }

func (k *kfRecorder) all() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.sent...)
}

// chromium starts a headless Chromium on a phone-sized window; skipped
// without one, except under CI=true.
func chromium(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium not found under CI=true")
		}
		t.Skip("Chromium not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(390, 844))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func step(t *testing.T, ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func value[T any](t *testing.T, ctx context.Context, name string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// TestInboxInChromium: a client message arrives through the service the
// wecom processor calls; the lawyer signs in, finds it in 消息, opens it,
// sees its link defanged and not clickable, and replies through kf.
func TestInboxInChromium(t *testing.T) {
	e := storetest.Engines(t)[0] // SQLite: the browser half is about the page
	db := storetest.Open(t, e, nil)
	ctx := context.Background()
	cfg := testConfig(t, db)
	kf := &kfRecorder{}
	cfg.Inbox = inbox.New(inbox.Config{DB: db, Schedule: cfg.Schedule, Sender: kf})
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	u, err := cfg.Auth.CreateUser(ctx, nil, auth.NewUser{Username: "zhang", DisplayName: "张律师", Role: model.RoleLawyer, Password: password}, auth.Client{IP: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Inbox.SetKFAccount(ctx, nil, "kf-zhang", "张律师客服", u.ID); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Inbox.Message(ctx, model.InboundMessage{Channel: model.ChannelSimulator, OpenKFID: "kf-zhang",
		ExternalUserID: "wmBrowser01", MsgID: "b1", Kind: "text",
		Text: "律师您好，对方发来这个付款链接 https://pay.evil-example.com/login?id=7 让我确认，可以点吗？"}); err != nil {
		t.Fatal(err)
	}
	kfBefore := len(kf.all()) // an auto-reply when the test runs off hours

	b := chromium(t)
	step(t, b, "login",
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "zhang"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(`//h1[text()="工作台"]`),
	)
	if href := value(t, b, "nav", chromedp.Evaluate[string](`Array.from(document.querySelectorAll("nav a")).filter(a => a.textContent.trim() === "消息").map(a => a.getAttribute("href")).join()`)); href != "/inbox" {
		t.Fatalf("navigation 消息 → %q", href)
	}
	step(t, b, "open 消息",
		chromedp.Navigate(ts.URL+"/inbox"),
		chromedp.WaitVisible(chromedp.ID("inbox")),
	)
	rows := value(t, b, "rows", chromedp.Evaluate[int](`document.querySelectorAll("#inbox tr.inbox-row").length`))
	if rows != 1 {
		t.Fatalf("inbox rows = %d, want 1", rows)
	}
	// Even in the list, the link is defanged and not a link.
	if n := value(t, b, "links in list", chromedp.Evaluate[int](`document.querySelectorAll("#inbox a[href*='evil']").length`)); n != 0 {
		t.Fatalf("the list has %d clickable links to the phishing host", n)
	}
	step(t, b, "open the conversation",
		chromedp.Click(`#inbox a.open-conversation`),
		chromedp.WaitVisible(chromedp.ID("messages")),
	)
	shown := value(t, b, "defanged", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#messages .defanged-link")).map(s => s.textContent)`))
	if len(shown) != 1 || shown[0] != "hxxps://pay[.]evil-example[.]com/login?id=7" {
		t.Fatalf("defanged links = %q", shown)
	}
	if n := value(t, b, "anchors", chromedp.Evaluate[int](`document.querySelectorAll("#messages a").length`)); n != 0 {
		t.Fatalf("%d clickable links in the messages", n)
	}
	step(t, b, "reply",
		chromedp.SendKeys(chromedp.ID("reply-text"), "请不要点击，这是仿冒的付款页面。"),
		chromedp.Click(chromedp.ID("send-reply")),
		chromedp.WaitVisible(`//p[@class="flash" and contains(text(), "已发送")]`),
	)
	last := value(t, b, "last message", chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#messages li")).pop().textContent`))
	if !strings.Contains(last, "请不要点击") || !strings.Contains(last, "张律师") {
		t.Fatalf("last message shown = %q", last)
	}
	sent := kf.all()
	if len(sent) != kfBefore+1 || sent[len(sent)-1] != "kf-zhang|wmBrowser01|请不要点击，这是仿冒的付款页面。" {
		t.Fatalf("kf sent = %q", sent)
	}
	// The page works at 390 px without sideways scrolling (a headless
	// window is at least 500 px wide, so the viewport is emulated).
	step(t, b, "phone viewport", chromedp.EmulateViewport(390, 844), chromedp.Reload())
	if w := value(t, b, "width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		wide := value(t, b, "wide", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > 390).map(e => e.tagName + "#" + e.id + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`))
		t.Fatalf("page is %d px wide at 390: %q", w, wide)
	}
}
