package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// addUser creates a user through the CLI.
func addUser(t *testing.T, srv *server, role, name, username string) {
	t.Helper()
	if out, errOut, code := runCLI(t, adminPassword+"\n", cliArgs(srv, "user", "add", "--role", role, "--name", name, "--password-stdin", username)...); code != 0 {
		t.Fatalf("user add %s: %s %s", username, out, errOut)
	}
}

// TestClientBookInBrowser: a client with tags and star, a matter with
// parties, a conflict check that finds the name variants, the 403 of an
// unassigned assistant, the consultation timer warning and the review
// queue, on every database engine.
func TestClientBookInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			addUser(t, srv, "lawyer", "张律师", "zhang")
			addUser(t, srv, "assistant", "李助理", "li")
			addUser(t, srv, "assistant", "赵助理", "zhao")
			a := browser(t)
			login(t, a, srv.URL, "zhang", adminPassword)

			// A client with tags and star.
			run(t, a, "create client",
				chromedp.Navigate(srv.URL+"/clients"),
				chromedp.Click(chromedp.CSS("#new-contact-box > summary")),
				chromedp.WaitVisible(chromedp.ID("new-contact")),
				chromedp.SendKeys(chromedp.ID("c-name"), "北京某某科技有限公司"),
				chromedp.SetValue(chromedp.ID("c-kind"), "org"),
				chromedp.SendKeys(chromedp.ID("c-phone"), "010-12345678"),
				chromedp.Click(chromedp.CSS(`input[name="tag"][value="现有客户"]`)),
				chromedp.SendKeys(chromedp.ID("c-new-tags"), "科技行业;重点"),
				chromedp.Click(chromedp.ID("c-starred")),
				chromedp.Click(chromedp.ID("c-save")),
				chromedp.WaitVisible(chromedp.ID("star-mark")),
			)
			contactURL := get(t, a, "contact url", chromedp.Location())
			body := get(t, a, "contact page", chromedp.Text(chromedp.CSS("main")))
			for _, want := range []string{"现有客户", "科技行业", "重点", "010-12345678"} {
				if !strings.Contains(body, want) {
					t.Fatalf("contact page lacks %q: %s", want, body)
				}
			}
			run(t, a, "list shows the star", chromedp.Navigate(srv.URL+"/clients"), chromedp.WaitVisible(chromedp.ID("contacts")))
			if list := get(t, a, "list", chromedp.Text(chromedp.ID("contacts"))); !strings.Contains(list, "★ 北京某某科技有限公司") {
				t.Fatalf("contact list: %q", list)
			}

			// A matter with parties, assisted by 李助理.
			run(t, a, "create matter",
				chromedp.Navigate(srv.URL+"/matters"),
				chromedp.Click(chromedp.CSS("#new-matter-box > summary")),
				chromedp.WaitVisible(chromedp.ID("new-matter")),
				chromedp.SendKeys(chromedp.ID("m-title"), "某某科技诉某某贸易买卖合同纠纷"),
				chromedp.SetValue(chromedp.ID("m-type"), "商事"),
				chromedp.SendKeys(chromedp.ID("m-case"), "（2024）京0105民初12345号"),
				chromedp.SetValue(chromedp.ID("m-status"), "engaged"),
				chromedp.Click(chromedp.CSS(`input[name="assistant"][data-user="li"]`)),
				chromedp.SendKeys(chromedp.ID("party-name-0"), "某某（北京）科技有限公司"),
				chromedp.SetValue(chromedp.ID("party-kind-0"), "org"),
				chromedp.SendKeys(chromedp.ID("party-name-1"), "上海某某贸易有限公司"),
				chromedp.SetValue(chromedp.ID("party-kind-1"), "org"),
				chromedp.SetValue(chromedp.ID("party-role-1"), "opposing"),
				chromedp.Click(chromedp.ID("m-save")),
				chromedp.WaitVisible(chromedp.ID("matter-title")),
			)
			matterURL := strings.SplitN(get(t, a, "matter url", chromedp.Location()), "?", 2)[0]
			parties := get(t, a, "parties", chromedp.Text(chromedp.ID("parties")))
			checks := get(t, a, "checks", chromedp.Text(chromedp.ID("checks")))
			if !strings.Contains(parties, "上海某某贸易有限公司") || !strings.Contains(checks, "通讯录联系人") ||
				!strings.Contains(checks, "地区位置差异") || !strings.Contains(get(t, a, "case", chromedp.Text(chromedp.ID("case-number"))), "（2024）京0105民初12345号") {
				t.Fatalf("matter page: parties %q checks %q", parties, checks)
			}

			// The conflict check finds every variant in the contact and the matter.
			run(t, a, "conflict check",
				chromedp.Navigate(srv.URL+"/conflicts"),
				chromedp.WaitVisible(chromedp.ID("conflict-form")),
				chromedp.SetValue(chromedp.ID("conflict-names"), "北京某某科技有限责任公司\n某某(北京)科技股份有限公司\n北京 某某科技 有限公司\n北京某某科技（集团）有限公司\nＢＥＩＪＩＮＧ张三丰\n上海某某貿易有限公司"),
				chromedp.Click(chromedp.ID("conflict-run")),
				chromedp.WaitVisible(chromedp.ID("conflict-report")),
			)
			report := get(t, a, "report", chromedp.Text(chromedp.ID("conflict-report")))
			for _, want := range []string{"北京某某科技有限责任公司：2 处命中", "某某(北京)科技股份有限公司：2 处命中", "北京 某某科技 有限公司：2 处命中",
				"北京某某科技（集团）有限公司：2 处命中", "ＢＥＩＪＩＮＧ张三丰：未发现冲突", "上海某某貿易有限公司：1 处命中", "对方当事人", "繁体"} {
				if !strings.Contains(report, want) {
					t.Errorf("conflict report lacks %q:\n%s", want, report)
				}
			}

			// An assistant who is not assigned gets the page of a missing
			// record (404, nothing revealed); the assigned one sees it.
			z := browser(t)
			login(t, z, srv.URL, "zhao", adminPassword)
			run(t, z, "unassigned assistant opens the matter", chromedp.Navigate(matterURL), chromedp.WaitVisible(chromedp.ID("error")))
			if h1, msg := get(t, z, "h1", chromedp.Text(chromedp.CSS("main h1"))), get(t, z, "error", chromedp.Text(chromedp.ID("error"))); h1 != "页面不存在" || !strings.Contains(msg, "页面或记录不存在") {
				t.Fatalf("unassigned assistant: %q %q", h1, msg)
			}
			l := browser(t)
			login(t, l, srv.URL, "li", adminPassword)
			run(t, l, "assigned assistant opens the matter", chromedp.Navigate(matterURL), chromedp.WaitVisible(chromedp.ID("matter-title")))

			// The consultation timer warns when the free limit is reached.
			run(t, a, "consultation over the limit",
				chromedp.Navigate(contactURL),
				chromedp.WaitVisible(chromedp.ID("start-consultation")),
				chromedp.SendKeys(chromedp.ID("k-topic"), "合同违约"),
				chromedp.SetValue(chromedp.ID("k-ago"), "16"),
				chromedp.Click(chromedp.ID("k-start")),
				chromedp.WaitVisible(chromedp.ID("limit-warning")),
			)
			if w := get(t, a, "warning", chromedp.Text(chromedp.ID("limit-warning"))); !strings.Contains(w, "已达到免费咨询时限（15 分钟）") {
				t.Fatalf("warning: %q", w)
			}
			run(t, a, "fresh consultation",
				chromedp.Navigate(contactURL),
				chromedp.WaitVisible(chromedp.ID("start-consultation")),
				chromedp.SendKeys(chromedp.ID("k-topic"), "劳动合同"),
				chromedp.Click(chromedp.ID("k-start")),
				chromedp.WaitVisible(chromedp.ID("timer")),
				chromedp.Sleep(2200*time.Millisecond),
			)
			elapsed := get(t, a, "elapsed", chromedp.Text(chromedp.ID("elapsed")))
			hidden := get(t, a, "warning hidden", chromedp.AttributeValue(chromedp.ID("limit-warning"), "hidden"))
			if elapsed < "00:02" || !strings.HasPrefix(elapsed, "00:0") || !hidden.Exists {
				t.Fatalf("fresh timer: elapsed %q, warning hidden %v", elapsed, hidden)
			}

			// The review queue lists the contact until it is reviewed.
			run(t, a, "review queue", chromedp.Navigate(srv.URL+"/clients/review"), chromedp.WaitVisible(chromedp.ID("review-queue")))
			if q := get(t, a, "queue", chromedp.Text(chromedp.ID("review-queue"))); !strings.Contains(q, "北京某某科技有限公司") || !strings.Contains(q, "从未整理") {
				t.Fatalf("queue: %q", q)
			}
			run(t, a, "mark reviewed",
				chromedp.Click(chromedp.CSS(`button[data-name="北京某某科技有限公司"]`)),
				chromedp.WaitVisible(chromedp.ID("review-empty")),
			)
			run(t, a, "contact shows the review", chromedp.Navigate(contactURL), chromedp.WaitVisible(chromedp.ID("reviewed")))
			if r := get(t, a, "reviewed", chromedp.Text(chromedp.ID("reviewed"))); !strings.Contains(r, "张律师") {
				t.Fatalf("review stamp: %q", r)
			}
		})
	}
}

// TestClientsAndConflictsCLI: import rejects a bad file whole with its row,
// a good file round-trips through export, and conflicts check --json names
// the contact or matter, the role and the reason.
func TestClientsAndConflictsCLI(t *testing.T) {
	srv := startServer(t, engines(t)[0])
	dir := t.TempDir()
	header := "名称,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签\n"
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte(header+"北京某某科技有限公司,机构,,,,,,现有客户\n张三,人,,,,,,\n"), 0o600)
	_, errOut, code := runCLI(t, "", cliArgs(srv, "clients", "import", bad)...)
	if code != 1 || !strings.Contains(errOut, "第3行") || !strings.Contains(errOut, "整个文件未导入") {
		t.Fatalf("bad import: %d %s", code, errOut)
	}
	good := filepath.Join(dir, "good.csv")
	rows := "北京某某科技有限公司,机构,,010-12345678,,,,现有客户;科技行业\n张三,个人,zs001,13800138000,zs@example.com,某某科技,,潜在客户\n"
	os.WriteFile(good, []byte(header+rows), 0o600)
	if out, errOut, code := runCLI(t, "", cliArgs(srv, "clients", "import", good)...); code != 0 || !strings.Contains(out, "已导入 2 个联系人") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	out, _, code := runCLI(t, "", cliArgs(srv, "clients", "export")...)
	out = strings.ReplaceAll(strings.TrimPrefix(out, "\ufeff"), "\r\n", "\n")
	if code != 0 || !strings.HasPrefix(out, header) || !strings.Contains(out, "张三,个人,zs001,13800138000,zs@example.com,某某科技,,潜在客户") ||
		!strings.Contains(out, "北京某某科技有限公司,机构,,010-12345678,,,,现有客户;科技行业") {
		t.Fatalf("export:\n%s", out)
	}
	out, errOut, code = runCLI(t, "", cliArgs(srv, "conflicts", "check", "--json", "某某（北京）科技有限责任公司", "張三", "李四")...)
	var res []struct {
		Name string `json:"name"`
		Hits []struct {
			Source    string `json:"source"`
			ContactID int64  `json:"contact_id"`
			Name      string `json:"name"`
			Role      string `json:"role"`
			Reason    string `json:"reason"`
		} `json:"hits"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res) != 3 {
		t.Fatalf("conflicts --json: %d %s %s", code, out, errOut)
	}
	if len(res[0].Hits) != 1 || res[0].Hits[0].Source != "contact" || res[0].Hits[0].Name != "北京某某科技有限公司" || !strings.Contains(res[0].Hits[0].Reason, "公司后缀") {
		t.Fatalf("hit 0: %+v", res[0])
	}
	if len(res[1].Hits) != 1 || !strings.Contains(res[1].Hits[0].Reason, "繁体") || res[1].Hits[0].Role == "" {
		t.Fatalf("hit 1: %+v", res[1])
	}
	if res[2].Hits == nil || len(res[2].Hits) != 0 {
		t.Fatalf("李四 should have an empty hits list: %s", out)
	}
	if _, errOut, code := runCLI(t, "", cliArgs(srv, "conflicts", "check")...); code != 2 || !strings.Contains(errOut, "至少一个") {
		t.Fatalf("no names: %d %s", code, errOut)
	}
}
