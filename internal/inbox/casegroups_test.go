package inbox_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func sampleMatter() *model.Matter {
	return &model.Matter{ID: 5, Title: "张三与李四买卖合同纠纷", Type: model.MatterCivil, CaseNumber: "(2024)京0105民初12345号",
		Parties: []model.Party{{Name: "张三", Role: model.PartyClient}, {Name: "李四", Role: model.PartyOpposing}}}
}

func TestGroupNameConvention(t *testing.T) {
	m := sampleMatter()
	if got, want := inbox.GroupName(m), "（2024）京0105民初12345号-张三与李四-买卖合同纠纷"; got != want {
		t.Fatalf("GroupName = %q, want %q", got, want)
	}
	unfiled := &model.Matter{Title: "股权转让咨询", Type: model.MatterNonLitigation, Parties: []model.Party{{Name: "某某科技有限公司", Role: model.PartyClient}}}
	if got, want := inbox.GroupName(unfiled), "未立案-某某科技有限公司-股权转让咨询"; got != want {
		t.Fatalf("GroupName(unfiled) = %q, want %q", got, want)
	}
	cases := []struct {
		name   string
		matter *model.Matter
		ok     bool
		says   string
	}{
		{"（2024）京0105民初12345号-张三与李四-买卖合同纠纷", m, true, ""},
		{"(2024)京0105民初12345号 张三 买卖合同纠纷", m, true, ""},
		{"（2024）京0105民初12345号-张三与李四-买卖合同纠纷", nil, true, ""},
		{"张三案件沟通群", m, false, "应以案号开头"},
		{"（2024）京0105民初99999号-张三-买卖合同纠纷", m, false, "不一致"},
		{"（2024）京0105民初12345号-李四-买卖合同纠纷", m, false, "委托人"},
		{"（2024）京0105民初12345号张三", m, false, "依次写当事人和事由"},
		{"（1999）京0105民初1号-张三-纠纷", nil, false, "无效"},
		{"未立案-张三-咨询", m, false, "已有案号"},
		{"未立案-某某科技有限公司-股权转让咨询", unfiled, true, ""},
		{"", nil, false, "为空"},
	}
	for _, c := range cases {
		got := inbox.CheckGroupName(c.name, c.matter)
		if got.OK != c.ok || !strings.Contains(strings.Join(got.Problems, "；"), c.says) {
			t.Errorf("CheckGroupName(%q) = %+v, want ok=%v mentioning %q", c.name, got, c.ok, c.says)
		}
		if !got.OK && c.matter != nil && got.Suggested != inbox.GroupName(c.matter) {
			t.Errorf("CheckGroupName(%q): suggested %q", c.name, got.Suggested)
		}
		if got.OK && got.Suggested != "" {
			t.Errorf("CheckGroupName(%q): a suggestion for a good name", c.name)
		}
	}
}

// TestCaseGroups: a synced group is linked to its matter by case number,
// its bad name gets a suggestion, strangers are listed for removal, the
// closed matter's group is overdue for dissolution after 15 working days,
// and a notice is confirmed by members on the public page.
func TestCaseGroups(t *testing.T) {
	c := &clock{}
	storetest.Each(t, c.now, func(t *testing.T, db *store.DB) {
		c.set(at(2026, 9, 1, 10, 0)) // each engine starts on the same day
		f := newFixture(t, db, c)
		ctx := context.Background()
		book := clientbook.New(db, f.sched, c.now)
		client := &model.Contact{Kind: model.ContactPerson, Name: "张三", WeComExternalUserID: "wmZhangSan"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateContact(ctx, client) }); err != nil {
			t.Fatal(err)
		}
		m := &model.Matter{Title: "买卖合同纠纷", Type: model.MatterCivil, CaseNumber: "(2024)京0105民初12345号",
			Status: model.MatterInProgress, LeadLawyerID: f.lawyer.ID, AssistantIDs: []int64{f.asst.ID},
			Parties: []model.Party{{Name: "张三", Kind: model.ContactPerson, Role: model.PartyClient, ContactID: client.ID},
				{Name: "李四", Kind: model.ContactPerson, Role: model.PartyOpposing}}}
		if _, err := book.CreateMatter(ctx, principal(f.lawyer), m); err != nil {
			t.Fatal(err)
		}
		err := f.svc.SyncGroups(ctx, []model.CaseGroup{{ChatID: "wrOgAAAA", Name: "（2024）京0105民初12345号 沟通群", OwnerUserID: "zhangsan",
			Members: []model.CaseGroupMember{
				{MemberID: "zhangsan", Type: model.MemberStaff, Name: "张律师"},
				{MemberID: "lisi", Type: model.MemberStaff, Name: "李律师"},
				{MemberID: "wmZhangSan", Type: model.MemberExternal, Name: "三哥"},
				{MemberID: "wmLiSi", Type: model.MemberExternal, Name: "李四"},
				{MemberID: "wmStranger", Type: model.MemberExternal, Name: "王五"},
			}}})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.svc.Groups(ctx, principal(f.lawyer))
		if err != nil || len(rows) != 1 {
			t.Fatalf("groups = %+v, %v", rows, err)
		}
		g := rows[0]
		if g.Group.MatterID != m.ID {
			t.Fatalf("group not linked to the matter by its case number: %+v", g.Group)
		}
		if g.Name.OK || g.Name.Suggested != "（2024）京0105民初12345号-张三与李四-买卖合同纠纷" {
			t.Fatalf("name check = %+v", g.Name)
		}
		if g.Flagged != 2 {
			t.Fatalf("flagged = %d, want 2 (李律师 not on the matter, 王五)", g.Flagged)
		}
		d, err := f.svc.Group(ctx, principal(f.asst), g.Group.ID) // the assistant is on the matter
		if err != nil {
			t.Fatal(err)
		}
		flagged := map[string]string{}
		for _, r := range d.Members {
			if !r.OK {
				flagged[r.Member.MemberID] = r.Why
			}
		}
		if len(flagged) != 2 || !strings.Contains(flagged["lisi"], "不是本案承办人员") || flagged["wmStranger"] == "" {
			t.Fatalf("review = %+v", d.Members)
		}
		if !strings.Contains(d.NoticeText, "（2024）京0105民初12345号") || !strings.Contains(d.NoticeText, "138-0013-8000") {
			t.Fatalf("notice template = %q", d.NoticeText)
		}
		// Keeping 王五 (a representative) survives the next sync.
		if err := f.svc.KeepMember(ctx, principal(f.lawyer), g.Group.ID, "wmStranger"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SyncGroup(ctx, model.CaseGroup{ChatID: "wrOgAAAA", Name: "（2024）京0105民初12345号-张三与李四-买卖合同纠纷",
			OwnerUserID: "zhangsan", Members: d.Group.Members}); err != nil {
			t.Fatal(err)
		}
		rows, _ = f.svc.Groups(ctx, principal(f.lawyer))
		if !rows[0].Name.OK || rows[0].Flagged != 1 {
			t.Fatalf("after renaming and keeping: %+v", rows[0])
		}
		// Another lawyer does not see the group (404, audited).
		if _, err := f.svc.Group(ctx, principal(f.other), g.Group.ID); !errors.Is(err, access.ErrHidden) {
			t.Fatalf("another lawyer opened the group: %v", err)
		}
		if rows, _ := f.svc.Groups(ctx, principal(f.other)); len(rows) != 0 {
			t.Fatalf("another lawyer lists %d groups", len(rows))
		}

		// Closing on Tue 2026-09-01: the 15th working day is Mon 2026-09-21,
		// because Sunday 9-20 is an adjusted working day (调休上班).
		if _, err := book.SetStatus(ctx, principal(f.lawyer), m.ID, model.MatterClosed, c.now()); err != nil {
			t.Fatal(err)
		}
		rows, _ = f.svc.Groups(ctx, principal(f.lawyer))
		if rows[0].Dissolve == nil || rows[0].Dissolve.Due != "2026-09-21" || rows[0].Dissolve.Overdue {
			t.Fatalf("dissolution = %+v", rows[0].Dissolve)
		}
		c.set(at(2026, 9, 22, 9, 0))
		over, err := f.svc.OverdueGroups(ctx, principal(f.lawyer))
		if err != nil || len(over) != 1 {
			t.Fatalf("overdue = %+v, %v", over, err)
		}
		if err := f.svc.GroupEvent(ctx, model.GroupEvent{ChatID: "wrOgAAAA", Change: "dismiss", At: c.now()}); err != nil {
			t.Fatal(err)
		}
		if over, _ := f.svc.OverdueGroups(ctx, principal(f.lawyer)); len(over) != 0 {
			t.Fatalf("a dissolved group is still overdue: %+v", over)
		}

		// An important notice: members confirm on the public page.
		n, err := f.svc.PostNotice(ctx, principal(f.lawyer), g.Group.ID, "开庭通知", "2026年10月12日9时开庭，请准时到庭。")
		if err != nil {
			t.Fatal(err)
		}
		if len(n.Token) != 22 {
			t.Fatalf("token %q", n.Token)
		}
		pub, err := f.svc.Notice(ctx, n.Token)
		if err != nil || pub.Title != "开庭通知" {
			t.Fatalf("public notice = %+v, %v", pub, err)
		}
		if _, err := f.svc.Notice(ctx, n.Token[:21]+"x"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a wrong token: %v", err)
		}
		for _, name := range []string{"张三", "王五", "张三"} {
			if err := f.svc.ConfirmNotice(ctx, n.Token, name, "192.0.2.7"); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.svc.ConfirmNotice(ctx, n.Token, "  ", "192.0.2.7"); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("an empty name: %v", err)
		}
		d, err = f.svc.Group(ctx, principal(f.lawyer), g.Group.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Notices) != 1 || len(d.Notices[0].Reads) != 2 || d.Notices[0].Reads[0].Name != "张三" {
			t.Fatalf("reads = %+v", d.Notices)
		}
		evs, _ := db.FindAudit(ctx, store.AuditFilter{Action: "group.notice.confirm"})
		if len(evs) != 2 || evs[0].IP != "192.0.2.7" {
			t.Fatalf("confirmations audited: %+v", evs)
		}
	})
}
