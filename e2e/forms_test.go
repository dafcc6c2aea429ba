package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// formStateJS reads every field of the form with the given id: text, date
// and select values by id or name, and the ticked checkboxes as
// "name=value" (by data-user when set).
func formStateJS(form string) string {
	return `(() => {
  const f = document.getElementById("` + form + `");
  const out = {};
  for (const el of f.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden" || el.type === "file") continue;
    if (el.type === "checkbox" || el.type === "radio") {
      if (el.checked) out["ticked:" + el.name + "=" + (el.dataset.user || el.value)] = "on";
      continue;
    }
    out[el.id || el.name] = el.value;
  }
  return out;
})()`
}

// checkKept fails for every field whose value after the refused submission
// differs from what was typed, and for a ticked box that came back empty.
func checkKept(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: field %s is %q after the error, typed %q", what, k, got[k], v)
		}
	}
}

// fieldError reads the message shown beside a field.
func fieldError(t *testing.T, b context.Context, id string) string {
	t.Helper()
	run(t, b, "error beside "+id, chromedp.WaitVisible(chromedp.ID(id)))
	return get(t, b, "read "+id, chromedp.Text(chromedp.ID(id)))
}

// TestFormsKeepWhatWasTyped: a refused matter, contact or deadline form
// comes back with every field as typed (selects, dates, checkboxes, party
// rows, tags) and the error beside the field it is about.
func TestFormsKeepWhatWasTyped(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			addUser(t, srv, "lawyer", "张律师", "zhang")
			addUser(t, srv, "lawyer", "陈律师", "chen")
			addUser(t, srv, "assistant", "李助理", "li")
			csv := filepath.Join(t.TempDir(), "c.csv")
			os.WriteFile(csv, []byte("名称,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签\n北京某某科技有限公司,机构,,,,,,现有客户;科技行业\n"), 0o600)
			if out, errOut, code := runCLI(t, "", cliArgs(srv, "clients", "import", csv)...); code != 0 {
				t.Fatalf("clients import: %s %s", out, errOut)
			}
			b := browser(t)
			login(t, b, srv.URL, "zhang", adminPassword)

			// A matter with a bad 案号: everything else comes back.
			run(t, b, "new matter with a bad case number",
				chromedp.Navigate(srv.URL+"/matters"),
				chromedp.Click(chromedp.CSS("#new-matter-box > summary")),
				chromedp.WaitVisible(chromedp.ID("new-matter")),
				chromedp.SendKeys(chromedp.ID("m-title"), "某某科技诉某某贸易买卖合同纠纷"),
				chromedp.SetValue(chromedp.ID("m-type"), "商事"),
				chromedp.SendKeys(chromedp.ID("m-case"), "（2024）京0105民初甲号"),
				chromedp.SendKeys(chromedp.ID("m-court"), "北京市朝阳区人民法院"),
				chromedp.SetValue(chromedp.ID("m-status"), "engaged"),
				chromedp.SetValue(chromedp.ID("m-engaged"), "2026-03-02"),
				chromedp.Click(chromedp.CSS(`input[name="assistant"][data-user="li"]`)),
				chromedp.Click(chromedp.CSS(`input[name="shared"][data-user="chen"]`)),
				chromedp.SendKeys(chromedp.ID("party-name-0"), "张三"),
				chromedp.SendKeys(chromedp.ID("party-idnum-0"), "11010519491231002X"),
				chromedp.SendKeys(chromedp.ID("party-phone-0"), "13800138000"),
				chromedp.SendKeys(chromedp.ID("party-name-1"), "上海某某贸易有限公司"),
				chromedp.SetValue(chromedp.ID("party-kind-1"), "org"),
				chromedp.SetValue(chromedp.ID("party-role-1"), "opposing"),
				chromedp.Click(chromedp.ID("m-save")),
			)
			if msg := fieldError(t, b, "err-case_number"); !strings.Contains(msg, "（2024）京0105民初12345号") {
				t.Errorf("case number error: %q", msg)
			}
			matter := map[string]string{
				"m-title": "某某科技诉某某贸易买卖合同纠纷", "m-type": "商事", "m-case": "（2024）京0105民初甲号",
				"m-court": "北京市朝阳区人民法院", "m-status": "engaged", "m-engaged": "2026-03-02",
				"ticked:assistant=li": "on", "ticked:shared=chen": "on",
				"party-name-0": "张三", "party-idnum-0": "11010519491231002X", "party-phone-0": "13800138000",
				"party-name-1": "上海某某贸易有限公司", "party-kind-1": "org", "party-role-1": "opposing",
			}
			checkKept(t, "matter", get(t, b, "matter form", chromedp.Evaluate[map[string]string](formStateJS("new-matter"))), matter)

			// The same form with a good 案号 but a bad ID number of a party:
			// the error is on that party's row.
			run(t, b, "fix the case number, break an ID number",
				chromedp.SetValue(chromedp.ID("m-case"), "（2024）京0105民初12345号"),
				chromedp.SetValue(chromedp.ID("party-idnum-0"), "110105194912310021"),
				chromedp.Click(chromedp.ID("m-save")),
			)
			if msg := fieldError(t, b, "err-party-0"); !strings.Contains(msg, "张三") {
				t.Errorf("party error: %q", msg)
			}
			matter["m-case"], matter["party-idnum-0"] = "（2024）京0105民初12345号", "110105194912310021"
			checkKept(t, "matter (party)", get(t, b, "matter form", chromedp.Evaluate[map[string]string](formStateJS("new-matter"))), matter)

			// Fixed, the matter is saved; on its page a new party with a bad
			// ID number comes back in the add-party form.
			run(t, b, "save the matter, add a party with a bad ID number",
				chromedp.SetValue(chromedp.ID("party-idnum-0"), "11010519491231002X"),
				chromedp.Click(chromedp.ID("m-save")),
				chromedp.WaitVisible(chromedp.ID("matter-title")),
				chromedp.Click(chromedp.CSS("#add-party-box > summary")),
				chromedp.WaitVisible(chromedp.ID("np-name")),
				chromedp.SendKeys(chromedp.ID("np-name"), "李四"),
				chromedp.SetValue(chromedp.ID("np-role"), "third"),
				chromedp.SendKeys(chromedp.ID("np-idnum"), "110105194912310021"),
				chromedp.SendKeys(chromedp.ID("np-phone"), "13700001111"),
				chromedp.Submit(chromedp.ID("np-name")),
			)
			if msg := fieldError(t, b, "err-new-party"); !strings.Contains(msg, "李四") {
				t.Errorf("new party error: %q", msg)
			}
			checkKept(t, "new party", get(t, b, "add-party form", chromedp.Evaluate[map[string]string](formStateJS("add-party"))), map[string]string{
				"np-name": "李四", "np-role": "third", "np-kind": "person", "np-idnum": "110105194912310021", "np-phone": "13700001111",
			})

			// A contact with a bad ID number keeps its tags, star and notes.
			run(t, b, "new contact with a bad ID number",
				chromedp.Navigate(srv.URL+"/clients"),
				chromedp.Click(chromedp.CSS("#new-contact-box > summary")),
				chromedp.WaitVisible(chromedp.ID("new-contact")),
				chromedp.SendKeys(chromedp.ID("c-name"), "王五"),
				chromedp.SetValue(chromedp.ID("c-kind"), "person"),
				chromedp.SendKeys(chromedp.ID("c-phone"), "13900001111"),
				chromedp.SendKeys(chromedp.ID("c-wechat"), "wangwu_1988"),
				chromedp.SendKeys(chromedp.ID("c-email"), "wangwu@example.com"),
				chromedp.SendKeys(chromedp.ID("c-org"), "某某物流"),
				chromedp.SendKeys(chromedp.ID("c-idnum"), "110105194912310021"),
				chromedp.SendKeys(chromedp.ID("c-source"), "老客户介绍"),
				chromedp.Click(chromedp.CSS(`input[name="tag"][value="现有客户"]`)),
				chromedp.Click(chromedp.CSS(`input[name="tag"][value="科技行业"]`)),
				chromedp.SendKeys(chromedp.ID("c-new-tags"), "重点;物流"),
				chromedp.Click(chromedp.ID("c-starred")),
				chromedp.SendKeys(chromedp.ID("c-notes"), "周五下午方便联系"),
				chromedp.Click(chromedp.ID("c-save")),
			)
			if msg := fieldError(t, b, "err-id_number"); msg == "" {
				t.Error("no error beside the ID number")
			}
			checkKept(t, "contact", get(t, b, "contact form", chromedp.Evaluate[map[string]string](formStateJS("new-contact"))), map[string]string{
				"c-name": "王五", "c-kind": "person", "c-phone": "13900001111", "c-wechat": "wangwu_1988", "c-email": "wangwu@example.com",
				"c-org": "某某物流", "c-idnum": "110105194912310021", "c-source": "老客户介绍",
				"ticked:tag=现有客户": "on", "ticked:tag=科技行业": "on", "c-new-tags": "重点;物流", "ticked:starred=on": "on",
				"c-notes": "周五下午方便联系",
			})

			// A deadline from a start date outside the calendar keeps its
			// rule, the foreign box, the title and the matter.
			run(t, b, "deadline with a start date out of range",
				chromedp.Navigate(srv.URL+"/deadlines"),
				chromedp.WaitVisible(chromedp.ID("compute-form")),
				chromedp.SetValue(chromedp.ID("rule"), "appeal-judgment"),
				chromedp.SetValue(chromedp.ID("from"), "1999-12-30"),
				chromedp.Click(chromedp.ID("foreign")),
				chromedp.SendKeys(chromedp.ID("title"), "一审判决上诉期"),
				chromedp.SendKeys(chromedp.ID("matter"), "（2024）京0105民初12345号"),
				chromedp.Click(chromedp.ID("compute")),
			)
			if msg := fieldError(t, b, "err-from"); !strings.Contains(msg, "超出支持范围") {
				t.Errorf("start date error: %q", msg)
			}
			checkKept(t, "deadline", get(t, b, "deadline form", chromedp.Evaluate[map[string]string](formStateJS("compute-form"))), map[string]string{
				"rule": "appeal-judgment", "from": "1999-12-30", "ticked:foreign=on": "on", "title": "一审判决上诉期", "matter": "（2024）京0105民初12345号",
			})
		})
	}
}
