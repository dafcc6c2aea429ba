package e2e

import (
	"context"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/thedatashed/xlsxreader"
)

// TestWorkbenchInBrowser drives the dashboard, the matter picker, the
// header search and the audit page in Chromium against lvxin serve, on the
// demo firm with a fixed clock (Monday 2026-09-28).
func TestWorkbenchInBrowser(t *testing.T) {
	t.Setenv("LVXIN_TEST_CLOCK", "2026-09-28T10:00:00+08:00")
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			a := browser(t)
			setupAdmin(t, a, srv)
			out, errOut, code := runCLI(t, "", cliArgs(srv, "demo")...)
			if code != 0 {
				t.Fatalf("demo: %s", errOut)
			}
			pw := regexp.MustCompile(`demo-wang（[^）]*）密码：(\S+)`).FindStringSubmatch(out)
			if pw == nil {
				t.Fatalf("no password for demo-wang: %s", out)
			}
			// Matter 1 is assisted by demo-wang, matter 2 is not.
			for _, imp := range []struct{ file, matter string }{{"short-terms.csv", "1"}, {"wechatmsg.csv", "2"}} {
				if out, errOut, code := runCLI(t, "", cliArgs(srv, "import", chatFixture(imp.file), "--matter", imp.matter)...); code != 0 {
					t.Fatalf("import %s: %s %s", imp.file, out, errOut)
				}
			}
			login(t, a, srv.URL, "wang", adminPassword)

			// The matter picker on the deadline form: search by 案号 with
			// ASCII brackets, the select follows, the saved deadline is
			// the matter's.
			run(t, a, "deadline form", chromedp.Navigate(srv.URL+"/deadlines"), chromedp.WaitVisible(chromedp.ID("matter-id-search")))
			run(t, a, "pick a matter",
				chromedp.SendKeys(chromedp.ID("matter-id-search"), "(2025)京0105民初10001"),
				chromedp.WaitVisible(chromedp.CSS(`#matter-id[data-results="1"]`)),
			)
			if v := get(t, a, "picked", chromedp.Evaluate[string](`document.getElementById("matter-id").selectedOptions[0].textContent`)); !strings.Contains(v, "（2025）京0105民初10001号") || !strings.Contains(v, "云杉科技") {
				t.Fatalf("picker chose %q", v)
			}
			clear := chromedp.Evaluate[bool](`(document.getElementById("matter-id-search").value = "") === ""`)
			get(t, a, "clear", clear)
			run(t, a, "party search", chromedp.SendKeys(chromedp.ID("matter-id-search"), "远帆物流"),
				chromedp.WaitVisible(chromedp.CSS(`#matter-id[data-results="2"]`)))
			get(t, a, "clear", clear)
			run(t, a, "back to 10001", chromedp.SendKeys(chromedp.ID("matter-id-search"), "10001"),
				chromedp.WaitVisible(chromedp.CSS(`#matter-id[data-results="1"]`)))
			// Three deadlines: overdue (due 2026-09-23), due 2026-09-30 and
			// 2026-10-10 (after the National Day holidays).
			for _, from := range []string{"2026-09-08", "2026-09-15", "2026-09-25"} {
				run(t, a, "compute "+from,
					chromedp.SetValue(chromedp.ID("rule"), "appeal-judgment"),
					chromedp.SetValue(chromedp.ID("from"), from),
					chromedp.Click(chromedp.ID("compute")),
					chromedp.WaitVisible(chromedp.ID("save")),
					chromedp.Click(chromedp.ID("save")),
					chromedp.WaitVisible(chromedp.CSS(".flash")), // the saved deadline's page
					chromedp.Navigate(srv.URL+"/deadlines?matter_id=1"),
					chromedp.WaitVisible(chromedp.ID("compute")),
				)
			}

			run(t, a, "dashboard", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("due")))
			overdue := get(t, a, "overdue band", chromedp.Text(chromedp.ID("due-overdue")))
			if !strings.Contains(overdue, "2026-09-23") || !strings.Contains(overdue, "逾期 5 天") {
				t.Fatalf("overdue band: %q; all: %q", overdue, get(t, a, "due", chromedp.Text(chromedp.ID("due"))))
			}
			if next := get(t, a, "next7", chromedp.Text(chromedp.ID("due-next7"))); !strings.Contains(next, "2026-09-30") {
				t.Fatalf("7-day band: %q", next)
			}
			for _, id := range []string{"pending-conflicts", "running-consultations", "review-due"} {
				get(t, a, "section "+id, chromedp.Text(chromedp.ID(id)))
			}
			screenshot(t, a, "workbench-dashboard")

			// 顺延 the overdue one with a note; then 完成 the next one.
			run(t, a, "postpone",
				chromedp.Click(chromedp.CSS(`#due-overdue details.postpone > summary`)),
				chromedp.WaitVisible(chromedp.CSS(`#due-overdue input[name="due"]`)),
				chromedp.SetValue(chromedp.CSS(`#due-overdue input[name="due"]`), "2026-10-20"),
				chromedp.SendKeys(chromedp.CSS(`#due-overdue input[name="note"]`), "法院准许延期至10月20日"),
				chromedp.Click(chromedp.CSS(`#due-overdue .postpone-form button`)),
				chromedp.WaitVisible(chromedp.CSS(".flash")),
			)
			if f := get(t, a, "flash", chromedp.Text(chromedp.CSS(".flash"))); f != "期限已顺延。" {
				t.Fatalf("flash after 顺延: %q", f)
			}
			if n := get(t, a, "overdue after", chromedp.Evaluate[int](`document.querySelectorAll("#due-overdue li").length`)); n != 0 {
				t.Fatalf("still %d overdue after 顺延", n)
			}
			if later := get(t, a, "next30", chromedp.Text(chromedp.ID("due-next30"))); !strings.Contains(later, "2026-10-20") {
				t.Fatalf("the postponed deadline is not in the 30-day band: %q", later)
			}
			run(t, a, "dashboard again", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("due")))
			before := get(t, a, "count", chromedp.Evaluate[int](`document.querySelectorAll("#due li[data-deadline]").length`))
			run(t, a, "done", chromedp.Click(chromedp.CSS(`#due-next7 .done-button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
			if f := get(t, a, "flash", chromedp.Text(chromedp.CSS(".flash"))); f != "期限已标记为完成。" {
				t.Fatalf("flash after 完成: %q", f)
			}
			if after := get(t, a, "count", chromedp.Evaluate[int](`document.querySelectorAll("#due li[data-deadline]").length`)); after != before-1 {
				t.Fatalf("deadlines on the dashboard: %d before 完成, %d after", before, after)
			}

			// The header search: the admin finds the message in matter 2;
			// the assistant of matter 1 does not, but finds matter 1's.
			headerSearch := func(ctx context.Context, q string) {
				run(t, ctx, "search "+q, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("header-search")),
					chromedp.SendKeys(chromedp.ID("header-search"), q+"\n"), chromedp.WaitVisible(chromedp.ID("search-total")))
			}
			headerSearch(a, "租赁合同")
			if msgs := get(t, a, "admin hits", chromedp.Text(chromedp.ID("search-messages"))); !strings.Contains(msgs, "租赁合同") {
				t.Fatalf("admin does not find the message: %q", msgs)
			}
			w := phone(t) // the assistant on a phone
			login(t, w, srv.URL, "demo-wang", pw[1])
			for _, path := range []string{"/", "/search?q=%E6%8A%BC%E9%87%91", "/deadlines"} {
				fitsPhone(t, w, srv.URL, path)
			}
			// The assistant's dashboard: the matters they assist, nothing else.
			run(t, w, "assistant dashboard", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("my-matters")))
			matters := get(t, w, "my matters", chromedp.Text(chromedp.ID("my-matters")))
			if !strings.Contains(matters, "云杉科技诉青禾贸易买卖合同纠纷") || strings.Contains(matters, "赵示例") || strings.Contains(matters, "远帆") {
				t.Fatalf("the assistant's matters: %q", matters)
			}
			if n := get(t, w, "no conflicts section", chromedp.Evaluate[int](`document.querySelectorAll("#pending-conflicts").length`)); n != 0 {
				t.Error("an assistant is shown conflict decisions")
			}
			headerSearch(w, "租赁合同")
			for _, id := range []string{"search-matters", "search-messages", "search-evidence", "search-deadlines"} {
				if n := get(t, w, "hits "+id, chromedp.Evaluate[int](`document.querySelectorAll("#`+id+` li").length`)); n != 0 {
					t.Errorf("the assistant sees %d hits of another matter in %s", n, id)
				}
			}
			headerSearch(w, "押金")
			if msgs := get(t, w, "own hits", chromedp.Text(chromedp.ID("search-messages"))); !strings.Contains(msgs, "押金") || strings.Contains(msgs, "租赁合同") {
				t.Fatalf("the assistant's own matter's messages: %q", msgs)
			}
			headerSearch(w, "云杉")
			if m := get(t, w, "matters", chromedp.Text(chromedp.ID("search-matters"))); !strings.Contains(m, "10001") || strings.Contains(m, "赵示例") {
				t.Fatalf("the assistant's matters: %q", m)
			}
			// The assistant's picker offers only their matters.
			run(t, w, "assistant picker", chromedp.Navigate(srv.URL+"/deadlines"), chromedp.WaitVisible(chromedp.ID("matter-id-search")),
				chromedp.SendKeys(chromedp.ID("matter-id-search"), "赵示例"), chromedp.WaitVisible(chromedp.CSS(`#matter-id[data-results="0"]`)))

			// The audit page: in words, filtered by action, exported.
			run(t, a, "audit", chromedp.Navigate(srv.URL+"/audit"), chromedp.WaitVisible(chromedp.ID("audit-filter")))
			if txt := get(t, a, "audit rows", chromedp.Text(chromedp.ID("audit"))); !strings.Contains(txt, "顺延期限 期限 #") && !strings.Contains(txt, "顺延期限 #") {
				t.Fatalf("audit in words: %q", txt)
			}
			run(t, a, "filter login.ok",
				chromedp.SetValue(chromedp.ID("audit-action"), "login.ok"),
				chromedp.Click(chromedp.ID("audit-apply")),
				// the filtered page marks its filter selected
				chromedp.WaitReady(chromedp.CSS(`#audit-action option[value="login.ok"][selected]`)),
			)
			actions := get(t, a, "filtered", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#audit tbody tr")).map(r => r.dataset.action)`))
			if len(actions) < 2 {
				t.Fatalf("login.ok rows: %v", actions)
			}
			for _, act := range actions {
				if act != "login.ok" {
					t.Fatalf("filter lets %q through", act)
				}
			}
			if txt := get(t, a, "words", chromedp.Text(chromedp.CSS("#audit tbody tr .audit-what"))); !strings.HasPrefix(txt, "登录成功") {
				t.Fatalf("action in words: %q", txt)
			}
			b64 := get(t, a, "export", chromedp.Evaluate[string](`fetch(document.getElementById("audit-export").href).then(r => r.arrayBuffer()).then(b => {
				let s = ""; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return btoa(s); })`,
				chromedp.EvalAwaitPromise))
			data, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				t.Fatal(err)
			}
			book, err := xlsxreader.NewReader(data)
			if err != nil {
				t.Fatalf("the export is no XLSX: %v", err)
			}
			rows := 0
			for row := range book.ReadRows(book.Sheets[0]) {
				if rows > 0 && (len(row.Cells) < 9 || row.Cells[3].Value != "登录成功" || row.Cells[8].Value != "login.ok") {
					t.Fatalf("export row %d: %+v", rows, row.Cells)
				}
				rows++
			}
			if rows-1 != len(actions) {
				t.Fatalf("export has %d rows, the page %d", rows-1, len(actions))
			}
		})
	}
}
