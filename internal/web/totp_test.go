package web_test

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

var (
	secretRE   = regexp.MustCompile(`<code id="totp-secret">([A-Z2-7]+)</code>`)
	recoveryRE = regexp.MustCompile(`<li><code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})</code></li>`)
)

// decodeQR reads the text of a QR code PNG.
func decodeQR(t *testing.T, pngBytes []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatalf("QR image is no PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	// The image is the whole code with its quiet zone, as a phone's camera
	// sees it once aimed; PURE_BARCODE reads it as such (gozxing's finder
	// search alone misses about one code in 300 that zbarimg and phones
	// read).
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("QR code does not decode: %v", err)
	}
	return res.GetText()
}

// enrolPage opens the enrolment page and returns the secret it shows after
// checking that its QR image encodes the same secret.
func enrolPage(t *testing.T, c *client, path string) string {
	t.Helper()
	code, body, _ := c.get(path)
	if code != http.StatusOK || strings.Contains(body, "ZgotmplZ") || !strings.Contains(body, `src="/security/totp/qr.png"`) {
		t.Fatalf("GET %s: %d\n%s", path, code, body)
	}
	m := secretRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no secret on %s", path)
	}
	return qrSecret(t, c, m[1])
}

// qrSecret fetches the QR image and checks it carries want.
func qrSecret(t *testing.T, c *client, want string) string {
	t.Helper()
	code, img, h := c.get("/security/totp/qr.png")
	if code != http.StatusOK || h.Get("Content-Type") != "image/png" || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("QR image: %d %v", code, h)
	}
	key, err := otp.NewKeyFromURL(decodeQR(t, []byte(img)))
	if err != nil {
		t.Fatal(err)
	}
	if key.Secret() != want {
		t.Fatalf("QR code carries %s, the page shows %s", key.Secret(), want)
	}
	return want
}

func TestTOTPEnrolmentAndRecoveryCodeLogin(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		c.login("zhang")
		secret := enrolPage(t, c, "/security/totp")
		// Reloading and fetching the image again keep the secret.
		if again := enrolPage(t, c, "/security/totp"); again != secret {
			t.Fatalf("reload changed the secret: %s → %s", secret, again)
		}
		tok := c.csrf("/security/totp")
		code, body, _ := c.post("/security/totp", url.Values{"csrf_token": {tok}, "code": {"000000"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "动态验证码错误") || !strings.Contains(body, secret) || !strings.Contains(body, `src="/security/totp/qr.png"`) {
			t.Fatalf("wrong code: %d\n%s", code, body)
		}
		qrSecret(t, c, secret)
		now, _ := totp.GenerateCode(secret, time.Now())
		code, body, _ = c.post("/security/totp", url.Values{"csrf_token": {tok}, "code": {now}})
		codes := recoveryRE.FindAllStringSubmatch(body, -1)
		if code != http.StatusOK || len(codes) != auth.RecoveryCodeCount {
			t.Fatalf("enable: %d, %d recovery codes\n%s", code, len(codes), body)
		}
		if code, _, _ := c.get("/security/totp/qr.png"); code != http.StatusNotFound {
			t.Fatalf("QR of an enabled secret: %d", code)
		}
		if _, body, _ := c.get("/security"); !strings.Contains(body, "剩余恢复码 10 个") {
			t.Fatal("security page does not count the recovery codes")
		}

		// Password, then a recovery code instead of the phone.
		d := newClient(t, ts.URL)
		pre := d.csrf("/login")
		code, _, h := d.post("/login", url.Values{"csrf_token": {pre}, "username": {"zhang"}, "password": {password}, "next": {"/clients?q=a&page=2"}})
		if code != http.StatusSeeOther || h.Get("Location") != "/login/totp?next="+url.QueryEscape("/clients?q=a&page=2") {
			t.Fatalf("password step: %d %q", code, h.Get("Location"))
		}
		_, page, _ := d.get(h.Get("Location"))
		if !strings.Contains(page, `id="recovery-form"`) || !strings.Contains(page, `value="/clients?q=a&amp;page=2"`) {
			t.Fatalf("TOTP step page:\n%s", page)
		}
		code, _, h = d.post("/login/totp", url.Values{"csrf_token": {pre}, "recovery_code": {codes[0][1]}, "next": {"/clients?q=a&page=2"}})
		if code != http.StatusSeeOther || h.Get("Location") != "/clients?q=a&page=2" {
			t.Fatalf("recovery code login: %d %q", code, h.Get("Location"))
		}
		if code, _, _ := d.get("/security"); code != http.StatusOK {
			t.Fatalf("not signed in after the recovery code: %d", code)
		}
		// Used once: the same code is refused at the next login.
		e := newClient(t, ts.URL)
		pre = e.csrf("/login")
		e.post("/login", url.Values{"csrf_token": {pre}, "username": {"zhang"}, "password": {password}})
		code, body, _ = e.post("/login/totp", url.Values{"csrf_token": {pre}, "recovery_code": {codes[0][1]}})
		if code != http.StatusBadRequest || !strings.Contains(body, "恢复码错误或已使用过") {
			t.Fatalf("reused recovery code: %d", code)
		}
	})
}

// TestRequiredAdminTOTPEnrolment: with TOTP required for admins, a new
// admin is held on the enrolment page, whose QR image must load there, and
// gets out by entering the code for the secret shown.
func TestRequiredAdminTOTPEnrolment(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, svc := newServer(t, db)
		if err := svc.SetRequireAdminTOTP(context.Background(), nil, true, auth.Client{IP: "cli"}); err != nil {
			t.Fatal(err)
		}
		c := newClient(t, ts.URL)
		c.login("admin")
		if code, _, h := c.get("/"); code != http.StatusSeeOther || h.Get("Location") != "/security/totp?required=1" {
			t.Fatalf("admin without TOTP reached the dashboard: %d %v", code, h.Get("Location"))
		}
		secret := enrolPage(t, c, "/security/totp?required=1")
		tok := c.csrf("/security/totp")
		code, _ := totp.GenerateCode(secret, time.Now())
		if status, body, _ := c.post("/security/totp", url.Values{"csrf_token": {tok}, "code": {code}}); status != http.StatusOK || !strings.Contains(body, "recovery-codes") {
			t.Fatalf("enable: %d", status)
		}
		if status, body, _ := c.get("/"); status != http.StatusOK || !strings.Contains(body, "工作台") {
			t.Fatalf("after enrolment: %d", status)
		}
	})
}

func TestAdminResetsTOTP(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		ctx := context.Background()
		lawyer := newClient(t, ts.URL)
		lawyer.login("zhang")
		secret := enrolPage(t, lawyer, "/security/totp")
		tok := lawyer.csrf("/security/totp")
		code, _ := totp.GenerateCode(secret, time.Now())
		if status, _, _ := lawyer.post("/security/totp", url.Values{"csrf_token": {tok}, "code": {code}}); status != http.StatusOK {
			t.Fatalf("enable: %d", status)
		}
		// A lawyer may not reset anyone's TOTP, not even the admin's.
		if status, _, _ := lawyer.post("/admin/users/1/reset-totp", url.Values{"csrf_token": {tok}}); status != http.StatusForbidden {
			t.Fatalf("lawyer reset: %d", status)
		}
		admin := newClient(t, ts.URL)
		admin.login("admin")
		_, page, _ := admin.get("/admin/users/2")
		if !strings.Contains(page, "已启用，剩余恢复码 10 个") || !strings.Contains(page, `id="reset-totp"`) {
			t.Fatalf("user page lacks the TOTP section:\n%s", page)
		}
		atok := admin.csrf("/admin/users/2")
		status, _, h := admin.post("/admin/users/2/reset-totp", url.Values{"csrf_token": {atok}})
		if status != http.StatusSeeOther || h.Get("Location") != "/admin/users/2?done=totp-reset" {
			t.Fatalf("reset: %d %v", status, h.Get("Location"))
		}
		if _, page, _ := admin.get(h.Get("Location")); !strings.Contains(page, "已重置动态验证码") || !strings.Contains(page, "未启用") {
			t.Fatal("reset not confirmed on the user page")
		}
		if status, _, _ := lawyer.get("/security"); status != http.StatusSeeOther {
			t.Fatalf("the lawyer's session survived the reset: %d", status)
		}
		lawyer.login("zhang") // the password alone again
		rows, _ := db.FindAudit(ctx, store.AuditFilter{Action: "totp.reset"})
		if len(rows) != 1 || rows[0].Actor != "admin" || rows[0].Target != "user/zhang" || rows[0].IP != "127.0.0.1" {
			t.Fatalf("reset audit: %+v", rows)
		}
	})
}

// TestLoginNextStaysOnSite: the TOTP step keeps a same-origin next, and an
// off-site one is refused at both steps.
func TestLoginNextStaysOnSite(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		for _, next := range []string{"/\t/127.0.0.1:1/x", "/\n/evil.example", "/ /evil.example", `/\evil.example`, "//evil.example", "https://evil.example/"} {
			c := newClient(t, ts.URL)
			tok := c.csrf("/login?next=" + url.QueryEscape(next))
			_, _, h := c.post("/login", url.Values{"csrf_token": {tok}, "username": {"zhang"}, "password": {password}, "next": {next}})
			if loc := h.Get("Location"); loc != "/" {
				t.Errorf("next=%q redirected to %q", next, loc)
			}
		}
		c := newClient(t, ts.URL)
		if _, _, h := c.get("/clients?q=a&page=2"); h.Get("Location") != "/login?next="+url.QueryEscape("/clients?q=a&page=2") {
			t.Fatalf("sign-in redirect loses the query: %q", h.Get("Location"))
		}
	})
}

// TestAdminActionsAuditedOnTheWeb: the admin pages' actions each leave a
// row naming the admin and the address.
func TestAdminActionsAuditedOnTheWeb(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		ctx := context.Background()
		lawyer := newClient(t, ts.URL)
		lawyer.login("zhang")
		admin := newClient(t, ts.URL)
		admin.login("admin")
		tok := admin.csrf("/admin/users")
		posts := []struct {
			path   string
			form   url.Values
			action string
		}{
			{"/admin/users", url.Values{"username": {"li"}, "display_name": {"李律师"}, "role": {"assistant"}, "password": {password}}, "user.create"},
			{"/admin/users/2/revoke-all", url.Values{}, "session.revoke_all"},
			{"/admin/users/2/reset-totp", url.Values{}, "totp.reset"},
			{"/admin/settings", url.Values{"retention_months": {"24"}}, "setting.chat_archive"},
			// Last: from here on this admin must enrol before anything else.
			{"/admin/settings", url.Values{"require_admin_totp": {"on"}, "retention_months": {"24"}}, "setting.require_admin_totp"},
		}
		for _, p := range posts {
			p.form.Set("csrf_token", tok)
			if status, body, _ := admin.post(p.path, p.form); status != http.StatusSeeOther {
				t.Fatalf("POST %s: %d\n%s", p.path, status, body)
			}
			rows, err := db.FindAudit(ctx, store.AuditFilter{Action: p.action})
			if err != nil || len(rows) == 0 || rows[0].Actor != "admin" {
				t.Fatalf("POST %s: audit %s missing (%v)", p.path, p.action, err)
			}
			if p.action != "setting.chat_archive" && rows[0].IP != "127.0.0.1" {
				t.Errorf("POST %s: audit row without the address: %+v", p.path, rows[0])
			}
		}
		rows, _ := db.FindAudit(ctx, store.AuditFilter{Action: "setting.require_admin_totp"})
		if len(rows) != 1 || rows[0].Detail != "管理员必须启用动态验证码：关闭 → 开启" {
			t.Fatalf("setting audit details: %+v", rows)
		}
	})
}

var errorRE = regexp.MustCompile(`<p class="error" role="alert" id="error">([^<]*)</p>`)

// TestLockoutOnTheWeb: wrong TOTP codes lock the account like wrong
// passwords, and the page then reads exactly as for a name that does not
// exist.
func TestLockoutOnTheWeb(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		c.login("zhang")
		secret := enrolPage(t, c, "/security/totp")
		tok := c.csrf("/security/totp")
		now, _ := totp.GenerateCode(secret, time.Now())
		if status, _, _ := c.post("/security/totp", url.Values{"csrf_token": {tok}, "code": {now}}); status != http.StatusOK {
			t.Fatalf("enable: %d", status)
		}
		wrong := now[:5] + string('0'+(now[5]-'0'+5)%10)

		d := newClient(t, ts.URL)
		pre := d.csrf("/login")
		d.post("/login", url.Values{"csrf_token": {pre}, "username": {"zhang"}, "password": {password}})
		var last string
		for i := 0; i < auth.MaxFailedLogins; i++ {
			status, body, _ := d.post("/login/totp", url.Values{"csrf_token": {pre}, "code": {wrong}})
			m := errorRE.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("attempt %d: %d without an error\n%s", i, status, body)
			}
			last = m[1]
			if i < auth.MaxFailedLogins-1 && (status != http.StatusBadRequest || !strings.Contains(body, `id="totp-login-form"`)) {
				t.Fatalf("wrong code %d: %d %q", i, status, last)
			}
			if i == auth.MaxFailedLogins-1 && (status != http.StatusTooManyRequests || !strings.Contains(body, `id="login-form"`)) {
				t.Fatalf("locking code: %d %q", status, last)
			}
		}
		if last != auth.ErrLocked.Error() {
			t.Fatalf("lock message %q", last)
		}
		answer := func(username string) (int, string) {
			e := newClient(t, ts.URL)
			pre := e.csrf("/login")
			status, body, _ := e.post("/login", url.Values{"csrf_token": {pre}, "username": {username}, "password": {password}})
			m := errorRE.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("login %s: %d without an error", username, status)
			}
			return status, m[1]
		}
		zs, zmsg := answer("zhang")
		for i := 0; i < auth.MaxFailedLogins-1; i++ {
			answer("nobody")
		}
		ns, nmsg := answer("nobody")
		if zs != http.StatusTooManyRequests || zs != ns || zmsg != nmsg {
			t.Fatalf("locked zhang: %d %q; locked unknown name: %d %q", zs, zmsg, ns, nmsg)
		}
	})
}

func TestRegenerateRecoveryCodesOnTheWeb(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		c.login("zhang")
		secret := enrolPage(t, c, "/security/totp")
		tok := c.csrf("/security/totp")
		now, _ := totp.GenerateCode(secret, time.Now())
		_, body, _ := c.post("/security/totp", url.Values{"csrf_token": {tok}, "code": {now}})
		old := recoveryRE.FindAllStringSubmatch(body, -1)
		_, page, _ := c.get("/security")
		if !strings.Contains(page, `id="regen-form"`) {
			t.Fatal("no regenerate form on the security page")
		}
		status, body, _ := c.post("/security/recovery-codes", url.Values{"csrf_token": {tok}, "code": {now}})
		if status != http.StatusBadRequest || !strings.Contains(body, "恢复码没有更换") {
			t.Fatalf("spent code: %d", status)
		}
		next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
		status, body, _ = c.post("/security/recovery-codes", url.Values{"csrf_token": {tok}, "code": {next}})
		fresh := recoveryRE.FindAllStringSubmatch(body, -1)
		if status != http.StatusOK || len(fresh) != auth.RecoveryCodeCount || fresh[0][1] == old[0][1] {
			t.Fatalf("regenerate: %d, %d codes", status, len(fresh))
		}
	})
}
