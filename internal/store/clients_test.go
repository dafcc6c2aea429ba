package store_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func addUsers(t *testing.T, db *store.DB, names ...string) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	for _, n := range names {
		u := &model.User{Username: n, DisplayName: n, Role: model.RoleLawyer, PasswordHash: "h"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	return ids
}

func TestContactsTagsStarReview(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		users := addUsers(t, db, "zhang")
		gen0, err := db.ConflictGeneration(ctx)
		if err != nil {
			t.Fatal(err)
		}
		a := &model.Contact{Kind: model.ContactOrg, Name: "北京某某科技有限公司", USCC: "91110105MA01ABCD2X", Phone: "010-12345678",
			Tags: []string{"自定义标签", "现有客户", "现有客户"}, Notes: "备注", Source: "手工录入"}
		b := &model.Contact{Kind: model.ContactPerson, Name: "王小明", WeChatID: "wxm_1", Phone: "13800138000", Starred: true}
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateContact(ctx, a); err != nil {
				return err
			}
			return tx.CreateContact(ctx, b)
		})
		if err != nil {
			t.Fatal(err)
		}
		gen1, _ := db.ConflictGeneration(ctx)
		if gen1 == gen0 || gen1 == "" {
			t.Fatalf("conflict generation did not change: %q -> %q", gen0, gen1)
		}
		got, err := db.ContactByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Builtin tags sort first; duplicates are dropped.
		if !reflect.DeepEqual(got.Tags, []string{"现有客户", "自定义标签"}) {
			t.Fatalf("tags = %v", got.Tags)
		}
		if got.Name != a.Name || got.USCC != a.USCC || got.Kind != model.ContactOrg || got.Starred || !got.CreatedAt.Equal(a.CreatedAt) {
			t.Fatalf("round trip: %+v", got)
		}
		tags, err := db.Tags(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tg := range tags {
			names = append(names, tg.Name)
		}
		if !reflect.DeepEqual(names, []string{"现有客户", "潜在客户", "同行律师", "自定义标签"}) || tags[0].Contacts != 1 || !tags[0].Builtin || tags[3].Builtin {
			t.Fatalf("tags: %+v", tags)
		}

		// Starred first; filters.
		list, err := db.FindContacts(ctx, store.ContactFilter{})
		if err != nil || len(list) != 2 || list[0].ID != b.ID {
			t.Fatalf("list: %v %v", list, err)
		}
		if list[1].Tags == nil {
			t.Fatal("tags not loaded in list")
		}
		for _, f := range []store.ContactFilter{{Query: "某某"}, {Tag: "自定义标签"}, {Query: "12345678"}} {
			l, err := db.FindContacts(ctx, f)
			if err != nil || len(l) != 1 || l[0].ID != a.ID {
				t.Fatalf("filter %+v: %v %v", f, l, err)
			}
		}
		if l, _ := db.FindContacts(ctx, store.ContactFilter{Query: "%"}); len(l) != 0 {
			t.Fatalf("LIKE wildcard not escaped: %v", l)
		}
		if l, _ := db.FindContacts(ctx, store.ContactFilter{Starred: true}); len(l) != 1 || l[0].ID != b.ID {
			t.Fatalf("starred: %v", l)
		}

		// Update replaces tags; star; review.
		a.Tags = []string{"潜在客户"}
		a.Name = "北京某某科技股份有限公司"
		now := fixedClock()()
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.UpdateContact(ctx, a); err != nil {
				return err
			}
			if err := tx.SetContactStar(ctx, a.ID, true); err != nil {
				return err
			}
			return tx.MarkContactReviewed(ctx, a.ID, users[0], now.Add(-100*24*time.Hour))
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ = db.ContactByID(ctx, a.ID)
		if got.Name != a.Name || !reflect.DeepEqual(got.Tags, []string{"潜在客户"}) || !got.Starred || got.ReviewedBy != users[0] {
			t.Fatalf("after update: %+v", got)
		}
		// Review queue: never reviewed (b) first, then a (100 days ago).
		queue, err := db.FindContacts(ctx, store.ContactFilter{ReviewDue: now.Add(-90 * 24 * time.Hour)})
		if err != nil || len(queue) != 2 || queue[0].ID != b.ID || queue[1].ID != a.ID {
			t.Fatalf("queue: %v %v", queue, err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.MarkContactReviewed(ctx, a.ID, users[0], now) }); err != nil {
			t.Fatal(err)
		}
		queue, _ = db.FindContacts(ctx, store.ContactFilter{ReviewDue: now.Add(-90 * 24 * time.Hour)})
		if len(queue) != 1 || queue[0].ID != b.ID {
			t.Fatalf("queue after review: %v", queue)
		}
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.SetContactStar(ctx, 999, true) })
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("star unknown: %v", err)
		}
	})
}

func TestMattersPartiesChecksConsultations(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := addUsers(t, db, "lead", "assist", "shared", "other")
		c := &model.Contact{Kind: model.ContactOrg, Name: "甲公司"}
		m := &model.Matter{Title: "甲诉乙", Type: model.MatterCivil, CaseNumber: "(2024)京0105民初12345号", Court: "朝阳法院",
			Status: model.MatterEngaged, EngagedOn: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), LeadLawyerID: u[0],
			AssistantIDs: []int64{u[1]}, SharedWithIDs: []int64{u[2], u[2]}}
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateContact(ctx, c); err != nil {
				return err
			}
			m.Parties = []model.Party{
				{ContactID: c.ID, Name: "甲公司", Kind: model.ContactOrg, Role: model.PartyClient},
				{Name: "乙", Kind: model.ContactPerson, Role: model.PartyOpposing, IDNumber: "110105199001011234", Phone: "13900000000"},
			}
			return tx.CreateMatter(ctx, m)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.MatterByID(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != m.Title || got.CaseNumber != m.CaseNumber || !got.EngagedOn.Equal(m.EngagedOn) || !got.ClosedOn.IsZero() ||
			!reflect.DeepEqual(got.AssistantIDs, []int64{u[1]}) || !reflect.DeepEqual(got.SharedWithIDs, []int64{u[2]}) ||
			len(got.Parties) != 2 || got.Parties[0].ContactID != c.ID || got.Parties[1].IDNumber != "110105199001011234" {
			t.Fatalf("matter round trip: %+v", got)
		}
		for _, tc := range []struct {
			user int64
			want int
		}{{u[0], 1}, {u[1], 1}, {u[2], 1}, {u[3], 0}} {
			l, err := db.FindMatters(ctx, store.MatterFilter{StaffUserID: tc.user})
			if err != nil || len(l) != tc.want {
				t.Fatalf("staff %d: %d matters, %v", tc.user, len(l), err)
			}
		}
		if l, _ := db.FindMatters(ctx, store.MatterFilter{ContactID: c.ID}); len(l) != 1 || len(l[0].Parties) != 2 {
			t.Fatalf("by contact: %v", l)
		}
		// Close; change a party's role; delete one.
		got.Status, got.ClosedOn = model.MatterClosed, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		got.AssistantIDs = nil
		p := got.Parties[1]
		p.Role = model.PartyThird
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.UpdateMatter(ctx, got); err != nil {
				return err
			}
			return tx.UpdateParty(ctx, &p)
		})
		if err != nil {
			t.Fatal(err)
		}
		again, _ := db.MatterByID(ctx, m.ID)
		if again.Status != model.MatterClosed || !again.ClosedOn.Equal(got.ClosedOn) || len(again.AssistantIDs) != 0 || again.Parties[1].Role != model.PartyThird {
			t.Fatalf("after update: %+v", again)
		}
		all, err := db.AllMatterParties(ctx)
		if err != nil || len(all) != 2 || all[0].MatterTitle != "甲诉乙" {
			t.Fatalf("all parties: %v %v", all, err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteParty(ctx, m.ID+1, p.ID) }); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("delete party of another matter: %v", err)
		}

		// Conflict check record and decision.
		chk := &store.ConflictCheck{MatterID: m.ID, Query: "乙", Hits: "[]", CheckedBy: u[0]}
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateConflictCheck(ctx, chk); err != nil {
				return err
			}
			return tx.DecideConflictCheck(ctx, chk.ID, model.ConflictWaived, "双方书面同意", u[0])
		})
		if err != nil {
			t.Fatal(err)
		}
		checks, err := db.ConflictChecksOf(ctx, m.ID)
		if err != nil || len(checks) != 1 || checks[0].Decision != model.ConflictWaived || checks[0].Reason != "双方书面同意" ||
			checks[0].DecidedAt.IsZero() || checks[0].DecidedBy != u[0] {
			t.Fatalf("checks: %+v %v", checks, err)
		}

		// Consultations.
		start := fixedClock()().Add(-time.Hour)
		con := &model.Consultation{ContactID: c.ID, LawyerID: u[0], Channel: "微信", Topic: "合同纠纷", Source: "老客户介绍", Free: true, StartedAt: start}
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateConsultation(ctx, con); err != nil {
				return err
			}
			if err := tx.EndConsultation(ctx, con.ID, start.Add(20*time.Minute)); err != nil {
				return err
			}
			return tx.LinkConsultation(ctx, con.ID, m.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.EndConsultation(ctx, con.ID, start) }); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("ending twice: %v", err)
		}
		gc, err := db.ConsultationByID(ctx, con.ID)
		if err != nil || !gc.Free || gc.MatterID != m.ID || gc.EndedAt.Sub(gc.StartedAt) != 20*time.Minute || gc.Topic != "合同纠纷" {
			t.Fatalf("consultation: %+v %v", gc, err)
		}
		if l, _ := db.FindConsultations(ctx, store.ConsultationFilter{From: start.Add(time.Minute)}); len(l) != 0 {
			t.Fatalf("from filter: %v", l)
		}
		if l, _ := db.FindConsultations(ctx, store.ConsultationFilter{LawyerID: u[0], From: start, To: start.Add(time.Minute)}); len(l) != 1 {
			t.Fatalf("range filter: %v", l)
		}
	})
}

// TestConflictChangeLog: every write to contacts, matters and parties is
// logged once per contact or matter; the narrow candidate rows carry what
// the check needs; a reader asking for more than its limit is told to
// rebuild.
func TestConflictChangeLog(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		lead := addUsers(t, db, "zhang")[0]
		seq0, err := db.ConflictSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := &model.Contact{Kind: model.ContactPerson, Name: "张三", Phone: "13800138000", Tags: []string{"现有客户"}}
		m := &model.Matter{Title: "甲案", Type: model.MatterCivil, Status: model.MatterConsulting, LeadLawyerID: lead,
			Parties: []model.Party{{Name: "李四", Kind: model.ContactPerson, Role: model.PartyClient}, {Name: "某某公司", Kind: model.ContactOrg, Role: model.PartyOpposing}}}
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateContact(ctx, c); err != nil {
				return err
			}
			return tx.CreateMatter(ctx, m)
		})
		if err != nil {
			t.Fatal(err)
		}
		ch, err := db.ConflictChangesSince(ctx, seq0, 10)
		if err != nil {
			t.Fatal(err)
		}
		seq1, _ := db.ConflictSeq(ctx)
		if !ch.Complete || !reflect.DeepEqual(ch.ContactIDs, []int64{c.ID}) || !reflect.DeepEqual(ch.MatterIDs, []int64{m.ID}) || ch.Last != seq1 || seq1 != seq0+2 {
			t.Fatalf("changes since %d: %+v (seq now %d)", seq0, ch, seq1)
		}
		if gen, _ := db.ConflictGeneration(ctx); gen != strconv.FormatInt(seq1, 10) {
			t.Fatalf("generation %q, seq %d", gen, seq1)
		}
		if ch, _ := db.ConflictChangesSince(ctx, seq0, 1); ch.Complete {
			t.Fatalf("over the limit and still complete: %+v", ch)
		}
		rows, err := db.ConflictRows(ctx, false, []int64{c.ID}, []int64{m.ID})
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.ConflictRows(ctx, true, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.ConflictRow{
			{ContactID: c.ID, Name: "张三", Kind: model.ContactPerson, Phone: "13800138000"},
			{MatterID: m.ID, MatterTitle: "甲案", Role: model.PartyClient, Name: "李四", Kind: model.ContactPerson},
			{MatterID: m.ID, MatterTitle: "甲案", Role: model.PartyOpposing, Name: "某某公司", Kind: model.ContactOrg},
		}
		if !reflect.DeepEqual(rows, want) || !reflect.DeepEqual(all, want) {
			t.Fatalf("rows:\n%+v\nall:\n%+v", rows, all)
		}
		// Starring and reviewing do not change what the check sees.
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetContactStar(ctx, c.ID, true) }); err != nil {
			t.Fatal(err)
		}
		if seq, _ := db.ConflictSeq(ctx); seq != seq1 {
			t.Fatalf("a star was logged as a conflict change: %d -> %d", seq1, seq)
		}
	})
}
