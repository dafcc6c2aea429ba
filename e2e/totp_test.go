package e2e

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/lvxin/lvxin/internal/store"
)

// shownQR waits until the enrolment page's QR image has loaded, takes a
// screenshot of it as the user sees it, decodes it (gozxing) and returns
// the otpauth:// key it carries.
func shownQR(t *testing.T, ctx context.Context, step string) *otp.Key {
	t.Helper()
	run(t, ctx, step+": QR visible", chromedp.WaitVisible(chromedp.ID("totp-qr")))
	width := get(t, ctx, step+": QR loaded", chromedp.Evaluate[int](`new Promise(done => {
		const img = document.getElementById("totp-qr");
		if (img.complete) { done(img.naturalWidth); return; }
		img.onload = () => done(img.naturalWidth);
		img.onerror = () => done(0);
	})`, chromedp.EvalAwaitPromise))
	if width == 0 {
		t.Fatalf("%s: the QR image did not load (src %q)", step, get(t, ctx, "src", chromedp.Evaluate[string](`document.getElementById("totp-qr").src`)))
	}
	shot := get(t, ctx, step+": screenshot QR", chromedp.Screenshot(chromedp.ID("totp-qr")))
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("%s: screenshot: %v", step, err)
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
		t.Fatalf("%s: the QR code on the page does not decode: %v", step, err)
	}
	key, err := otp.NewKeyFromURL(res.GetText())
	if err != nil || key.Type() != "totp" {
		t.Fatalf("%s: QR text %q: %v", step, res.GetText(), err)
	}
	if shown := get(t, ctx, step+": secret text", chromedp.Text(chromedp.ID("totp-secret"))); shown != key.Secret() {
		t.Fatalf("%s: the page shows secret %s, its QR code %s", step, shown, key.Secret())
	}
	return key
}

// passwordStep signs in with the password of a TOTP user and waits for the
// TOTP step.
func passwordStep(t *testing.T, ctx context.Context, base, user string) {
	t.Helper()
	run(t, ctx, "password step for "+user,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), adminPassword),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("totp-login-form")),
	)
}

// TestTOTPInBrowser: an admin whom the firm requires to use TOTP scans the
// QR code the page shows (decoded from a screenshot), types a wrong code
// and sees the same QR code again, types the right one and is signed in
// with recovery codes on screen; then signs in on other browsers with a
// TOTP code and with a recovery code, a failed TOTP step leaves no device
// behind, and `lvxin user reset-totp` starts enrolment afresh.
func TestTOTPInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			a := browser(t)
			setupAdmin(t, a, srv)
			login(t, a, srv.URL, "wang", adminPassword)

			// 管理员必须启用动态验证码: saving it sends this admin to enrolment.
			run(t, a, "require admin TOTP",
				chromedp.Navigate(srv.URL+"/admin/users"),
				chromedp.WaitVisible(chromedp.CSS(`input[name=require_admin_totp]`)),
				chromedp.Click(chromedp.CSS(`input[name=require_admin_totp]`)),
				chromedp.Click(chromedp.CSS(`form[action="/admin/settings"] button`)),
				chromedp.WaitVisible(chromedp.ID("totp-form")),
			)
			if loc := location(t, a); !strings.HasSuffix(loc, "/security/totp?required=1") {
				t.Fatalf("after requiring TOTP the admin is at %s", loc)
			}
			key := shownQR(t, a, "enrolment")
			screenshot(t, a, "totp-enrol-"+e.Name)

			// A wrong code: an error, and the very same QR code and secret.
			right, _ := totp.GenerateCode(key.Secret(), time.Now())
			wrong := right[:5] + string('0'+(right[5]-'0'+5)%10)
			run(t, a, "wrong code",
				chromedp.SendKeys(chromedp.ID("totp-code"), wrong),
				chromedp.Click(chromedp.ID("totp-enable")),
				chromedp.WaitVisible(chromedp.ID("error")),
			)
			if msg := get(t, a, "read error", chromedp.Text(chromedp.ID("error"))); !strings.Contains(msg, "动态验证码错误") || !strings.Contains(msg, "二维码和密钥没有变化") {
				t.Fatalf("wrong-code message: %q", msg)
			}
			if again := shownQR(t, a, "after a wrong code"); again.URL() != key.URL() {
				t.Fatalf("the QR code changed after a wrong code:\n%s\n%s", key.URL(), again.URL())
			}
			screenshot(t, a, "totp-wrong-code-"+e.Name)

			// The code the decoded QR code yields signs the admin in.
			code, _ := totp.GenerateCode(key.Secret(), time.Now())
			run(t, a, "right code",
				chromedp.SendKeys(chromedp.ID("totp-code"), code),
				chromedp.Click(chromedp.ID("totp-enable")),
				chromedp.WaitVisible(chromedp.ID("recovery-codes")),
			)
			codes := get(t, a, "read recovery codes", chromedp.Evaluate[[]string](`[...document.querySelectorAll("#recovery-codes code")].map(c => c.textContent)`))
			if len(codes) != 10 {
				t.Fatalf("%d recovery codes shown: %q", len(codes), codes)
			}
			screenshot(t, a, "totp-recovery-codes-"+e.Name)
			run(t, a, "no longer held on enrolment",
				chromedp.Click(chromedp.ID("recovery-done")),
				chromedp.WaitVisible(chromedp.ID("totp-status")),
				chromedp.Navigate(srv.URL+"/"),
				chromedp.WaitVisible(`//h1[text()="工作台"]`),
			)

			// Another browser: password, then the TOTP code (the next time
			// step, within the one-step skew, since the enrolment code's step
			// is spent).
			b := browser(t)
			passwordStep(t, b, srv.URL, "wang")
			next, _ := totp.GenerateCode(key.Secret(), time.Now().Add(30*time.Second))
			run(t, b, "TOTP login",
				chromedp.SendKeys(chromedp.ID("code"), next),
				chromedp.Click(chromedp.ID("totp-submit")),
				chromedp.WaitVisible(`//h1[text()="工作台"]`),
			)

			// A third: a recovery code instead of the phone.
			c := browser(t)
			passwordStep(t, c, srv.URL, "wang")
			run(t, c, "recovery code login",
				chromedp.Click(chromedp.ID("recovery-toggle")),
				chromedp.WaitVisible(chromedp.ID("recovery-code")),
				chromedp.SendKeys(chromedp.ID("recovery-code"), codes[4]),
				chromedp.Click(chromedp.ID("recovery-submit")),
				chromedp.WaitVisible(`//h1[text()="工作台"]`),
				chromedp.Navigate(srv.URL+"/security"),
				chromedp.WaitVisible(chromedp.ID("totp-status")),
			)
			if status := get(t, c, "read TOTP status", chromedp.Text(chromedp.ID("totp-status"))); !strings.Contains(status, "剩余恢复码 9 个") {
				t.Fatalf("after one recovery code: %q", status)
			}

			// A fourth fails at the TOTP step: no signed-in device appears.
			d := browser(t)
			passwordStep(t, d, srv.URL, "wang")
			run(t, d, "wrong TOTP at login",
				chromedp.SendKeys(chromedp.ID("code"), wrong),
				chromedp.Click(chromedp.ID("totp-submit")),
				chromedp.WaitVisible(chromedp.ID("error")),
			)
			run(t, a, "device list", chromedp.Navigate(srv.URL+"/security"), chromedp.WaitVisible(chromedp.ID("sessions")))
			if rows := get(t, a, "count devices", chromedp.Evaluate[int](`document.querySelectorAll("#sessions tr[data-session]").length`)); rows != 3 {
				t.Fatalf("%d devices listed, want 3 (the failed TOTP step is none)", rows)
			}

			// Lost phone and codes: the CLI resets TOTP; every browser is
			// signed out and the next sign-in enrols a new secret.
			out, stderr, exit := runCLI(t, "", cliArgs(srv, "user", "reset-totp", "wang")...)
			if exit != 0 || !strings.Contains(out, "已重置 wang 的动态验证码") {
				t.Fatalf("reset-totp: %d %s %s", exit, out, stderr)
			}
			run(t, b, "signed out by the reset", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("login-form")))
			run(t, a, "sign in after the reset",
				chromedp.Navigate(srv.URL+"/login"),
				chromedp.WaitVisible(chromedp.ID("username")),
				chromedp.SendKeys(chromedp.ID("username"), "wang"),
				chromedp.SendKeys(chromedp.ID("password"), adminPassword),
				chromedp.Click(chromedp.ID("login-submit")),
				chromedp.WaitVisible(chromedp.ID("totp-form")),
			)
			if fresh := shownQR(t, a, "enrolment after reset"); fresh.Secret() == key.Secret() {
				t.Fatal("the reset kept the old secret")
			}

			out, stderr, exit = runCLI(t, "", cliArgs(srv, "audit", "verify")...)
			if exit != 0 || !strings.Contains(out, "审计日志完好") {
				t.Fatalf("audit verify: %d %s %s", exit, out, stderr)
			}
			db, err := store.Open(context.Background(), store.Options{DataDir: srv.DataDir, URL: srv.DBURL})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, action := range []string{"setting.require_admin_totp", "totp.enable", "login.totp_fail", "totp.reset"} {
				if rows, err := db.FindAudit(context.Background(), store.AuditFilter{Action: action}); err != nil || len(rows) == 0 {
					t.Errorf("audit log lacks %s (%v)", action, err)
				}
			}
		})
	}
}
