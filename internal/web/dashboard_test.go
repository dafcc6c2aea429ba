package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/notify"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// dashFirm is a small firm for the dashboard, picker and search tests:
// zhang leads matter A (assistant li), wang leads matter B (assistant
// zhao); zhang also has a closed matter C whose case group is still up.
type dashFirm struct {
	ts                   *httptest.Server
	db                   *store.DB
	sched                *schedule.Service
	book                 *clientbook.Service
	users                map[string]int64
	matterA, matterB, mC *model.Matter
	due                  map[string]int64 // zhang's deadlines by band
}

// dashNow is the fixed clock: Monday 2026-03-16, 10:00 in Shanghai.
var dashNow = time.Date(2026, 3, 16, 2, 0, 0, 0, time.UTC)

func newDashFirm(t *testing.T, db *store.DB) *dashFirm {
	t.Helper()
	ctx := context.Background()
	now := func() time.Time { return dashNow }
	cfg := testConfig(t, db)
	cfg.Now = now
	cfg.Schedule = schedule.New(db, now)
	cfg.ClientBook = clientbook.New(db, cfg.Schedule, now)
	cfg.Notify = notify.New(db, now)
	cfg.Schedule.SetPoster(cfg.Notify)
	cfg.ClientBook.SetPoster(cfg.Notify)
	ts := serveWeb(t, cfg)
	f := &dashFirm{ts: ts, db: db, sched: cfg.Schedule, book: cfg.ClientBook, due: map[string]int64{}}
	f.users = createUsers(t, db, map[string]model.Role{"admin": model.RoleAdmin, "zhang": model.RoleLawyer, "wang": model.RoleLawyer,
		"li": model.RoleAssistant, "zhao": model.RoleAssistant})
	f.matterA = &model.Matter{Title: "甲公司合同纠纷", Type: model.MatterCivil, Status: model.MatterInProgress, CaseNumber: "（2026）京0105民初100号",
		LeadLawyerID: f.users["zhang"], AssistantIDs: []int64{f.users["li"]},
		Parties: []model.Party{{Name: "甲科技有限公司", Kind: model.ContactOrg, Role: model.PartyClient}}}
	f.matterB = &model.Matter{Title: "乙某离婚纠纷", Type: model.MatterCivil, Status: model.MatterInProgress,
		LeadLawyerID: f.users["wang"], AssistantIDs: []int64{f.users["zhao"]},
		Parties: []model.Party{{Name: "乙某某", Kind: model.ContactPerson, Role: model.PartyClient}}}
	f.mC = &model.Matter{Title: "丙案已结", Type: model.MatterCivil, Status: model.MatterClosed, LeadLawyerID: f.users["zhang"],
		AssistantIDs: []int64{f.users["li"]}, ClosedOn: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)}
	err := db.Update(ctx, func(tx *store.Tx) error {
		for _, m := range []*model.Matter{f.matterA, f.matterB, f.mC} {
			if err := tx.CreateMatter(ctx, m); err != nil {
				return err
			}
		}
		// zhang's deadlines: 3 days overdue, today, in 5, 20 and 60 days.
		for band, days := range map[string]int{"overdue": -3, "today": 0, "next7": 5, "next30": 20, "later": 60} {
			d := &model.Deadline{OwnerID: f.users["zhang"], MatterID: f.matterA.ID, MatterRef: "甲公司合同纠纷", Title: "期限-" + band,
				RuleID: "appeal-judgment", FromDate: "2026-03-01", DueDate: dashNow.AddDate(0, 0, days).Format("2006-01-02"), Result: "{}"}
			if err := tx.CreateDeadline(ctx, d); err != nil {
				return err
			}
			f.due[band] = d.ID
		}
		// wang's deadline on B: never on zhang's or li's dashboard.
		if err := tx.CreateDeadline(ctx, &model.Deadline{OwnerID: f.users["wang"], MatterID: f.matterB.ID, Title: "乙案答辩期",
			RuleID: "appeal-judgment", FromDate: "2026-03-01", DueDate: "2026-03-17", Result: "{}"}); err != nil {
			return err
		}
		if err := tx.CreateDeadline(ctx, &model.Deadline{OwnerID: f.users["zhang"], MatterID: f.mC.ID, Title: "解散案件群",
			RuleID: "group-dissolution", FromDate: "2026-03-10", DueDate: "2026-03-31", Result: "{}"}); err != nil {
			return err
		}
		for _, c := range []*store.ConflictCheck{
			{MatterID: f.matterA.ID, Query: "甲科技有限公司", Hits: "[]", HitCount: 1, CheckedBy: f.users["zhang"]},
			{MatterID: f.matterB.ID, Query: "乙某某", Hits: "[]", HitCount: 2, CheckedBy: f.users["wang"]},
		} {
			if err := tx.CreateConflictCheck(ctx, c); err != nil {
				return err
			}
		}
		contact := &model.Contact{Kind: model.ContactPerson, Name: "丁咨询人"}
		if err := tx.CreateContact(ctx, contact); err != nil {
			return err
		}
		return tx.CreateConsultation(ctx, &model.Consultation{ContactID: contact.ID, LawyerID: f.users["zhang"], Channel: "电话",
			Topic: "劳动争议咨询", StartedAt: dashNow.Add(-20 * time.Minute)})
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *dashFirm) client(t *testing.T, user string) *client {
	c := newClient(t, f.ts.URL)
	c.login(user)
	return c
}

// section returns the HTML of the element with this id (up to the next
// section), "" when absent.
func section(body, id string) string {
	_, rest, ok := strings.Cut(body, `id="`+id+`"`)
	if !ok {
		return ""
	}
	end := len(rest)
	for _, stop := range []string{"</section>", `<div class="due-band"`} {
		if i := strings.Index(rest, stop); i >= 0 && i < end {
			end = i
		}
	}
	return rest[:end]
}

func TestDashboardSections(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		f := newDashFirm(t, db)
		zhang, li, zhao := f.client(t, "zhang"), f.client(t, "li"), f.client(t, "zhao")
		// Evidence: one item in A (by zhang), one in B (by wang); no TSA, so
		// neither has a trusted timestamp.
		wang := f.client(t, "wang")
		for _, up := range []struct {
			c      *client
			title  string
			matter int64
		}{{zhang, "甲方合同原件", f.matterA.ID}, {wang, "乙方结婚证", f.matterB.ID}} {
			if code, body := up.c.upload(up.c.csrf("/evidence"), map[string]string{"title": up.title, "matter_id": fmt.Sprint(up.matter)},
				map[string][]byte{up.title + ".txt": []byte(up.title)}); code != http.StatusOK && code != http.StatusSeeOther {
				t.Fatalf("upload %s: %d\n%s", up.title, code, body)
			}
		}

		code, body, _ := zhang.get("/")
		if code != http.StatusOK {
			t.Fatalf("dashboard: %d", code)
		}
		for id, want := range map[string][]string{
			"due-overdue":            {"期限-overdue", "逾期 3 天"},
			"due-today":              {"期限-today"},
			"due-next7":              {"期限-next7"},
			"due-next30":             {"期限-next30"},
			"my-matters":             {"甲公司合同纠纷", "2026-03-13", "期限-overdue"},
			"pending-conflicts":      {"甲公司合同纠纷", "1 处"},
			"running-consultations":  {"丁咨询人", "劳动争议咨询"},
			"review-due":             {"丁咨询人"},
			"group-dissolution":      {"丙案已结", "2026-03-31"},
			"untimestamped-evidence": {"甲方合同原件"},
		} {
			sec := section(body, id)
			for _, w := range want {
				if !strings.Contains(sec, w) {
					t.Errorf("zhang's dashboard, section %s lacks %q:\n%s", id, w, sec)
				}
			}
		}
		for _, never := range []string{"期限-later", "乙某离婚纠纷", "乙案答辩期", "乙方结婚证", "乙某某"} {
			if strings.Contains(body, never) {
				t.Errorf("zhang's dashboard shows %q", never)
			}
		}
		if strings.Contains(body, "即将上线") || strings.Contains(body, "开发中") {
			t.Error("a placeholder on the dashboard")
		}

		// The assistant on A: A's matter, dissolution and evidence; no
		// conflicts section, none of zhang's own deadlines, nothing of B.
		_, body, _ = li.get("/")
		for id, want := range map[string]string{"my-matters": "甲公司合同纠纷", "group-dissolution": "丙案已结", "untimestamped-evidence": "甲方合同原件"} {
			if !strings.Contains(section(body, id), want) {
				t.Errorf("li's dashboard, section %s lacks %q", id, want)
			}
		}
		for _, never := range []string{`id="pending-conflicts"`, "期限-overdue", "乙某离婚纠纷", "乙方结婚证", "乙案答辩期", "丁咨询人"} {
			if strings.Contains(body, never) {
				t.Errorf("li's dashboard shows %q", never)
			}
		}
		// The assistant on B sees B's items only.
		_, body, _ = zhao.get("/")
		if !strings.Contains(section(body, "my-matters"), "乙某离婚纠纷") || !strings.Contains(section(body, "untimestamped-evidence"), "乙方结婚证") {
			t.Errorf("zhao's dashboard lacks B's items:\n%s", body)
		}
		for _, never := range []string{"甲公司合同纠纷", "甲方合同原件", "丙案已结"} {
			if strings.Contains(body, never) {
				t.Errorf("zhao's dashboard shows %q", never)
			}
		}
	})
}

func TestDashboardDoneAndPostpone(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDashFirm(t, db)
		zhang, li := f.client(t, "zhang"), f.client(t, "li")
		tok := zhang.csrf("/")
		path := func(band, action string) string {
			return fmt.Sprintf("/dashboard/deadlines/%d/%s", f.due[band], action)
		}

		if code, _, h := zhang.post(path("today", "done"), url.Values{"csrf_token": {tok}}); code != http.StatusSeeOther || h.Get("Location") != "/?done=deadline-done" {
			t.Fatalf("done: %d %v", code, h)
		}
		if d, _ := db.DeadlineByID(ctx, f.due["today"]); d.Status != model.DeadlineDone {
			t.Fatalf("status after 完成: %s", d.Status)
		}
		if _, body, _ := zhang.get("/?done=deadline-done"); strings.Contains(body, "期限-today") || !strings.Contains(body, "期限已标记为完成") {
			t.Fatal("the done deadline is still on the dashboard, or no confirmation")
		}

		// Refused postponements keep what was typed and say why, beside the field.
		for _, c := range []struct{ due, note, want string }{
			{"2026-03-20", "", "顺延说明"},
			{"2026-03-01", "法院准许", "须晚于原届满日 2026-03-13"},
			{"明天", "法院准许", "顺延后的届满日"},
		} {
			code, body, _ := zhang.post(path("overdue", "postpone"), url.Values{"csrf_token": {tok}, "due": {c.due}, "note": {c.note}})
			if code != http.StatusBadRequest || !strings.Contains(body, c.want) || !strings.Contains(body, `class="field-error"`) {
				t.Fatalf("postpone %q %q: %d, want 400 with %q\n%s", c.due, c.note, code, c.want, body)
			}
			if c.note != "" && !strings.Contains(body, `value="`+c.note+`"`) {
				t.Errorf("the note %q was not kept", c.note)
			}
			if c.due != "" && !strings.Contains(body, `value="`+c.due+`"`) {
				t.Errorf("the date %q was not kept", c.due)
			}
		}
		if code, _, _ := zhang.post(path("overdue", "postpone"), url.Values{"csrf_token": {tok}, "due": {"2026-03-27"}, "note": {"法院准许延期"}}); code != http.StatusSeeOther {
			t.Fatalf("postpone: %d", code)
		}
		d, _ := db.DeadlineByID(ctx, f.due["overdue"])
		pp, err := db.DeadlinePostponements(ctx, d.ID)
		if err != nil || d.DueDate != "2026-03-27" || len(pp) != 1 || pp[0].OldDue != "2026-03-13" || pp[0].Note != "法院准许延期" {
			t.Fatalf("after 顺延: due %s, postponements %+v, %v", d.DueDate, pp, err)
		}
		if _, body, _ := zhang.get("/"); !strings.Contains(section(body, "due-next30"), "期限-overdue") || strings.Contains(section(body, "due-overdue"), "期限-overdue") {
			t.Error("the postponed deadline did not move to its new band")
		}
		// A recomputation leaves the postponed date alone.
		if _, err := f.sched.Recompute(ctx, "test", "测试重算"); err != nil {
			t.Fatal(err)
		}
		if d, _ := db.DeadlineByID(ctx, f.due["overdue"]); d.DueDate != "2026-03-27" {
			t.Fatalf("recompute moved a postponed deadline to %s", d.DueDate)
		}
		events, _ := db.FindAudit(ctx, store.AuditFilter{Action: "deadline."})
		var actions []string
		for _, ev := range events {
			actions = append(actions, ev.Action)
		}
		if !strings.Contains(strings.Join(actions, " "), "deadline.postpone") || !strings.Contains(strings.Join(actions, " "), "deadline.done") {
			t.Fatalf("not audited: %v", actions)
		}

		// Another user's deadline answers like a missing one, and the
		// refusal is audited.
		before, _ := db.DeadlineByID(ctx, f.due["next7"])
		ltok := li.csrf("/")
		for _, action := range []string{"done", "postpone"} {
			code, body, _ := li.post(path("next7", action), url.Values{"csrf_token": {ltok}, "due": {"2026-04-30"}, "note": {"x"}})
			_, missing, _ := li.post(fmt.Sprintf("/dashboard/deadlines/99999/%s", action), url.Values{"csrf_token": {ltok}, "due": {"2026-04-30"}, "note": {"x"}})
			if code != http.StatusNotFound || !strings.Contains(body, "页面或记录不存在") || !strings.Contains(missing, "页面或记录不存在") {
				t.Fatalf("li %s on zhang's deadline: %d", action, code)
			}
		}
		if d, _ := db.DeadlineByID(ctx, f.due["next7"]); d.Status != model.DeadlineOpen || d.DueDate != before.DueDate {
			t.Fatalf("li changed zhang's deadline: %+v", d)
		}
		denied, _ := db.FindAudit(ctx, store.AuditFilter{Action: "access.denied", ActorID: f.users["li"]})
		if len(denied) != 2 {
			t.Fatalf("li's refusals audited %d times, want 2", len(denied))
		}
	})
}

func TestMatterPickerOnlyOffersVisibleMatters(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		f := newDashFirm(t, db)
		pick := func(c *client, q string) []string {
			t.Helper()
			code, body, h := c.get("/matters/pick?q=" + url.QueryEscape(q))
			if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Fatalf("pick %q: %d %s", q, code, body)
			}
			var out []struct {
				ID      int64
				Label   string
				Parties string
			}
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, m := range out {
				labels = append(labels, m.Label+"|"+m.Parties)
			}
			return labels
		}
		zhang, li, zhao, admin := f.client(t, "zhang"), f.client(t, "li"), f.client(t, "zhao"), f.client(t, "admin")
		for _, c := range []struct {
			who  *client
			q    string
			want string // "" for no hit
		}{
			{zhang, "甲公司", "甲公司合同纠纷"},
			{zhang, "(2026)京0105民初100", "（2026）京0105民初100号"}, // ASCII brackets find full-width ones
			{zhang, "甲科技", "甲科技有限公司"},                        // by party
			{li, "甲", "甲公司合同纠纷"},
			{zhang, "乙某", ""},
			{li, "乙某", ""},
			{zhao, "甲", ""},
			{zhao, "乙某某", "乙某离婚纠纷"},
			{admin, "乙某某", "乙某离婚纠纷"},
			{zhang, "100%", ""}, // a LIKE wildcard is a character
		} {
			got := strings.Join(pick(c.who, c.q), "\n")
			if c.want == "" && got != "" || !strings.Contains(got, c.want) {
				t.Errorf("pick %q: got %q, want %q", c.q, got, c.want)
			}
		}
		// The plain select (no JavaScript) on the deadline form lists the
		// same matters.
		_, body, _ := li.get("/deadlines")
		if !strings.Contains(body, "data-matter-picker") || !strings.Contains(body, "甲公司合同纠纷") || strings.Contains(body, "乙某离婚纠纷") {
			t.Error("li's deadline form offers the wrong matters")
		}
		// Saving a deadline into a matter li may not see is refused exactly
		// like a missing matter (the form comes back with the same error
		// beside the field and keeps what was typed), and audited.
		tok := li.csrf("/deadlines")
		code, hidden, _ := li.post("/deadlines", url.Values{"csrf_token": {tok}, "rule": {"appeal-judgment"}, "from": {"2026-03-06"},
			"matter_id": {fmt.Sprint(f.matterB.ID)}})
		_, missing, _ := li.post("/deadlines", url.Values{"csrf_token": {tok}, "rule": {"appeal-judgment"}, "from": {"2026-03-06"},
			"matter_id": {"987654"}})
		if code != http.StatusBadRequest || !strings.Contains(hidden, fmt.Sprintf("案件 #%d 不存在", f.matterB.ID)) ||
			!strings.Contains(missing, "案件 #987654 不存在") || strings.Contains(hidden, "乙某离婚纠纷") {
			t.Fatalf("deadline into a hidden matter: %d, want 400 with the missing-matter error", code)
		}
		if !strings.Contains(hidden, `value="2026-03-06"`) {
			t.Error("the refused form lost the date typed")
		}
		denied, err := db.FindAudit(context.Background(), store.AuditFilter{Action: "matter.view.denied"})
		if err != nil || len(denied) == 0 {
			t.Fatalf("the refusal was not audited: %v %v", denied, err)
		}
		code, _, h := li.post("/deadlines", url.Values{"csrf_token": {tok}, "rule": {"appeal-judgment"}, "from": {"2026-03-06"},
			"matter_id": {fmt.Sprint(f.matterA.ID)}})
		if code != http.StatusSeeOther {
			t.Fatalf("deadline into A: %d", code)
		}
		var id int64
		fmt.Sscanf(strings.TrimPrefix(h.Get("Location"), "/deadlines/"), "%d", &id)
		if d, err := db.DeadlineByID(context.Background(), id); err != nil || d.MatterID != f.matterA.ID || !strings.Contains(d.MatterRef, "京0105民初100号") {
			t.Fatalf("saved deadline: %+v %v", d, err)
		}
	})
}

func TestGlobalSearchRespectsAccess(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		f := newDashFirm(t, db)
		zhang, li, zhao := f.client(t, "zhang"), f.client(t, "li"), f.client(t, "zhao")
		if code, body := zhang.upload(zhang.csrf("/evidence"), map[string]string{"title": "甲公司付款凭证", "matter_id": fmt.Sprint(f.matterA.ID)},
			map[string][]byte{"pay.txt": []byte("paid")}); code != http.StatusOK && code != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", code, body)
		}
		export, err := os.ReadFile("../chatexport/testdata/chatlog.csv")
		if err != nil {
			t.Fatal(err)
		}
		if code, body := zhang.importChat("chatlog.csv", export, fmt.Sprint(f.matterA.ID)); code != http.StatusOK {
			t.Fatalf("import: %d %s", code, body)
		}
		// zhang and li (assigned to A) find A's matter, evidence, messages
		// and deadlines; zhao finds none of them.
		for _, c := range []struct {
			who  *client
			q    string
			id   string
			want bool
		}{
			{zhang, "甲公司", "search-matters", true},
			{zhang, "甲公司", "search-evidence", true},
			{zhang, "合同", "search-messages", true},
			{zhang, "期限-today", "search-deadlines", true},
			{li, "甲公司", "search-matters", true},
			{li, "甲公司", "search-evidence", true},
			{li, "合同", "search-messages", true},
			{zhao, "甲公司", "search-matters", false},
			{zhao, "甲公司", "search-evidence", false},
			{zhao, "合同", "search-messages", false},
			{zhao, "期限-today", "search-deadlines", false},
		} {
			code, body, _ := c.who.get("/search?q=" + url.QueryEscape(c.q))
			sec := section(body, c.id)
			if code != http.StatusOK || sec == "" {
				t.Fatalf("search %q: %d, section %s missing", c.q, code, c.id)
			}
			hit := strings.Contains(sec, "<li")
			if hit != c.want {
				t.Errorf("search %q, %s: hit %v, want %v\n%s", c.q, c.id, hit, c.want, sec)
			}
		}
		// The header has the search box on every page.
		if _, body, _ := zhao.get("/clients"); !strings.Contains(body, `id="header-search"`) {
			t.Error("no search box in the header")
		}
	})
}

func TestNotificationsPosted(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDashFirm(t, db)
		// Due today and tomorrow: zhang's today deadline and wang's on B
		// (due 03-17); running twice posts once.
		for i := 0; i < 2; i++ {
			if _, err := f.sched.NotifyDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		list, err := db.Notifications(ctx, store.NotificationFilter{UserID: f.users["zhang"]})
		if err != nil || len(list) != 1 || list[0].Kind != model.NotifyDeadlineDue || list[0].Title != "期限今日到期：期限-today" {
			t.Fatalf("zhang's notifications: %+v %v", list, err)
		}
		list, _ = db.Notifications(ctx, store.NotificationFilter{UserID: f.users["wang"]})
		if len(list) != 1 || list[0].Title != "期限明日到期：乙案答辩期" || list[0].MatterID != f.matterB.ID {
			t.Fatalf("wang's notifications: %+v", list)
		}
		zhang := f.client(t, "zhang")
		if _, body, _ := zhang.get("/"); !strings.Contains(section(body, "dash-notices"), "期限今日到期：期限-today") {
			t.Error("the dashboard does not show the unread notification")
		}

		// wang puts li on B: li is told, wang (who did it) is not.
		wangP := principalOf(t, db, "wang")
		b := *f.matterB
		b.AssistantIDs = []int64{f.users["zhao"], f.users["li"]}
		if err := f.book.UpdateMatter(ctx, wangP, &b); err != nil {
			t.Fatal(err)
		}
		list, _ = db.Notifications(ctx, store.NotificationFilter{UserID: f.users["li"]})
		if len(list) != 1 || list[0].Kind != model.NotifyAssigned || !strings.Contains(list[0].Title, "乙某离婚纠纷") || list[0].Link != fmt.Sprintf("/matters/%d", f.matterB.ID) {
			t.Fatalf("li's notifications after assignment: %+v", list)
		}
		for _, who := range []string{"wang", "zhao"} {
			l, _ := db.Notifications(ctx, store.NotificationFilter{UserID: f.users[who]})
			for _, n := range l {
				if n.Kind == model.NotifyAssigned {
					t.Errorf("%s told about an assignment that is not new to them: %+v", who, n)
				}
			}
		}
	})
}

// principalOf is a signed-in principal of a user, for calling workflows
// directly.
func principalOf(t *testing.T, db *store.DB, username string) *auth.Principal {
	t.Helper()
	u, err := db.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return &auth.Principal{User: u}
}
