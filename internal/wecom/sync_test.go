package wecom_test

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/wecom"
	"github.com/lvxin/lvxin/internal/wecom/wecomtest"
)

func addUser(t *testing.T, db *store.DB, name string, role model.Role, weComID string) *model.User {
	t.Helper()
	ctx := context.Background()
	u := &model.User{Username: name, DisplayName: name, Role: role, PasswordHash: "h"}
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if weComID == "" {
			return nil
		}
		return tx.SetUserWeComID(ctx, u.ID, weComID)
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func tagNames(fake *wecomtest.Server, ids []string) []string {
	byID := map[string]string{}
	for _, t := range fake.Tags() {
		byID[t.ID] = t.Name
	}
	var out []string
	for _, id := range ids {
		out = append(out, byID[id])
	}
	sort.Strings(out)
	return out
}

func TestTagSyncBothWays(t *testing.T) {
	clk := &clock{t: time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		addUser(t, db, "zhang", model.RoleLawyer, "zhangsan")
		// WeCom has a corp tag 潜在客户 on 甲, set by zhangsan; 乙 is untagged.
		potential := f.fake.AddTag("客户阶段", "潜在客户")
		vip := f.fake.AddTag("客户阶段", "VIP")
		f.fake.AddContact(wecomtest.Contact{ExternalUserID: "wmA", Name: "甲", FollowUsers: map[string][]string{"zhangsan": {potential.ID, vip.ID}}})
		f.fake.AddContact(wecomtest.Contact{ExternalUserID: "wmB", Name: "乙", FollowUsers: map[string][]string{"zhangsan": nil}})
		// lvxin knows 乙 already, as 同行律师 with a firm-only tag.
		b := &model.Contact{Kind: model.ContactPerson, Name: "乙律师", WeComExternalUserID: "wmB", Tags: []string{"同行律师"}}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateContact(ctx, b) }); err != nil {
			t.Fatal(err)
		}

		rep, err := f.svc.SyncAll(ctx, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if rep.ContactsCreated != 1 || rep.TagsLinked != 2 {
			t.Fatalf("report: %+v", rep)
		}
		// WeCom -> lvxin: 甲 came in with WeCom's tags.
		a, err := db.ContactByWeComID(ctx, "wmA")
		if err != nil || a.Name != "甲" || !reflect.DeepEqual(sortStrings(a.Tags), []string{"VIP", "潜在客户"}) {
			t.Fatalf("imported 甲: %+v %v", a, err)
		}
		// lvxin -> WeCom: 乙's 同行律师 became a corp tag in group 律信 and is marked.
		if got := tagNames(f.fake, f.fake.ContactTags("wmB", "zhangsan")); !reflect.DeepEqual(got, []string{"同行律师"}) {
			t.Fatalf("乙 in WeCom: %v", got)
		}
		found := false
		for _, tg := range f.fake.Tags() {
			if tg.Name == "同行律师" && tg.GroupName == "律信" {
				found = true
			}
		}
		if !found {
			t.Fatalf("同行律师 not created in group 律信: %+v", f.fake.Tags())
		}

		// A lawyer changes 甲 in lvxin: 潜在客户 -> 现有客户; push.
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetContactTags(ctx, a.ID, []string{"现有客户", "VIP"}) }); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.PushContact(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if got := tagNames(f.fake, f.fake.ContactTags("wmA", "zhangsan")); !reflect.DeepEqual(got, []string{"VIP", "现有客户"}) {
			t.Fatalf("甲 in WeCom after push: %v", got)
		}
		// Someone removes VIP in WeCom; the edit event pulls it into lvxin.
		var keep []string
		for _, id := range f.fake.ContactTags("wmA", "zhangsan") {
			if id != vip.ID {
				keep = append(keep, id)
			}
		}
		f.fake.AddContact(wecomtest.Contact{ExternalUserID: "wmA", Name: "甲", FollowUsers: map[string][]string{"zhangsan": keep}})
		if err := f.svc.PullContact(ctx, "wmA"); err != nil {
			t.Fatal(err)
		}
		a, _ = db.ContactByWeComID(ctx, "wmA")
		if !reflect.DeepEqual(sortStrings(a.Tags), []string{"现有客户"}) {
			t.Fatalf("甲 in lvxin after pull: %v", a.Tags)
		}
		// A tag only lvxin has, never linked, survives a pull.
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.SetContactTags(ctx, a.ID, []string{"现有客户", "内部备注"})
		}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.PullContact(ctx, "wmA"); err != nil {
			t.Fatal(err)
		}
		a, _ = db.ContactByWeComID(ctx, "wmA")
		if !reflect.DeepEqual(sortStrings(a.Tags), []string{"内部备注", "现有客户"}) {
			t.Fatalf("lvxin-only tag lost: %v", a.Tags)
		}
		// A lawyer may not run the sync.
		lawyer, _ := db.UserByWeComID(ctx, "zhangsan")
		if _, err := f.svc.SyncAll(ctx, lawyer, ""); err == nil {
			t.Fatal("a lawyer ran the sync")
		}
	})
}

func sortStrings(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func TestTransferMovesCustomersAndMatters(t *testing.T) {
	clk := &clock{t: time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		leaving := addUser(t, db, "leaving", model.RoleLawyer, "zhangsan")
		successor := addUser(t, db, "successor", model.RoleLawyer, "lisi")
		admin := addUser(t, db, "boss", model.RoleAdmin, "")
		f.fake.AddContact(wecomtest.Contact{ExternalUserID: "wmA", Name: "甲", FollowUsers: map[string][]string{"zhangsan": nil}})
		f.fake.AddContact(wecomtest.Contact{ExternalUserID: "wmB", Name: "乙", FollowUsers: map[string][]string{"zhangsan": nil}})
		var a, b *model.Contact
		var ma, mb *model.Matter
		err := db.Update(ctx, func(tx *store.Tx) error {
			a = &model.Contact{Kind: model.ContactPerson, Name: "甲", WeComExternalUserID: "wmA"}
			b = &model.Contact{Kind: model.ContactPerson, Name: "乙", WeComExternalUserID: "wmB"}
			for _, c := range []*model.Contact{a, b} {
				if err := tx.CreateContact(ctx, c); err != nil {
					return err
				}
			}
			ma = &model.Matter{Title: "甲案", Type: model.MatterCivil, Status: model.MatterInProgress, LeadLawyerID: leaving.ID,
				Parties: []model.Party{{ContactID: a.ID, Name: "甲", Kind: model.ContactPerson, Role: model.PartyClient}}}
			mb = &model.Matter{Title: "乙案", Type: model.MatterCivil, Status: model.MatterEngaged, LeadLawyerID: leaving.ID,
				Parties: []model.Party{{ContactID: b.ID, Name: "乙", Kind: model.ContactPerson, Role: model.PartyClient}}}
			if err := tx.CreateMatter(ctx, ma); err != nil {
				return err
			}
			return tx.CreateMatter(ctx, mb)
		})
		if err != nil {
			t.Fatal(err)
		}
		// A lawyer may not transfer; refused and audited.
		if _, err := f.svc.Transfer(ctx, leaving, wecomTransfer(leaving.ID, successor.ID, false, a.ID), ""); err == nil {
			t.Fatal("a lawyer transferred customers")
		}
		// 在职继承 of 甲 only.
		rep, err := f.svc.Transfer(ctx, admin, wecomTransfer(leaving.ID, successor.ID, false, a.ID), "10.0.0.1")
		if err != nil || !reflect.DeepEqual(rep.Customers, []string{"wmA"}) || !reflect.DeepEqual(rep.Matters, []int64{ma.ID}) {
			t.Fatalf("transfer of 甲: %+v %v", rep, err)
		}
		if got := f.fake.Followers("wmA"); !reflect.DeepEqual(got, []string{"lisi"}) {
			t.Fatalf("甲 follows %v in WeCom", got)
		}
		if m, _ := db.MatterByID(ctx, mb.ID); m.LeadLawyerID != leaving.ID {
			t.Fatal("乙案 moved with 甲")
		}
		// 离职继承 of everything left, once the member left in WeCom.
		f.fake.Resign("zhangsan", clk.now())
		rep, err = f.svc.Transfer(ctx, admin, wecomTransfer(leaving.ID, successor.ID, true), "")
		if err != nil || !reflect.DeepEqual(rep.Customers, []string{"wmB"}) || !reflect.DeepEqual(rep.Matters, []int64{mb.ID}) {
			t.Fatalf("resigned transfer: %+v %v", rep, err)
		}
		tr := f.fake.Transfers()
		if len(tr) != 2 || tr[0].Resigned || !tr[1].Resigned || tr[1].Handover != "zhangsan" || tr[1].Takeover != "lisi" {
			t.Fatalf("WeCom transfers: %+v", tr)
		}
		for _, id := range []int64{ma.ID, mb.ID} {
			if m, _ := db.MatterByID(ctx, id); m.LeadLawyerID != successor.ID {
				t.Fatalf("matter %d lead %d", id, m.LeadLawyerID)
			}
		}
		rows, _ := db.FindAudit(ctx, store.AuditFilter{Action: "wecom.transfer"})
		if len(rows) != 2 || !strings.Contains(rows[0].Detail, "离职继承") || !strings.Contains(rows[1].Detail, "在职继承") {
			t.Fatalf("audit: %+v", rows)
		}
		if denied, _ := db.FindAudit(ctx, store.AuditFilter{Action: "wecom.denied"}); len(denied) != 1 {
			t.Fatalf("refusal audited %d times", len(denied))
		}
	})
}

func wecomTransfer(from, to int64, resigned bool, contacts ...int64) wecom.TransferRequest {
	return wecom.TransferRequest{FromUserID: from, ToUserID: to, Resigned: resigned, ContactIDs: contacts}
}

func TestServiceSends(t *testing.T) {
	clk := &clock{t: time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		linked := addUser(t, db, "zhang", model.RoleLawyer, "zhangsan")
		unlinked := addUser(t, db, "li", model.RoleLawyer, "")
		if err := f.svc.SendAppTextToUsers(ctx, []int64{linked.ID, unlinked.ID}, "紧急：客户提到保全"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SendAppTextToUsers(ctx, []int64{unlinked.ID}, "x"); !errors.Is(err, wecom.ErrNoWeComAccount) {
			t.Fatalf("unlinked: %v", err)
		}
		if err := f.svc.SendKFText(ctx, "wkLvxinSimulator", "wmLvxinSimulator", "您好，已收到"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SendWelcome(ctx, "WC9", "欢迎，服务时间为工作日 9:00-18:00"); err != nil {
			t.Fatal(err)
		}
		sent := f.fake.Sent()
		if len(sent) != 3 || sent[0].API != "app" || sent[0].To != "zhangsan" || sent[0].AgentID != 1000002 ||
			sent[1].API != "kf" || sent[1].Text != "您好，已收到" || sent[2].API != "welcome" || sent[2].WelcomeCode != "WC9" {
			t.Fatalf("sent: %+v", sent)
		}
	})
}
