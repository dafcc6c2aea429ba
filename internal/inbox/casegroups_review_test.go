package inbox_test

import (
	"context"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestGroupListCountsMatchReview: the list counts members and flags them
// from the store's review candidates (not every member of every group);
// its count must equal the full review on each group's page, for every
// kind of member: kept, staff on or off the matter or unknown, an external
// member matched by contact, by name, by a contact whose external_userid a
// lower contact id also carries, and a stranger; linked and unlinked groups.
func TestGroupListCountsMatchReview(t *testing.T) {
	c := &clock{}
	storetest.Each(t, c.now, func(t *testing.T, db *store.DB) {
		c.set(at(2026, 9, 1, 10, 0))
		f := newFixture(t, db, c)
		ctx := context.Background()
		contact := func(name, ext string) *model.Contact {
			ct := &model.Contact{Kind: model.ContactPerson, Name: name, WeComExternalUserID: ext}
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateContact(ctx, ct) }); err != nil {
				t.Fatal(err)
			}
			return ct
		}
		zhang3 := contact("张三", "wmA")
		contact("王某", "wmDup") // the lower id: ContactByExternalUserID picks this one
		li4 := contact("李四", "wmDup")
		matter := func(lead int64, title string, parties ...model.Party) *model.Matter {
			m := &model.Matter{Title: title, Type: model.MatterCivil, Status: model.MatterInProgress, LeadLawyerID: lead,
				AssistantIDs: []int64{f.asst.ID}, Parties: parties}
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, m) }); err != nil {
				t.Fatal(err)
			}
			return m
		}
		m1 := matter(f.lawyer.ID, "买卖合同纠纷",
			model.Party{ContactID: zhang3.ID, Name: "张三", Kind: model.ContactPerson, Role: model.PartyClient},
			model.Party{ContactID: li4.ID, Name: "李四", Kind: model.ContactPerson, Role: model.PartyOpposing})
		m2 := matter(f.other.ID, "借款纠纷", model.Party{ContactID: zhang3.ID, Name: "张三", Kind: model.ContactPerson, Role: model.PartyClient})

		staff := func(id string) model.CaseGroupMember {
			return model.CaseGroupMember{MemberID: id, Type: model.MemberStaff, Name: id}
		}
		ext := func(id, name string) model.CaseGroupMember {
			return model.CaseGroupMember{MemberID: id, Type: model.MemberExternal, Name: name}
		}
		groups := []model.CaseGroup{
			{ChatID: "wrLinked", Name: "买卖", OwnerUserID: "zhangsan", MatterID: m1.ID, Members: []model.CaseGroupMember{
				staff("zhangsan"),        // lead: ok
				staff("lisi"),            // not on the matter: flagged
				staff("ghost"),           // unknown: flagged
				ext("wmA", "三哥"),         // party by contact: ok
				ext("wmDup", "阿四"),       // the lower contact is no party, nor the name: flagged
				ext("wmName", " 李四 "),    // party by name: ok
				ext("wmStranger", "王五"),  // flagged
				ext("wmKept", "代理人"),     // kept below: ok
				ext("wmDupByName", "李四"), // no contact, party by name: ok
			}},
			{ChatID: "wrUnlinked", Name: "咨询", OwnerUserID: "zhangsan", Members: []model.CaseGroupMember{
				staff("zhangsan"), // owner: ok
				staff("lisi"),     // flagged
				ext("wmA", "张三"),  // no matter to check against: flagged
			}},
			{ChatID: "wrOther", Name: "借款", OwnerUserID: "lisi", MatterID: m2.ID, Members: []model.CaseGroupMember{
				staff("lisi"), ext("wmA", "张三"), ext("wmX", "路人"),
			}},
			{ChatID: "wrEmpty", Name: "空群", OwnerUserID: "zhangsan"},
		}
		if err := f.svc.SyncGroups(ctx, groups); err != nil {
			t.Fatal(err)
		}
		linked, err := db.CaseGroupByChatID(ctx, "wrLinked")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.KeepMember(ctx, principal(f.lawyer), linked.ID, "wmKept"); err != nil {
			t.Fatal(err)
		}

		want := map[string][2]int{"wrLinked": {9, 4}, "wrUnlinked": {3, 2}, "wrOther": {3, 1}, "wrEmpty": {0, 0}}
		for _, who := range []struct {
			name string
			user *model.User
			sees int
		}{{"admin", f.admin, 4}, {"lawyer", f.lawyer, 3}, {"other", f.other, 1}} {
			p := principal(who.user)
			rows, err := f.svc.Groups(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != who.sees {
				t.Fatalf("%s sees %d groups, want %d", who.name, len(rows), who.sees)
			}
			for _, row := range rows {
				if w := want[row.Group.ChatID]; row.MemberCount != w[0] || row.Flagged != w[1] {
					t.Errorf("%s: %s lists %d members, %d flagged; want %v", who.name, row.Group.ChatID, row.MemberCount, row.Flagged, w)
				}
				if len(row.Group.Members) != 0 {
					t.Errorf("%s: the list carries %d members of %s", who.name, len(row.Group.Members), row.Group.ChatID)
				}
				d, err := f.svc.Group(ctx, p, row.Group.ID)
				if err != nil {
					t.Fatal(err)
				}
				flagged := 0
				for _, r := range d.Members {
					if !r.OK {
						flagged++
					}
				}
				if flagged != row.Flagged || d.Flagged != row.Flagged || d.MemberCount != row.MemberCount || len(d.GroupRow.Group.Members) != row.MemberCount {
					t.Errorf("%s: %s page review flags %d (%d) of %d, list %d of %d", who.name, row.Group.ChatID, flagged, d.Flagged,
						len(d.GroupRow.Group.Members), row.Flagged, row.MemberCount)
				}
			}
		}
	})
}
