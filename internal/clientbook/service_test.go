package clientbook

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/conflict"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// uscc completes a 17-character prefix with its GB 32100 check character.
func uscc(prefix string) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i, r := range prefix {
		sum += strings.IndexRune(alphabet, r) * weights[i]
	}
	return prefix + string(alphabet[(31-sum%31)%31])
}

type fixture struct {
	svc                                 *Service
	db                                  *store.DB
	clk                                 *clock
	admin, lead, other, assist, outside *auth.Principal
}

func setup(t *testing.T, db *store.DB, clk *clock) *fixture {
	t.Helper()
	ctx := context.Background()
	mk := func(name string, role model.Role) *auth.Principal {
		u := &model.User{Username: name, DisplayName: name, Role: role, PasswordHash: "h"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		return &auth.Principal{User: u}
	}
	f := &fixture{db: db, clk: clk}
	f.admin, f.lead, f.other = mk("admin", model.RoleAdmin), mk("lead", model.RoleLawyer), mk("other", model.RoleLawyer)
	f.assist, f.outside = mk("assist", model.RoleAssistant), mk("outside", model.RoleAssistant)
	f.svc = New(db, schedule.New(db, clk.now), clk.now)
	return f
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	clk := &clock{t: time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) { fn(t, setup(t, db, clk)) })
}

func auditActions(t *testing.T, db *store.DB, prefix string) []*model.AuditEvent {
	t.Helper()
	evs, err := db.FindAudit(context.Background(), store.AuditFilter{Action: prefix, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestMatterWorkflowAccessAuditAndClosing(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		client := &model.Contact{Kind: model.ContactOrg, Name: "北京某某科技有限公司", USCC: uscc("91110105MA01ABCD2"), Tags: []string{"现有客户"}}
		if err := f.svc.CreateContact(ctx, f.lead, client); err != nil {
			t.Fatal(err)
		}
		m := &model.Matter{Title: "某某科技诉某某贸易买卖合同纠纷", Type: model.MatterCommercial, CaseNumber: "（2024）京0105民初12345号",
			Status: model.MatterEngaged, AssistantIDs: []int64{f.assist.User.ID},
			Parties: []model.Party{
				{ContactID: client.ID, Name: client.Name, Kind: model.ContactOrg, Role: model.PartyClient, USCC: client.USCC},
				{Name: "上海某某贸易有限公司", Kind: model.ContactOrg, Role: model.PartyOpposing},
			}}
		if _, err := f.svc.CreateMatter(ctx, f.assist, m); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("assistant created a matter: %v", err)
		}
		rep, err := f.svc.CreateMatter(ctx, f.lead, m)
		if err != nil {
			t.Fatal(err)
		}
		if m.CaseNumber != "(2024)京0105民初12345号" || m.LeadLawyerID != f.lead.User.ID || m.EngagedOn.IsZero() {
			t.Fatalf("matter not normalised: %+v", m)
		}
		// The client party hits the client's own contact; the check is recorded.
		if rep.CheckID == 0 || len(rep.Names) != 2 || len(rep.Names[0].Hits) != 1 || rep.Names[0].Hits[0].ContactID != client.ID {
			t.Fatalf("report: %+v", rep)
		}

		// Access: lead, admin, assigned assistant see it; others get 403, audited.
		for _, p := range []*auth.Principal{f.lead, f.admin, f.assist} {
			if _, err := f.svc.Matter(ctx, p, m.ID); err != nil {
				t.Fatalf("%s: %v", p.User.Username, err)
			}
		}
		for _, p := range []*auth.Principal{f.other, f.outside} {
			if _, err := f.svc.Matter(ctx, p, m.ID); !errors.Is(err, auth.ErrForbidden) {
				t.Fatalf("%s saw the matter: %v", p.User.Username, err)
			}
			if l, _ := f.svc.Matters(ctx, p, ""); len(l) != 0 {
				t.Fatalf("%s lists %d matters", p.User.Username, len(l))
			}
		}
		if _, err := f.svc.Matter(ctx, f.lead, m.ID+99); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown matter: %v", err)
		}
		views := auditActions(t, f.db, "matter.view")
		denied := auditActions(t, f.db, "matter.view.denied")
		if len(views) != 3 || len(denied) != 2 || views[0].Target != "matter/1" && views[0].Target == "" {
			t.Fatalf("audit: %d views, %d denied", len(views), len(denied))
		}
		// Sharing lets the other lawyer in, without edit rights.
		upd := *m
		upd.SharedWithIDs = []int64{f.other.User.ID}
		if err := f.svc.UpdateMatter(ctx, f.assist, &upd); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("assistant edited: %v", err)
		}
		if err := f.svc.UpdateMatter(ctx, f.lead, &upd); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Matter(ctx, f.other, m.ID); err != nil {
			t.Fatalf("shared lawyer: %v", err)
		}
		if _, err := f.svc.SetStatus(ctx, f.other, m.ID, model.MatterClosed, time.Time{}); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("shared lawyer closed: %v", err)
		}
		upd.SharedWithIDs = []int64{f.outside.User.ID}
		if err := f.svc.UpdateMatter(ctx, f.lead, &upd); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("shared with an assistant: %v", err)
		}

		// Closing records the date and hands group-dissolution to the deadline engine.
		closed := time.Date(2026, 9, 26, 0, 0, 0, 0, time.UTC)
		change, err := f.svc.SetStatus(ctx, f.lead, m.ID, model.MatterClosed, closed)
		if err != nil {
			t.Fatal(err)
		}
		d := change.Deadline
		if !change.Changed || d == nil || d.RuleID != DissolutionRule || d.FromDate != "2026-09-26" || d.OwnerID != f.lead.User.ID || d.MatterID == 0 || !strings.Contains(d.MatterRef, "#1") {
			t.Fatalf("deadline: %+v", d)
		}
		// 15 working days after Saturday 2026-09-26: 28-30 Sep, then the
		// National Day holiday (1-7 Oct), 8-9 Oct, the adjusted working
		// Saturday 10 Oct, and 12-22 Oct.
		if d.DueDate != "2026-10-22" {
			t.Fatalf("due %s, want 2026-10-22", d.DueDate)
		}
		got, _ := f.svc.Matter(ctx, f.lead, m.ID)
		if got.Status != model.MatterClosed || !got.ClosedOn.Equal(closed) {
			t.Fatalf("after closing: %+v", got)
		}
		if _, err := f.svc.SetStatus(ctx, f.lead, m.ID, model.MatterInProgress, time.Time{}); !errors.Is(err, ErrBackwards) {
			t.Fatalf("moved backwards: %v", err)
		}
		// The same status again changes nothing and saves no second deadline.
		if again, err := f.svc.SetStatus(ctx, f.lead, m.ID, model.MatterClosed, closed); err != nil || again.Changed || again.Deadline != nil {
			t.Fatalf("closing a closed matter: %+v, %v", again, err)
		}
		// The contact shows the closed matter.
		ms, err := f.svc.ContactMatters(ctx, f.lead, client.ID)
		if err != nil || len(ms) != 1 || ms[0].ClosedOn.IsZero() || ms[0].Type != model.MatterCommercial {
			t.Fatalf("contact matters: %v %v", ms, err)
		}
		if ms, _ := f.svc.ContactMatters(ctx, f.outside, client.ID); len(ms) != 0 {
			t.Fatalf("contact matters leak to an unassigned assistant")
		}
		if _, err := f.svc.CreateMatter(ctx, f.lead, &model.Matter{Title: "x", Type: model.MatterCivil, CaseNumber: "京0105民初12345号"}); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("bad case number accepted: %v", err)
		}
	})
}

func TestConflictCheckWiredToContactsAndParties(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		for _, c := range []*model.Contact{
			{Kind: model.ContactOrg, Name: "北京某某科技有限公司"},
			{Kind: model.ContactPerson, Name: "张三", Phone: "13800138000"},
		} {
			if err := f.svc.CreateContact(ctx, f.lead, c); err != nil {
				t.Fatal(err)
			}
		}
		m := &model.Matter{Title: "甲诉乙", Type: model.MatterCivil, Parties: []model.Party{
			{Name: "深圳市某某网络股份有限公司", Kind: model.ContactOrg, Role: model.PartyOpposing},
		}}
		if _, err := f.svc.CreateMatter(ctx, f.lead, m); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name    string
			hits    int
			source  string
			role    string
			because string
		}{
			{"某某（北京）科技有限公司", 1, "contact", "通讯录联系人", "地区位置差异"},
			{"北京某某科技有限责任公司", 1, "contact", "通讯录联系人", "公司后缀"},
			{"北京 某某科技 有限公司", 1, "contact", "通讯录联系人", "空格"},
			{"北京某某科技(集团)有限公司", 1, "contact", "通讯录联系人", ""},
			{"北京某某科技有限公司", 1, "contact", "通讯录联系人", "名称完全相同"},
			{"某某网络(深圳)股份有限公司", 1, "matter", "对方当事人", ""},
			{"深圳市某某網絡股份有限公司", 1, "matter", "对方当事人", "繁体"},
			{"ｓｈｅｎｚｈｅｎ张三", 0, "", "", ""},
			{"张三", 1, "contact", "通讯录联系人", "名称完全相同"},
			{"张三丰", 0, "", "", ""},
			{"北京某某网络科技有限公司", 0, "", "", ""},
			{"北京另一科技有限公司", 0, "", "", ""},
		}
		var names []string
		for _, c := range cases {
			names = append(names, c.name)
		}
		rep, err := f.svc.CheckNames(ctx, f.lead, names)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range cases {
			nr := rep.Names[i]
			if len(nr.Hits) != c.hits {
				t.Errorf("%s: %d hits, want %d: %+v", c.name, len(nr.Hits), c.hits, nr.Hits)
				continue
			}
			if c.hits == 0 {
				continue
			}
			h := nr.Hits[0]
			if h.Source != c.source || h.Role != c.role || !strings.Contains(h.Reason, c.because) {
				t.Errorf("%s: hit %+v, want %s/%s/%q", c.name, h, c.source, c.role, c.because)
			}
			if c.source == "matter" && (h.MatterID != m.ID || h.Matter != "甲诉乙") {
				t.Errorf("%s: matter not named: %+v", c.name, h)
			}
		}
		// By phone, even under another name.
		r2, _ := f.svc.Check(ctx, []Query{{Query: queryPhone("李四", "+86 138-0013-8000")}}, 0)
		if len(r2.Names[0].Hits) != 1 || !strings.Contains(r2.Names[0].Hits[0].Reason, "电话") {
			t.Fatalf("phone hit: %+v", r2)
		}
		// The index follows writes: a new contact is found at once.
		if err := f.svc.CreateContact(ctx, f.lead, &model.Contact{Kind: model.ContactPerson, Name: "王五"}); err != nil {
			t.Fatal(err)
		}
		r3, _ := f.svc.CheckNames(ctx, f.lead, []string{"王五"})
		if len(r3.Names[0].Hits) != 1 {
			t.Fatalf("new contact not found: %+v", r3)
		}

		// A role change is checked again and recorded; the decision is recorded.
		before, _ := f.db.ConflictChecksOf(ctx, m.ID)
		rep4, err := f.svc.ChangePartyRole(ctx, f.lead, m.ID, m.Parties[0].ID, model.PartyThird)
		if err != nil || rep4.CheckID == 0 || rep4.Names[0].Role != "第三人" {
			t.Fatalf("role change: %+v %v", rep4, err)
		}
		after, _ := f.db.ConflictChecksOf(ctx, m.ID)
		if len(after) != len(before)+1 {
			t.Fatalf("role change not re-checked: %d -> %d", len(before), len(after))
		}
		if err := f.svc.Decide(ctx, f.lead, rep4.CheckID, model.ConflictWaived, ""); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("waiver without reason: %v", err)
		}
		if err := f.svc.Decide(ctx, f.other, rep4.CheckID, model.ConflictNone, ""); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("other lawyer decided: %v", err)
		}
		if err := f.svc.Decide(ctx, f.lead, rep4.CheckID, model.ConflictWaived, "各方书面同意"); err != nil {
			t.Fatal(err)
		}
		recs, err := f.svc.Checks(ctx, f.lead, m)
		if err != nil || recs[0].Decision != model.ConflictWaived || recs[0].Reason != "各方书面同意" || len(recs[0].Names) != 1 {
			t.Fatalf("checks: %+v %v", recs, err)
		}
		// Adding a party that is an existing contact reports it.
		rep5, err := f.svc.AddParty(ctx, f.lead, m.ID, &model.Party{Name: "張三", Kind: model.ContactPerson, Role: model.PartyOpposing})
		if err != nil || len(rep5.Names[0].Hits) != 1 {
			t.Fatalf("add party: %+v %v", rep5, err)
		}
	})
}

func TestContactsValidationImportReview(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		bad := []*model.Contact{
			{Kind: model.ContactOrg, Name: "甲", USCC: "91110105MA01ABCD2" + "0"},
			{Kind: model.ContactPerson, Name: ""},
			{Kind: "x", Name: "乙"},
			{Kind: model.ContactPerson, Name: "丙", Phone: "12"},
			{Kind: model.ContactPerson, Name: "丁", Tags: []string{"a;b"}},
		}
		good := uscc("91110105MA01ABCD2")
		for _, c := range bad {
			if c.USCC != "" && c.USCC == good {
				c.USCC = good[:17] + "1"
			}
			if err := f.svc.CreateContact(ctx, f.lead, c); !errors.Is(err, model.ErrInvalidInput) {
				t.Errorf("accepted %+v: %v", c, err)
			}
		}
		csv := "名称,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签\n" +
			"赵一,个人,zy1,13800000001,,,,现有客户;重要\n" +
			"钱二,个人,,13800000002,,,,\n" +
			"孙三,团体,,,,,,\n"
		if _, err := f.svc.ImportContacts(ctx, f.lead, strings.NewReader(csv), "book.csv"); err == nil || !strings.Contains(err.Error(), "第4行") {
			t.Fatalf("bad row: %v", err)
		}
		if n, _ := f.db.CountContacts(ctx); n != 0 {
			t.Fatalf("a rejected import stored %d contacts", n)
		}
		n, err := f.svc.ImportContacts(ctx, f.lead, strings.NewReader(strings.Replace(csv, "团体", "个人", 1)), "book.csv")
		if err != nil || n != 3 {
			t.Fatalf("import: %d %v", n, err)
		}
		var out strings.Builder
		if _, err := f.svc.ExportContacts(ctx, f.lead, &out, FormatCSV); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "名称,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签") || !strings.Contains(out.String(), "赵一,个人,zy1,13800000001,,,,现有客户;重要") {
			t.Fatalf("export:\n%s", out.String())
		}
		if len(auditActions(t, f.db, "contact.export")) != 1 {
			t.Fatal("export not audited")
		}
		// Review queue: all three are due; reviewing one removes it and records who.
		q, _ := f.svc.ReviewQueue(ctx, 0)
		if len(q) != 3 {
			t.Fatalf("queue: %d", len(q))
		}
		if err := f.svc.MarkReviewed(ctx, f.assist, q[0].ID); err != nil {
			t.Fatal(err)
		}
		c, _ := f.svc.Contact(ctx, q[0].ID)
		if c.ReviewedBy != f.assist.User.ID || !c.LastReviewedAt.Equal(f.clk.t) {
			t.Fatalf("review stamp: %+v", c)
		}
		if q2, _ := f.svc.ReviewQueue(ctx, 0); len(q2) != 2 {
			t.Fatalf("queue after review: %d", len(q2))
		}
		f.clk.t = f.clk.t.Add(91 * 24 * time.Hour)
		if q3, _ := f.svc.ReviewQueue(ctx, 0); len(q3) != 3 {
			t.Fatalf("queue a quarter later: %d", len(q3))
		}
	})
}

func TestConsultationsAndConversionReport(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		c := &model.Contact{Kind: model.ContactPerson, Name: "周六", Source: "公众号"}
		if err := f.svc.CreateContact(ctx, f.lead, c); err != nil {
			t.Fatal(err)
		}
		if lim, _ := f.svc.FreeLimit(ctx); lim != 15*time.Minute {
			t.Fatalf("default limit %v", lim)
		}
		if err := f.svc.SetFreeLimit(ctx, f.lead, 20); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("lawyer set the limit: %v", err)
		}
		if err := f.svc.SetFreeLimit(ctx, f.admin, 20); err != nil {
			t.Fatal(err)
		}
		if lim, _ := f.svc.FreeLimit(ctx); lim != 20*time.Minute {
			t.Fatalf("limit %v", lim)
		}
		var ids []int64
		for i, who := range []*auth.Principal{f.lead, f.lead, f.other} {
			k := &model.Consultation{ContactID: c.ID, Channel: "微信", Topic: "劳动仲裁", Free: true,
				StartedAt: time.Date(2026, 1+time.Month(i), 10, 3, 0, 0, 0, time.UTC)}
			if err := f.svc.StartConsultation(ctx, who, k); err != nil {
				t.Fatal(err)
			}
			if k.Source != "公众号" || k.LawyerID != who.User.ID {
				t.Fatalf("defaults: %+v", k)
			}
			ids = append(ids, k.ID)
		}
		if err := f.svc.StopConsultation(ctx, f.other, ids[0]); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("other lawyer stopped: %v", err)
		}
		if err := f.svc.StopConsultation(ctx, f.lead, ids[0]); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.StopConsultation(ctx, f.lead, ids[0]); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("stopped twice: %v", err)
		}
		rep, err := f.svc.Convert(ctx, f.lead, ids[0], &model.Matter{Type: model.MatterLabor})
		if err != nil || rep.CheckID == 0 {
			t.Fatalf("convert: %+v %v", rep, err)
		}
		k, _ := f.svc.Consultation(ctx, f.lead, ids[0])
		m, err := f.svc.Matter(ctx, f.lead, k.MatterID)
		if err != nil || m.Status != model.MatterEngaged || m.Parties[0].ContactID != c.ID || m.Parties[0].Role != model.PartyClient {
			t.Fatalf("converted matter: %+v %v", m, err)
		}
		if _, err := f.svc.Convert(ctx, f.lead, ids[0], &model.Matter{Type: model.MatterLabor}); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("converted twice: %v", err)
		}
		r, err := f.svc.Report(ctx, f.admin, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total.Consultations != 3 || r.Total.Converted != 1 || len(r.ByMonth) != 3 || r.ByMonth[0].Key != "2026-01" ||
			r.ByMonth[0].RateText() != "100.0%" || len(r.ByLawyer) != 2 || r.BySource[0].Key != "公众号" || r.BySource[0].RateText() != "33.3%" {
			t.Fatalf("report: %+v", r)
		}
		own, _ := f.svc.Report(ctx, f.other, time.Time{}, time.Time{})
		if own.Total.Consultations != 1 {
			t.Fatalf("lawyer report sees others': %+v", own.Total)
		}
	})
}

func queryPhone(name, phone string) conflict.Query { return conflict.Query{Name: name, Phone: phone} }

// TestIndexFollowsChangesIncrementally: once built, the cached index is
// brought up to date from the change log, not rebuilt: a contact renamed, a
// party's role changed, a matter retitled, and a contact written by another
// process (a second Service, as the CLI) are all seen by the next check;
// the result equals a freshly built index.
func TestIndexFollowsChangesIncrementally(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		names := func(svc *Service, name string) []string {
			rep, err := svc.Check(ctx, []Query{{Query: conflict.Query{Name: name}}}, 0)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, h := range rep.Names[0].Hits {
				out = append(out, h.Source+":"+h.Name+":"+h.Role+":"+h.Matter)
			}
			return out
		}
		c := &model.Contact{Kind: model.ContactPerson, Name: "张三"}
		if err := f.svc.CreateContact(ctx, f.lead, c); err != nil {
			t.Fatal(err)
		}
		m := &model.Matter{Title: "甲案", Type: model.MatterCivil, Parties: []model.Party{{Name: "李四", Role: model.PartyOpposing}}}
		if _, err := f.svc.CreateMatter(ctx, f.lead, m); err != nil {
			t.Fatal(err)
		}
		ix, err := f.svc.Index(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c.Name = "张三丰"
		if err := f.svc.UpdateContact(ctx, f.lead, c); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ChangePartyRole(ctx, f.lead, m.ID, m.Parties[0].ID, model.PartyThird); err != nil {
			t.Fatal(err)
		}
		m.Title = "甲案（改）"
		if err := f.svc.UpdateMatter(ctx, f.lead, m); err != nil {
			t.Fatal(err)
		}
		cli := New(f.db, nil, nil)
		if err := cli.CreateContact(ctx, nil, &model.Contact{Kind: model.ContactPerson, Name: "王五"}); err != nil {
			t.Fatal(err)
		}
		if got := names(f.svc, "张三"); len(got) != 0 {
			t.Errorf("old name still hits: %v", got)
		}
		want := map[string][]string{
			"张三丰": {"contact:张三丰:通讯录联系人:"},
			"李四":  {"matter:李四:第三人:甲案（改）"},
			"王五":  {"contact:王五:通讯录联系人:"},
		}
		fresh := New(f.db, nil, nil)
		for name, w := range want {
			if got := names(f.svc, name); strings.Join(got, "|") != strings.Join(w, "|") {
				t.Errorf("%s: %v, want %v", name, got, w)
			}
			if got := names(fresh, name); strings.Join(got, "|") != strings.Join(w, "|") {
				t.Errorf("%s on a fresh index: %v, want %v", name, got, w)
			}
		}
		again, err := f.svc.Index(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if again != ix {
			t.Error("the index was rebuilt instead of updated")
		}
		if again.Len() != 3 {
			t.Errorf("Len = %d, want 3", again.Len())
		}
	})
}
