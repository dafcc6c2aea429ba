package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// movableClock is a clock a test moves forward.
type movableClock struct{ t time.Time }

func (c *movableClock) now() time.Time          { return c.t }
func (c *movableClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestWeComQueueDedupNonceLease(t *testing.T) {
	clock := &movableClock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
	storetest.Each(t, clock.now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		exp := clock.t.Add(10 * time.Minute)
		ev := &store.WeComEvent{DedupKey: "msgid:1", Kind: "text", Payload: "<xml>1</xml>"}
		if dup, err := db.EnqueueWeComEvent(ctx, "n1", exp, ev); err != nil || dup {
			t.Fatalf("first enqueue: dup=%v err=%v", dup, err)
		}
		// The same nonce again is a replay: refused, nothing written.
		if _, err := db.EnqueueWeComEvent(ctx, "n1", exp, &store.WeComEvent{DedupKey: "msgid:2", Kind: "text", Payload: "x"}); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("replayed nonce: %v", err)
		}
		// WeCom's retry: a new nonce, the same MsgId: a duplicate, not queued twice.
		if dup, err := db.EnqueueWeComEvent(ctx, "n2", exp, &store.WeComEvent{DedupKey: "msgid:1", Kind: "text", Payload: "<xml>1</xml>"}); err != nil || !dup {
			t.Fatalf("retry: dup=%v err=%v", dup, err)
		}
		if dup, err := db.EnqueueWeComEvent(ctx, "n3", exp, &store.WeComEvent{DedupKey: "msgid:3", Kind: "event:change_external_contact", Payload: "<xml>3</xml>"}); err != nil || dup {
			t.Fatalf("second event: dup=%v err=%v", dup, err)
		}
		all, err := db.FindWeComEvents(ctx, store.WeComEventFilter{})
		if err != nil || len(all) != 2 {
			t.Fatalf("queued: %d, %v", len(all), err)
		}

		// Claim one: it is leased; a second claimer gets only the other.
		got, err := db.ClaimWeComEvents(ctx, 1, time.Minute)
		if err != nil || len(got) != 1 || got[0].DedupKey != "msgid:1" || got[0].Attempts != 1 || got[0].Payload != "<xml>1</xml>" {
			t.Fatalf("claim: %+v %v", got, err)
		}
		other, err := db.ClaimWeComEvents(ctx, 10, time.Minute)
		if err != nil || len(other) != 1 || other[0].DedupKey != "msgid:3" {
			t.Fatalf("second claim: %+v %v", other, err)
		}
		if none, err := db.ClaimWeComEvents(ctx, 10, time.Minute); err != nil || len(none) != 0 {
			t.Fatalf("everything is leased: %+v %v", none, err)
		}
		if err := db.CompleteWeComEvent(ctx, other[0].ID); err != nil {
			t.Fatal(err)
		}
		// The worker holding msgid:1 "dies": after the lease it comes back.
		clock.advance(61 * time.Second)
		again, err := db.ClaimWeComEvents(ctx, 10, time.Minute)
		if err != nil || len(again) != 1 || again[0].ID != got[0].ID || again[0].Attempts != 2 {
			t.Fatalf("re-delivery after the lease: %+v %v", again, err)
		}
		// A failure schedules a retry; giving up closes it with its error.
		if err := db.RetryWeComEvent(ctx, again[0].ID, "网络错误", clock.t.Add(time.Hour), false); err != nil {
			t.Fatal(err)
		}
		if l, _ := db.ClaimWeComEvents(ctx, 10, time.Minute); len(l) != 0 {
			t.Fatalf("claimed before its retry time: %+v", l)
		}
		clock.advance(time.Hour)
		l, _ := db.ClaimWeComEvents(ctx, 10, time.Minute)
		if len(l) != 1 || l[0].LastError != "网络错误" {
			t.Fatalf("retry: %+v", l)
		}
		if err := db.RetryWeComEvent(ctx, l[0].ID, "放弃", time.Time{}, true); err != nil {
			t.Fatal(err)
		}
		if p, _ := db.FindWeComEvents(ctx, store.WeComEventFilter{Pending: true}); len(p) != 0 {
			t.Fatalf("pending after give-up: %+v", p)
		}
		// Nonces expire; the dedup key of a purged event is forgotten.
		clock.advance(time.Hour)
		if err := db.RememberWeComNonce(ctx, "n1", clock.t.Add(10*time.Minute)); err != nil {
			t.Fatalf("expired nonce not forgotten: %v", err)
		}
		if err := db.RememberWeComNonce(ctx, "n1", clock.t.Add(10*time.Minute)); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("nonce remembered: %v", err)
		}
		if n, err := db.PurgeWeComEvents(ctx, clock.t); err != nil || n != 2 {
			t.Fatalf("purge: %d %v", n, err)
		}
	})
}

func TestWeComLinksAndTransfer(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := addUsers(t, db, "leaving", "successor", "other")
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetUserWeComID(ctx, u[0], "zhangsan") }); err != nil {
			t.Fatal(err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetUserWeComID(ctx, u[1], "zhangsan") }); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second user with the same WeCom id: %v", err)
		}
		if got, err := db.UserByWeComID(ctx, "zhangsan"); err != nil || got.ID != u[0] {
			t.Fatalf("user by WeCom id: %+v %v", got, err)
		}
		a := &model.Contact{Kind: model.ContactPerson, Name: "甲", WeComExternalUserID: "wmA", Tags: []string{"现有客户"}}
		b := &model.Contact{Kind: model.ContactPerson, Name: "乙", WeComExternalUserID: "wmB"}
		var m1, m2, m3 *model.Matter
		err := db.Update(ctx, func(tx *store.Tx) error {
			for _, c := range []*model.Contact{a, b} {
				if err := tx.CreateContact(ctx, c); err != nil {
					return err
				}
			}
			mk := func(title string, c *model.Contact, status model.MatterStatus) (*model.Matter, error) {
				m := &model.Matter{Title: title, Type: model.MatterCivil, Status: status, LeadLawyerID: u[0],
					Parties: []model.Party{{ContactID: c.ID, Name: c.Name, Kind: c.Kind, Role: model.PartyClient}}}
				return m, tx.CreateMatter(ctx, m)
			}
			var err error
			if m1, err = mk("甲案", a, model.MatterInProgress); err != nil {
				return err
			}
			if m2, err = mk("乙案", b, model.MatterEngaged); err != nil {
				return err
			}
			m3, err = mk("甲旧案", a, model.MatterClosed)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.ContactByWeComID(ctx, "wmA")
		if err != nil || c.ID != a.ID || !reflect.DeepEqual(c.Tags, []string{"现有客户"}) {
			t.Fatalf("contact by external id: %+v %v", c, err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetContactTags(ctx, a.ID, []string{"潜在客户", "VIP"}) }); err != nil {
			t.Fatal(err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetWeComTagID(ctx, "VIP", "etVIP") }); err != nil {
			t.Fatal(err)
		}
		ids, err := db.WeComTagIDs(ctx)
		if err != nil || ids["VIP"] != "etVIP" || len(ids) != 1 {
			t.Fatalf("tag ids: %v %v", ids, err)
		}
		linked, err := db.WeComContacts(ctx)
		if err != nil || len(linked) != 2 || !reflect.DeepEqual(linked[0].Tags, []string{"潜在客户", "VIP"}) {
			t.Fatalf("linked contacts: %+v %v", linked, err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetWeComCursor(ctx, "wkA", "c1") }); err != nil {
			t.Fatal(err)
		}
		if cur, err := db.WeComCursor(ctx, "wkA"); err != nil || cur != "c1" {
			t.Fatalf("cursor: %q %v", cur, err)
		}
		if cur, err := db.WeComCursor(ctx, "wkB"); err != nil || cur != "" {
			t.Fatalf("unknown cursor: %q %v", cur, err)
		}

		// 在职继承 of client 甲 only: 甲案 moves, 乙案 and the closed 甲旧案 stay.
		var moved []int64
		err = db.Update(ctx, func(tx *store.Tx) error {
			var err error
			moved, err = tx.TransferMatters(ctx, u[0], u[1], []int64{a.ID})
			return err
		})
		if err != nil || !reflect.DeepEqual(moved, []int64{m1.ID}) {
			t.Fatalf("transfer of 甲: %v %v", moved, err)
		}
		// 离职继承: every open matter left.
		err = db.Update(ctx, func(tx *store.Tx) error {
			var err error
			moved, err = tx.TransferMatters(ctx, u[0], u[1], nil)
			return err
		})
		if err != nil || !reflect.DeepEqual(moved, []int64{m2.ID}) {
			t.Fatalf("transfer of all: %v %v", moved, err)
		}
		for id, want := range map[int64]int64{m1.ID: u[1], m2.ID: u[1], m3.ID: u[0]} {
			m, err := db.MatterByID(ctx, id)
			if err != nil || m.LeadLawyerID != want {
				t.Fatalf("matter %d lead %d, want %d (%v)", id, m.LeadLawyerID, want, err)
			}
		}
	})
}

// One group commit holding repeats of its own: the first callback with a
// nonce or a MsgId wins, later ones in the same batch are a replay or a
// duplicate, exactly as one statement at a time would have decided.
func TestWeComEnqueueBatchRepeats(t *testing.T) {
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	storetest.Each(t, func() time.Time { return now }, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		exp := now.Add(10 * time.Minute)
		ev := func(key string) *store.WeComEvent {
			return &store.WeComEvent{DedupKey: key, Kind: "text", Payload: "<xml>" + key + "</xml>"}
		}
		if _, err := db.EnqueueWeComEvent(ctx, "old", exp, ev("msgid:old")); err != nil {
			t.Fatal(err)
		}
		items := []*store.WeComEnqueue{
			{Nonce: "a", NonceExpires: exp, Event: ev("msgid:1")},
			{Nonce: "a", NonceExpires: exp, Event: ev("msgid:2")},   // replayed nonce inside the batch
			{Nonce: "old", NonceExpires: exp, Event: ev("msgid:3")}, // replayed nonce from before
			{Nonce: "b", NonceExpires: exp, Event: ev("msgid:1")},   // retry inside the batch
			{Nonce: "c", NonceExpires: exp, Event: ev("msgid:old")}, // retry of an event queued before
			{Nonce: "", Event: ev("msgid:4")},                       // no nonce
			{Nonce: "d", NonceExpires: exp, Event: ev("msgid:5")},
		}
		if err := db.EnqueueWeComEvents(ctx, items); err != nil {
			t.Fatal(err)
		}
		type verdict struct{ replay, dup bool }
		want := []verdict{{false, false}, {true, false}, {true, false}, {false, true}, {false, true}, {false, false}, {false, false}}
		for i, it := range items {
			if got := (verdict{it.Replay, it.Duplicate}); got != want[i] {
				t.Errorf("item %d (%s, %s): replay=%v duplicate=%v, want %+v", i, it.Nonce, it.Event.DedupKey, it.Replay, it.Duplicate, want[i])
			}
		}
		all, err := db.FindWeComEvents(ctx, store.WeComEventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, e := range all {
			keys = append(keys, e.DedupKey+"="+e.Payload)
		}
		sort.Strings(keys)
		wantKeys := []string{"msgid:1=<xml>msgid:1</xml>", "msgid:4=<xml>msgid:4</xml>", "msgid:5=<xml>msgid:5</xml>", "msgid:old=<xml>msgid:old</xml>"}
		if !reflect.DeepEqual(keys, wantKeys) {
			t.Fatalf("queued %v, want %v", keys, wantKeys)
		}
		// The nonces of the batch are remembered: b, c and d again are replays.
		for _, n := range []string{"a", "b", "c", "d"} {
			if err := db.RememberWeComNonce(ctx, n, exp); !errors.Is(err, store.ErrConflict) {
				t.Errorf("nonce %s not remembered: %v", n, err)
			}
		}
	})
}

func TestWeComCompleteBatch(t *testing.T) {
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	storetest.Each(t, func() time.Time { return now }, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var items []*store.WeComEnqueue
		for i := range 300 {
			items = append(items, &store.WeComEnqueue{Event: &store.WeComEvent{DedupKey: fmt.Sprintf("msgid:%d", i), Kind: "text", Payload: "x"}})
		}
		if err := db.EnqueueWeComEvents(ctx, items); err != nil {
			t.Fatal(err)
		}
		claimed, err := db.ClaimWeComEvents(ctx, 290, time.Minute)
		if err != nil || len(claimed) != 290 {
			t.Fatalf("claimed %d, %v", len(claimed), err)
		}
		var ids []int64
		for _, e := range claimed {
			ids = append(ids, e.ID)
		}
		if err := db.CompleteWeComEvents(ctx, ids); err != nil {
			t.Fatal(err)
		}
		all, err := db.FindWeComEvents(ctx, store.WeComEventFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, e := range all {
			if !e.DoneAt.IsZero() {
				done++
				if !e.LeaseUntil.IsZero() {
					t.Fatalf("event %d done but still leased", e.ID)
				}
			}
		}
		if done != 290 || len(all) != 300 {
			t.Fatalf("%d of %d done, want 290 of 300", done, len(all))
		}
		// The other 10 are still there to claim.
		if rest, err := db.ClaimWeComEvents(ctx, 100, time.Minute); err != nil || len(rest) != 10 {
			t.Fatalf("rest: %d %v", len(rest), err)
		}
	})
}
