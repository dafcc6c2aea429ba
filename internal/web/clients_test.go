package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

var locRE = regexp.MustCompile(`^/(?:clients|matters|consultations)/(\d+)`)

func TestClientBookPages(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, svc := newServer(t, db)
		createUser(t, svc, "li", model.RoleAssistant)
		createUser(t, svc, "zhao", model.RoleAssistant)
		zhang := newClient(t, ts.URL)
		zhang.login("zhang")
		tok := zhang.csrf("/clients")

		// A contact with tags and star.
		code, body, h := zhang.post("/clients", url.Values{"csrf_token": {tok}, "name": {"北京某某科技有限公司"}, "kind": {"org"},
			"tag": {"现有客户"}, "new_tags": {"科技；重点"}, "starred": {"on"}, "phone": {"010-12345678"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create contact: %d %s", code, body)
		}
		contactPath := h.Get("Location")
		_, body, _ = zhang.get(contactPath)
		for _, want := range []string{`id="star-mark"`, ">现有客户<", ">科技<", ">重点<"} {
			if !strings.Contains(body, want) {
				t.Fatalf("contact page lacks %s:\n%s", want, body)
			}
		}
		if code, body, _ := zhang.post("/clients", url.Values{"csrf_token": {tok}, "name": {"坏代码公司"}, "kind": {"org"}, "uscc": {"91110105MA01ABCD20"}}); code != http.StatusBadRequest || !strings.Contains(body, "统一社会信用代码") {
			t.Fatalf("bad USCC: %d", code)
		}

		// A matter with parties, assisted by li; the conflict check runs on save.
		users, _ := db.FindUsers(t.Context(), store.UserFilter{Username: "li"})
		code, body, h = zhang.post("/matters", url.Values{"csrf_token": {tok}, "title": {"某某科技诉某某贸易"}, "type": {"商事"},
			"status": {"engaged"}, "case_number": {"（2024）京0105民初12345号"}, "assistant": {itoa(users[0].ID)},
			"party_name": {"某某(北京)科技有限公司", "上海某某贸易有限公司"}, "party_kind": {"org", "org"}, "party_role": {"client", "opposing"},
			"party_uscc": {"", ""}, "party_idnum": {"", ""}, "party_phone": {"", ""}})
		if code != http.StatusSeeOther {
			t.Fatalf("create matter: %d %s", code, body)
		}
		matterPath := strings.SplitN(h.Get("Location"), "?", 2)[0]
		_, body, _ = zhang.get(matterPath)
		if !strings.Contains(body, "（2024）京0105民初12345号") || !strings.Contains(body, "地区位置差异") || !strings.Contains(body, "对方当事人") {
			t.Fatalf("matter page:\n%s", body)
		}

		// Access: the assigned assistant sees it, another assistant gets 404.
		li, zhao := newClient(t, ts.URL), newClient(t, ts.URL)
		li.login("li")
		zhao.login("zhao")
		if code, _, _ := li.get(matterPath); code != http.StatusOK {
			t.Fatalf("assigned assistant: %d", code)
		}
		if code, body, _ := zhao.get(matterPath); code != http.StatusNotFound || !strings.Contains(body, "页面或记录不存在") {
			t.Fatalf("unassigned assistant: %d", code)
		}
		if _, body, _ := zhao.get("/matters"); strings.Contains(body, "某某科技诉某某贸易") {
			t.Fatal("matter listed for an unassigned assistant")
		}
		if code, _, _ := zhao.post(matterPath+"/status", url.Values{"csrf_token": {zhao.csrf("/clients")}, "status": {"closed"}}); code != http.StatusNotFound {
			t.Fatalf("unassigned assistant closed the matter: %d", code)
		}

		// Conflict check page: a variant spelling hits the contact and the matter party.
		code, body, _ = zhang.post("/conflicts", url.Values{"csrf_token": {tok}, "names": {"北京某某科技有限责任公司\n张三丰"}})
		if code != http.StatusOK || strings.Count(body, `class="hit"`) != 2 || !strings.Contains(body, "委托人") || !strings.Contains(body, "未发现冲突") {
			t.Fatalf("conflicts: %d\n%s", code, body)
		}

		// Closing hands the group-dissolution deadline over.
		// Closing asks first: without confirm=yes nothing changes.
		if code, body, _ := zhang.post(matterPath+"/status", url.Values{"csrf_token": {tok}, "status": {"closed"}}); code != http.StatusOK ||
			!strings.Contains(body, `id="close-confirm"`) || !strings.Contains(body, `id="matter-status">办理中<`) && !strings.Contains(body, `id="matter-status">委托<`) && !strings.Contains(body, `id="matter-status">咨询<`) {
			t.Fatalf("close without confirmation: %d\n%s", code, body)
		}
		code, _, h = zhang.post(matterPath+"/status", url.Values{"csrf_token": {tok}, "status": {"closed"}, "confirm": {"yes"}})
		if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "deadline=") {
			t.Fatalf("close: %d %s", code, h.Get("Location"))
		}
		if _, body, _ := zhang.get("/deadlines"); !strings.Contains(body, "解散案件群") {
			t.Fatal("dissolution deadline not on the deadlines page")
		}

		// Review queue, consultation with timer, export.
		if _, body, _ := zhang.get("/clients/review"); !strings.Contains(body, "北京某某科技有限公司") {
			t.Fatal("contact not in review queue")
		}
		id := locRE.FindStringSubmatch(contactPath)[1]
		zhang.post("/clients/"+id+"/review", url.Values{"csrf_token": {tok}, "back": {"review"}})
		if _, body, _ := zhang.get("/clients/review"); strings.Contains(body, "北京某某科技有限公司") {
			t.Fatal("reviewed contact still queued")
		}
		code, _, h = zhang.post("/consultations", url.Values{"csrf_token": {tok}, "contact_id": {id}, "channel": {"微信"}, "topic": {"合同审查"},
			"free": {"on"}, "started_minutes_ago": {"16"}})
		if code != http.StatusSeeOther {
			t.Fatalf("start consultation: %d", code)
		}
		_, body, _ = zhang.get(h.Get("Location"))
		if !strings.Contains(body, `data-limit="900"`) || !strings.Contains(body, `id="limit-warning"`) || !strings.Contains(body, "/static/clients.js") {
			t.Fatalf("consultation page:\n%s", body)
		}
		if code, body, _ := zhang.get("/clients/export?format=csv"); code != http.StatusOK || !strings.HasPrefix(strings.TrimPrefix(body, "\ufeff"), "名称,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签") {
			t.Fatalf("export: %d %q", code, body)
		}
		if code, _, _ := zhang.get("/consultations"); code != http.StatusOK {
			t.Fatalf("consultations: %d", code)
		}
	})
}

func itoa(n int64) string { return strconvFormat(n) }

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }

var (
	roleFormRE    = regexp.MustCompile(`action="/matters/\d+/parties/(\d+)/role"`)
	checkRecordRE = regexp.MustCompile(`class="check-record"`)
)

// TestContactAndMatterEdit: the edit forms of a contact (fields, tags,
// star) and of a matter (fields and staff), refused input shown again with
// 400, and a party's role change re-running the conflict check.
func TestContactAndMatterEdit(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, svc := newServer(t, db)
		createUser(t, svc, "li", model.RoleAssistant)
		createUser(t, svc, "zhao", model.RoleAssistant)
		zhang := newClient(t, ts.URL)
		zhang.login("zhang")
		tok := zhang.csrf("/clients")

		code, _, h := zhang.post("/clients", url.Values{"csrf_token": {tok}, "name": {"王五"}, "kind": {"person"},
			"tag": {"现有客户"}, "starred": {"on"}, "phone": {"13800138000"}, "source": {"老客户介绍"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create contact: %d", code)
		}
		contactPath := strings.SplitN(h.Get("Location"), "?", 2)[0]
		if _, body, _ := zhang.get(contactPath); !strings.Contains(body, `id="contact-form"`) || !strings.Contains(body, `value="现有客户" checked`) {
			t.Fatalf("contact page lacks the edit form with the current tags:\n%s", body)
		}
		edit := url.Values{"csrf_token": {tok}, "name": {"王五（已改名）"}, "kind": {"person"}, "tag": {"潜在客户"},
			"new_tags": {"回访"}, "phone": {"13900139000"}, "email": {"wang@example.com"}, "source": {"老客户介绍"}}
		if code, body, _ := zhang.post(contactPath, edit); code != http.StatusSeeOther {
			t.Fatalf("edit contact: %d %s", code, body)
		}
		_, body, _ := zhang.get(contactPath)
		for _, want := range []string{"王五（已改名）", "13900139000", "wang@example.com", `<span class="tag">潜在客户</span>`, `<span class="tag">回访</span>`} {
			if !strings.Contains(body, want) {
				t.Fatalf("edited contact lacks %s:\n%s", want, body)
			}
		}
		if strings.Contains(body, `id="star-mark"`) || strings.Contains(body, `<span class="tag">现有客户</span>`) {
			t.Fatal("star or removed tag kept after the edit")
		}
		edit.Set("email", "不是邮箱")
		code, body, _ = zhang.post(contactPath, edit)
		if code != http.StatusBadRequest || !strings.Contains(body, "邮箱") || !strings.Contains(body, `id="edit-contact" open`) || !strings.Contains(body, `value="不是邮箱"`) {
			t.Fatalf("bad email: %d\n%s", code, body)
		}
		if code, _, _ := zhang.post("/clients/999999", edit); code != http.StatusNotFound {
			t.Fatalf("edit of an unknown contact: %d", code)
		}

		// A matter assisted by li; the edit hands it to zhao.
		li, zhao := newClient(t, ts.URL), newClient(t, ts.URL)
		li.login("li")
		zhao.login("zhao")
		ids := map[string]string{}
		for _, name := range []string{"li", "zhao", "zhang"} {
			users, _ := db.FindUsers(t.Context(), store.UserFilter{Username: name})
			ids[name] = itoa(users[0].ID)
		}
		code, body, h = zhang.post("/matters", url.Values{"csrf_token": {tok}, "title": {"王五诉某某物业"}, "type": {"民事"},
			"status": {"engaged"}, "assistant": {ids["li"]},
			"party_name": {"王五", "丙某"}, "party_kind": {"person", "person"}, "party_role": {"client", "third"},
			"party_uscc": {"", ""}, "party_idnum": {"", ""}, "party_phone": {"", ""}})
		if code != http.StatusSeeOther {
			t.Fatalf("create matter: %d %s", code, body)
		}
		matterPath := strings.SplitN(h.Get("Location"), "?", 2)[0]
		if code, _, _ := li.get(matterPath); code != http.StatusOK {
			t.Fatalf("li before the edit: %d", code)
		}
		medit := url.Values{"csrf_token": {tok}, "title": {"王五诉某某物业服务合同纠纷"}, "type": {"民事"},
			"case_number": {"(2024)京0105民初678号"}, "court": {"北京市朝阳区人民法院"}, "lead_lawyer_id": {ids["zhang"]},
			"assistant": {ids["zhao"]}}
		if code, body, _ := zhang.post(matterPath, medit); code != http.StatusSeeOther {
			t.Fatalf("edit matter: %d %s", code, body)
		}
		_, body, _ = zhang.get(matterPath)
		for _, want := range []string{"王五诉某某物业服务合同纠纷", "（2024）京0105民初678号", "北京市朝阳区人民法院", `data-user="zhao" checked`} {
			if !strings.Contains(body, want) {
				t.Fatalf("edited matter lacks %s:\n%s", want, body)
			}
		}
		if code, _, _ := li.get(matterPath); code != http.StatusNotFound {
			t.Fatalf("li after being taken off the matter: %d", code)
		}
		if code, _, _ := zhao.get(matterPath); code != http.StatusOK {
			t.Fatalf("zhao after being assigned: %d", code)
		}
		// With zhao's own form token (zhang's would be a CSRF refusal and
		// prove nothing about the matter rule).
		medit.Set("csrf_token", zhao.csrf("/clients"))
		if code, body, _ := zhao.post(matterPath, medit); code != http.StatusForbidden || strings.Contains(body, "CSRF") {
			t.Fatalf("an assistant edited the matter: %d\n%s", code, body)
		}
		medit.Set("csrf_token", tok)
		// A refused edit leaves an audit row, like every refusal.
		if ev, err := db.FindAudit(t.Context(), store.AuditFilter{Action: "access.denied"}); err != nil || len(ev) == 0 ||
			ev[0].Actor != "zhao" || ev[0].Target != "POST "+matterPath {
			t.Fatalf("refused matter edit not audited: %+v, %v", ev, err)
		}
		medit.Set("case_number", "京民初678")
		if code, body, _ := zhang.post(matterPath, medit); code != http.StatusBadRequest || !strings.Contains(body, "案号") || !strings.Contains(body, `id="edit-matter" open`) {
			t.Fatalf("bad case number: %d\n%s", code, body)
		}

		// 丙某 is the opposing party of another matter; becoming the client
		// here re-runs the check, which now names that matter.
		if code, _, _ := zhang.post("/matters", url.Values{"csrf_token": {tok}, "title": {"丁某诉丙某借款纠纷"}, "type": {"民事"},
			"party_name": {"丁某", "丙某"}, "party_kind": {"person", "person"}, "party_role": {"client", "opposing"},
			"party_uscc": {"", ""}, "party_idnum": {"", ""}, "party_phone": {"", ""}}); code != http.StatusSeeOther {
			t.Fatalf("second matter: %d", code)
		}
		_, body, _ = zhang.get(matterPath)
		before := len(checkRecordRE.FindAllString(body, -1))
		forms := roleFormRE.FindAllStringSubmatch(body, -1)
		if len(forms) != 2 {
			t.Fatalf("role forms: %v", forms)
		}
		if code, _, _ := zhang.post(matterPath+"/parties/"+forms[1][1]+"/role", url.Values{"csrf_token": {tok}, "role": {"client"}}); code != http.StatusSeeOther {
			t.Fatalf("change role: %d", code)
		}
		_, body, _ = zhang.get(matterPath)
		if after := len(checkRecordRE.FindAllString(body, -1)); after != before+1 {
			t.Fatalf("checks before %d, after %d: the role change was not checked again", before, after)
		}
		newest := body[strings.Index(body, `class="check-record"`):]
		newest = newest[:strings.Index(newest, "</article>")]
		if !strings.Contains(newest, "丙某</strong>（委托人）") || !strings.Contains(newest, "《丁某诉丙某借款纠纷》</a>的对方当事人") {
			t.Fatalf("newest check:\n%s", newest)
		}
	})
}

// TestConversionReportPage: consultations, conversions and the conversion
// rate per month (Asia/Shanghai), per lawyer and per source, reachable from
// the 客户 page, with a month range; a lawyer sees only their own.
func TestConversionReportPage(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		ctx := t.Context()
		book := clientbook.New(db, nil, nil)
		lawyer := func(name string) int64 {
			users, _ := db.FindUsers(ctx, store.UserFilter{Username: name})
			return users[0].ID
		}
		contact := &model.Contact{Kind: model.ContactPerson, Name: "咨询人甲"}
		if err := book.CreateContact(ctx, nil, contact); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			lawyer, source string
			at             time.Time
			convert        bool
		}{
			{"zhang", "公众号", time.Date(2024, 1, 10, 2, 0, 0, 0, time.UTC), true},
			{"zhang", "公众号", time.Date(2024, 1, 20, 2, 0, 0, 0, time.UTC), false},
			// 2024-02-01 04:00 in Shanghai: a February consultation.
			{"admin", "老客户介绍", time.Date(2024, 1, 31, 20, 0, 0, 0, time.UTC), true},
			{"admin", "", time.Date(2024, 3, 5, 2, 0, 0, 0, time.UTC), false}, // the contact's source, 手工录入
		} {
			k := &model.Consultation{ContactID: contact.ID, LawyerID: lawyer(c.lawyer), Channel: "微信", Topic: "咨询",
				Source: c.source, StartedAt: c.at}
			if err := book.StartConsultation(ctx, nil, k); err != nil {
				t.Fatal(err)
			}
			if c.convert {
				if _, err := book.Convert(ctx, nil, k.ID, &model.Matter{Type: model.MatterCivil}); err != nil {
					t.Fatal(err)
				}
			}
		}
		row := func(key string, n, conv int, rate string) string {
			return "<tr><td>" + key + "</td><td>" + strconv.Itoa(n) + "</td><td>" + strconv.Itoa(conv) + "</td><td>" + rate + "</td></tr>"
		}
		admin := newClient(t, ts.URL)
		admin.login("admin")
		if _, body, _ := admin.get("/clients"); !strings.Contains(body, `href="/consultations/report"`) {
			t.Fatal("the 客户 page does not link the conversion report")
		}
		code, body, _ := admin.get("/consultations/report")
		if code != http.StatusOK {
			t.Fatalf("report: %d", code)
		}
		for _, want := range []string{
			`id="total-rate">50.0%`,
			row("2024-01", 2, 1, "50.0%"), row("2024-02", 1, 1, "100.0%"), row("2024-03", 1, 0, "0.0%"),
			row("张律师", 2, 1, "50.0%"), row("王主任", 2, 1, "50.0%"),
			row("公众号", 2, 1, "50.0%"), row("老客户介绍", 1, 1, "100.0%"), row("手工录入", 1, 0, "0.0%"),
		} {
			if !strings.Contains(body, want) {
				t.Fatalf("report lacks %s:\n%s", want, body)
			}
		}
		_, body, _ = admin.get("/consultations/report?from=2024-02&to=2024-03")
		if !strings.Contains(body, `id="total-count">2<`) || strings.Contains(body, "<td>2024-01</td>") || !strings.Contains(body, row("2024-02", 1, 1, "100.0%")) {
			t.Fatalf("report for February and March:\n%s", body)
		}
		if code, _, _ := admin.get("/consultations/report?from=2024-13"); code != http.StatusBadRequest {
			t.Fatalf("bad month: %d", code)
		}
		zhang := newClient(t, ts.URL)
		zhang.login("zhang")
		_, body, _ = zhang.get("/consultations/report")
		if !strings.Contains(body, `id="total-count">2<`) || strings.Contains(body, "王主任") {
			t.Fatalf("a lawyer's report shows others' consultations:\n%s", body)
		}
	})
}

// TestProfilePages: the 专业形象 form checks without saving, saves, and the
// contact card serves its QR code as a PNG and its vCard.
func TestProfilePages(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		zhang := newClient(t, ts.URL)
		zhang.login("zhang")
		if _, body, _ := zhang.get("/clients"); !strings.Contains(body, `href="/profile"`) {
			t.Fatal("the 客户 page does not link 专业形象")
		}
		if code, _, h := zhang.get("/profile/card.png"); code != http.StatusSeeOther || h.Get("Location") != "/profile" {
			t.Fatalf("card before a profile is saved: %d %s", code, h.Get("Location"))
		}
		tok := zhang.csrf("/profile")
		form := url.Values{"csrf_token": {tok}, "action": {"check"}, "name": {"张三"}, "nickname": {"张三律师"},
			"signature": {"包赢，专业第一"}, "firm_abbrev": {"某某律所"}, "practice_areas": {"婚姻家事、劳动争议"}}
		code, body, _ := zhang.post("/profile", form)
		for _, want := range []string{"未包含律所简称", "承诺办理结果", `id="findings"`} {
			if code != http.StatusOK || !strings.Contains(body, want) {
				t.Fatalf("check: %d, lacks %s:\n%s", code, want, body)
			}
		}
		users, _ := db.FindUsers(t.Context(), store.UserFilter{Username: "zhang"})
		if _, err := db.LawyerProfile(t.Context(), users[0].ID); err == nil {
			t.Fatal("check-only saved the profile")
		}
		form.Set("action", "save")
		form.Set("phone", "不是电话")
		if code, body, _ := zhang.post("/profile", form); code != http.StatusBadRequest || !strings.Contains(body, "value=\"包赢，专业第一\"") {
			t.Fatalf("bad phone: %d\n%s", code, body)
		}
		form.Set("phone", "13800138000")
		form.Set("nickname", "张三-某某律所")
		form.Set("signature", "专注婚姻家事、劳动争议")
		if code, body, _ := zhang.post("/profile", form); code != http.StatusSeeOther {
			t.Fatalf("save: %d %s", code, body)
		}
		if _, body, _ := zhang.get("/profile"); !strings.Contains(body, "昵称和签名符合规范") || !strings.Contains(body, `href="/profile/card"`) {
			t.Fatalf("profile after saving:\n%s", body)
		}
		if _, body, _ := zhang.get("/profile/card"); !strings.Contains(body, `src="/profile/card.png"`) || !strings.Contains(body, "13800138000") {
			t.Fatalf("card page:\n%s", body)
		}
		code, body, h := zhang.get("/profile/card.png")
		if code != http.StatusOK || h.Get("Content-Type") != "image/png" || !strings.HasPrefix(body, "\x89PNG") {
			t.Fatalf("QR: %d %s", code, h.Get("Content-Type"))
		}
		code, body, _ = zhang.get("/profile/card.vcf")
		if code != http.StatusOK || !strings.Contains(body, "FN:张三") || !strings.Contains(body, "TEL;TYPE=CELL:13800138000") {
			t.Fatalf("vCard: %d\n%s", code, body)
		}
	})
}
