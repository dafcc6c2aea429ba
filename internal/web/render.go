package web

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/deadline"
	"github.com/lvxin/lvxin/internal/model"
)

// shanghai is the zone times are shown in.
var shanghai = calendar.Shanghai

var funcs = template.FuncMap{
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(shanghai).Format("2006-01-02 15:04")
	},
	"datetimesec":    func(t time.Time) string { return t.In(shanghai).Format("2006-01-02 15:04:05") },
	"device":         describeDevice,
	"sessionsArgs":   makeSessionsArgs,
	"casenum":        fullWidthBrackets,
	"kindtag":        kindTag,
	"sender":         senderName,
	"messageText":    messageText,
	"messagePreview": messagePreview,
	// Message text with risky links flagged and defanged (linkify.go).
	"linkify":       LinkifyMessage,
	"linkwarning":   LinkWarning,
	"defangexcerpt": DefangExcerpt,
	"rulename":      ruleName,
	"duration":      durationText,
}

// ruleName is a deadline rule's name in words (民事一审判决上诉期), never its
// identifier; a rule this version no longer knows reads as such.
func ruleName(id string) string {
	if rule, ok := deadline.Lookup(id); ok {
		return rule.Name
	}
	if id == "" {
		return ""
	}
	return "（规则已不再提供）"
}

// durationText says how long something lasted: 45 秒, 12 分 30 秒,
// 1 小时 5 分 (seconds are left out from an hour on).
func durationText(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	secs := int64(d / time.Second)
	h, m, sec := secs/3600, secs%3600/60, secs%60
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf("%d 小时 %d 分", h, m)
	case h > 0:
		return fmt.Sprintf("%d 小时", h)
	case m > 0 && sec > 0:
		return fmt.Sprintf("%d 分 %d 秒", m, sec)
	case m > 0:
		return fmt.Sprintf("%d 分", m)
	}
	return fmt.Sprintf("%d 秒", sec)
}

// fullWidthBrackets shows a 案号 (or a matter reference holding one) with
// the full-width brackets courts print: （2024）京0105民初12345号. Stored
// case numbers keep the normalised half-width form.
func fullWidthBrackets(s string) string {
	return strings.NewReplacer("(", "（", ")", "）").Replace(s)
}

// kindTag is the Chinese tag of a message that is not plain text ([图片],
// [撤回] …), said once (see archive.KindTag).
func kindTag(m *model.Message) string { return archive.KindTag(m) }

// senderName names the sender of a chat message: a message without one is
// from the system (群通知, 撤回提示) or from someone the export did not name.
func senderName(m *model.Message) string {
	switch {
	case m.SenderName != "":
		return m.SenderName
	case m.Kind == model.MessageSystem || m.Kind == model.MessageRevoke:
		return "系统"
	}
	return "未知"
}

// parseTemplates parses every page together with the layout.
func (s *Server) parseTemplates() error {
	// The layout and the shared partials (partial_*.html) go into
	// every page.
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partial_*.html")
	if err != nil {
		return err
	}
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" || strings.HasPrefix(base, "partial_") {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(assets, name)
		if err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		s.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return nil
}

// page is what every template receives.
type page struct {
	Title     string
	User      *auth.Principal
	CSRF      string
	Nav       []navItem
	Active    string
	Flash     string
	Error     string
	Version   string
	Data      any
	RequestID string
	Back      string // on an error page: the page of this site the visitor came from
	Bell      string // unread notifications ("", "3", "99+")
}

// render executes a page template into a buffer first, so a template error
// never leaves half a page on the wire.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, pg page) {
	t, ok := s.pages[name]
	if !ok {
		s.cfg.Logger.Error("missing template", "name", name)
		http.Error(w, "模板缺失", http.StatusInternalServerError)
		return
	}
	if pg.User == nil {
		pg.User = principal(r)
	}
	pg.Nav = s.navFor(pg.User)
	// Only admins see which release runs (it tells an attacker what to try).
	if pg.User != nil && pg.User.User.Role == model.RoleAdmin {
		pg.Version = s.cfg.Version
	}
	if pg.User != nil && pg.User.Session != nil && pg.User.Session.Stage == model.StageFull {
		pg.Bell = s.bellCount(r, pg.User)
	}
	if pg.User != nil && pg.CSRF == "" {
		pg.CSRF = pg.User.Session.CSRFToken
	}
	if pg.Flash == "" {
		pg.Flash = flashMessages[r.URL.Query().Get("done")]
	}
	if name == "error" {
		pg.Back = backLink(r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", pg); err != nil {
		s.cfg.Logger.Error("render", "template", name, "err", err)
		http.Error(w, "页面渲染失败", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error", page{Title: statusTitle(status), Error: msg, Data: status})
}

// backLink is the page of this site that sent the visitor here (the form
// whose submission was refused, the list that linked to a missing record),
// or "" when the referrer is missing, foreign or this very page.
func backLink(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || !strings.HasPrefix(ref.Path, "/") || strings.HasPrefix(ref.Path, "//") {
		return ""
	}
	if r.Method == http.MethodGet && ref.Path == r.URL.Path && ref.RawQuery == r.URL.RawQuery {
		return ""
	}
	back := ref.Path
	if ref.RawQuery != "" {
		back += "?" + ref.RawQuery
	}
	return back
}

// statusTitle is the heading of an error page, in Chinese.
func statusTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "请求有误"
	case http.StatusUnauthorized:
		return "需要登录"
	case http.StatusForbidden:
		return "没有权限"
	case http.StatusNotFound:
		return "页面不存在"
	case http.StatusConflict:
		return "操作冲突"
	case http.StatusRequestEntityTooLarge:
		return "内容过大"
	case http.StatusTooManyRequests:
		return "请求过于频繁"
	}
	return "服务器错误"
}

// flashMessages are the confirmations shown after a redirect (?done=key).
var flashMessages = map[string]string{
	"revoked":     "已下线该设备。",
	"revoked-all": "已下线全部设备。",
	"user-added":  "已添加用户。",
	"totp-on":     "动态验证码已启用。",
	"saved":       "已保存。",
	"sent":        "已发送。",
	"paused":      "已暂停：账号处于紧急冻结状态，消息未发出（已记录）。",
	"failed":      "发送失败，详见消息下方的原因（已记录）。",
	"notice":      "已生成通知链接，请复制发到群内。",
	"confirmed":   "已确认，谢谢。",
	"read":        "已标为已读。",
	// The dashboard's one-click actions.
	"deadline-done":      "期限已标记为完成。",
	"deadline-postponed": "期限已顺延。",
}

func randomToken() string {
	var b [16]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// describeDevice turns a User-Agent into a short Chinese description.
func describeDevice(ua string) string {
	os := "未知系统"
	switch {
	case strings.Contains(ua, "iPhone"):
		os = "iPhone"
	case strings.Contains(ua, "iPad"):
		os = "iPad"
	case strings.Contains(ua, "Android"):
		os = "安卓"
	case strings.Contains(ua, "Windows"):
		os = "Windows"
	case strings.Contains(ua, "Mac OS X"):
		os = "Mac"
	case strings.Contains(ua, "Linux"):
		os = "Linux"
	}
	browser := "浏览器"
	switch {
	case strings.Contains(ua, "MicroMessenger"):
		browser = "微信内置浏览器"
	case strings.Contains(ua, "wxwork"):
		browser = "企业微信"
	case strings.Contains(ua, "Edg/"):
		browser = "Edge"
	case strings.Contains(ua, "HeadlessChrome"):
		browser = "Chrome（无界面）"
	case strings.Contains(ua, "Chrome/"):
		browser = "Chrome"
	case strings.Contains(ua, "Firefox/"):
		browser = "Firefox"
	case strings.Contains(ua, "Safari/"):
		browser = "Safari"
	case ua == "":
		return "未知设备"
	}
	return os + " · " + browser
}

// sessionsArgs packs what the sessions_table template needs.
type sessionsArgs struct {
	sessionsView
	CSRF string
	Back string
}

func makeSessionsArgs(v sessionsView, csrf, back string) sessionsArgs {
	return sessionsArgs{sessionsView: v, CSRF: csrf, Back: back}
}
