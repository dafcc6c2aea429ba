package web_test

import (
	"context"
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
// sees its phishing link flagged and defanged as in the chat archive (not
// clickable until revealed and confirmed; the genuine court link stays a
// link), and replies through kf.
func TestInboxInChromium(t *testing.T) {
	e := storetest.Engines(t)[0] // SQLite: the browser half is about the page
	db := storetest.Open(t, e, nil)
	ctx := context.Background()
	cfg := testConfig(t, db)
	kf := &kfRecorder{}
	// Monday 10:00, in working hours: no auto-reply, so the list shows
	// the client's message.
	workday := time.Date(2026, 12, 7, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	cfg.Inbox = inbox.New(inbox.Config{DB: db, Schedule: cfg.Schedule, Sender: kf, Now: func() time.Time { return workday }})
	ts := serveWeb(t, cfg)
	u, err := cfg.Auth.CreateUser(ctx, nil, auth.NewUser{Username: "zhang", DisplayName: "张律师", Role: model.RoleLawyer, Password: password}, auth.Client{IP: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Inbox.SetKFAccount(ctx, nil, "kf-zhang", "张律师客服", u.ID); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Inbox.Message(ctx, model.InboundMessage{Channel: model.ChannelSimulator, OpenKFID: "kf-zhang",
		ExternalUserID: "wmBrowser01", MsgID: "b1", Kind: "text",
		Text: "律师您好，短信说【法院通知】传票未签收，要登录 court-gov-cn.top/login 查看；法院电子送达平台 https://zxfw.court.gov.cn/zxfw/index.html 也有一条，哪个是真的？"}); err != nil {
		t.Fatal(err)
	}
	kfBefore := len(kf.all())

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
	// Even in the list the message is flagged, its phishing link defanged,
	// and nothing in the preview is a link.
	if n := value(t, b, "links in list", chromedp.Evaluate[int](`document.querySelectorAll("#inbox td[data-label='最新消息'] a").length`)); n != 0 {
		t.Fatalf("the list preview has %d clickable links", n)
	}
	preview := value(t, b, "preview", chromedp.Text(chromedp.CSS(`#inbox td[data-label='最新消息']`)))
	if !strings.Contains(preview, "⚠ 疑似钓鱼链接") || !strings.Contains(preview, "court-gov-cn[.]top/login") || strings.Contains(preview, "court-gov-cn.top") {
		t.Fatalf("list preview = %q", preview)
	}
	step(t, b, "open the conversation",
		chromedp.Click(`#inbox a.open-conversation`),
		chromedp.WaitVisible(chromedp.ID("messages")),
	)
	// The conversation flags the message as the chat archive does: the
	// warning with the reasons, the phishing link defanged and not
	// clickable, the genuine court link an ordinary link.
	warnings := value(t, b, "warnings", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#messages .link-warning")).map(w => w.textContent)`))
	if len(warnings) != 1 || !strings.Contains(warnings[0], "疑似钓鱼链接") || !strings.Contains(warnings[0], "court-gov-cn[.]top/login（钓鱼") {
		t.Fatalf("warnings = %q", warnings)
	}
	if d := value(t, b, "defanged", chromedp.Text(chromedp.CSS(`#messages .risky-link .defanged`))); d != "court-gov-cn[.]top/login" {
		t.Fatalf("defanged link = %q", d)
	}
	visible := `Array.from(document.querySelectorAll('#messages a[href*="court-gov-cn"]')).filter(a => a.checkVisibility()).length`
	if n := value(t, b, "visible phishing links", chromedp.Evaluate[int](visible)); n != 0 {
		t.Fatalf("%d visible clickable phishing links", n)
	}
	inboxURL := value(t, b, "location", chromedp.Location())
	step(t, b, "click the defanged link", chromedp.Click(chromedp.CSS(`#messages .risky-link .defanged`)))
	if loc := value(t, b, "location after click", chromedp.Location()); loc != inboxURL {
		t.Fatalf("clicking the defanged link went to %s", loc)
	}
	court := `Array.from(document.querySelectorAll('#messages a.message-link[href="https://zxfw.court.gov.cn/zxfw/index.html"]')).filter(a => a.checkVisibility() && !a.closest(".risky-link")).length`
	if n := value(t, b, "court link", chromedp.Evaluate[int](court)); n != 1 {
		t.Fatalf("genuine court link: %d visible links", n)
	}
	// Only after revealing, with the warning repeated, is the real link
	// there to open deliberately.
	step(t, b, "reveal",
		chromedp.Click(chromedp.CSS(`#messages .risky-link summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#messages .risky-link .link-confirm a`)),
	)
	confirm := value(t, b, "confirmation", chromedp.Text(chromedp.CSS(`#messages .risky-link .link-confirm`)))
	if !strings.Contains(confirm, "钓鱼") || !strings.Contains(confirm, "我已了解风险，仍要打开") {
		t.Fatalf("confirmation = %q", confirm)
	}
	if href := value(t, b, "revealed href", chromedp.Evaluate[string](`document.querySelector("#messages .risky-link .link-confirm a").getAttribute("href")`)); href != "http://court-gov-cn.top/login" {
		t.Fatalf("revealed link = %q", href)
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
