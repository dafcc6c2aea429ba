package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestEvidenceItems(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sha := strings.Repeat("ab", 32)
		items := []*model.EvidenceItem{
			{Title: "借条", MatterRef: "（2026）京0105民初1号", SourceProvider: "委托人王某", SourceDevice: "iPhone 15",
				Purpose: "证明借贷关系", FileName: "借条.jpg", SHA256: sha, SM3: strings.Repeat("cd", 32), Size: 10,
				Warnings: []string{"图片没有相机信息"}, AddedBy: "命令行"},
			{Title: "转账记录", FileName: "a.png", SHA256: strings.Repeat("01", 32), SM3: strings.Repeat("02", 32), Size: 3, AddedBy: "命令行"},
		}
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.AppendLedgerEntries(ctx, ledgerRows(0, 2)); err != nil {
				return err
			}
			for i, it := range items {
				it.LogIndex = int64(i)
				if err := tx.CreateEvidenceItem(ctx, it); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// An item must point at a stored log entry.
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.CreateEvidenceItem(ctx, &model.EvidenceItem{LogIndex: 7, Title: "x", FileName: "x", SHA256: sha, SM3: sha, AddedBy: "x"})
		})
		if err == nil {
			t.Fatal("item without a log entry was accepted")
		}
		got, err := db.EvidenceItem(ctx, items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "借条" || got.SourceDevice != "iPhone 15" || len(got.Warnings) != 1 || !got.AddedAt.Equal(db.Now()) || got.AddedByID != 0 {
			t.Fatalf("round trip: %+v", got)
		}
		if _, err := db.EvidenceItem(ctx, 999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing item: %v", err)
		}
		dups, err := db.FindEvidence(ctx, store.EvidenceFilter{SHA256: sha})
		if err != nil || len(dups) != 1 || dups[0].ID != items[0].ID {
			t.Fatalf("by digest: %v, %v", dups, err)
		}
		byMatter, _ := db.FindEvidence(ctx, store.EvidenceFilter{MatterRef: "（2026）京0105民初1号"})
		byIDs, _ := db.FindEvidence(ctx, store.EvidenceFilter{IDs: []int64{items[1].ID, items[0].ID}})
		if len(byMatter) != 1 || len(byIDs) != 2 || byIDs[0].LogIndex != 0 {
			t.Fatalf("filters: %d by matter, %d by ids", len(byMatter), len(byIDs))
		}
		matters, err := db.EvidenceMatters(ctx)
		if err != nil || len(matters) != 1 {
			t.Fatalf("matters: %v, %v", matters, err)
		}
		sub := &model.EvidenceSubmission{ItemID: items[0].ID, Platform: "某互联网法院电子证据平台", SubmittedOn: "2026-03-02", Reference: "CZ-1", RecordedBy: "zhang"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AddEvidenceSubmission(ctx, sub) }); err != nil {
			t.Fatal(err)
		}
		got, _ = db.EvidenceItem(ctx, items[0].ID)
		if len(got.Submissions) != 1 || got.Submissions[0].Reference != "CZ-1" {
			t.Fatalf("submissions: %+v", got.Submissions)
		}
		// A matter assigned later: the item's current matter changes and the
		// change is recorded; a stale "from" is a conflict.
		change := &store.EvidenceMatterChange{ItemID: items[1].ID, From: "", To: "（2026）京0105民初2号", ChangedBy: "zhang"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetEvidenceMatter(ctx, change) }); err != nil || change.ID == 0 {
			t.Fatalf("assign: %v", err)
		}
		stale := &store.EvidenceMatterChange{ItemID: items[1].ID, From: "", To: "x", ChangedBy: "li"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetEvidenceMatter(ctx, stale) }); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("stale assign: %v", err)
		}
		missing := &store.EvidenceMatterChange{ItemID: 999, To: "x", ChangedBy: "li"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetEvidenceMatter(ctx, missing) }); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("assign to a missing item: %v", err)
		}
		byMatter, _ = db.FindEvidence(ctx, store.EvidenceFilter{MatterRef: "（2026）京0105民初2号"})
		if len(byMatter) != 1 || byMatter[0].ID != items[1].ID {
			t.Fatalf("by assigned matter: %v", byMatter)
		}
		changes, err := db.EvidenceMatterChanges(ctx, items[1].ID)
		if err != nil || len(changes) != 1 || changes[0].To != "（2026）京0105民初2号" || changes[0].From != "" ||
			changes[0].ChangedBy != "zhang" || !changes[0].ChangedAt.Equal(db.Now()) {
			t.Fatalf("changes: %+v, %v", changes, err)
		}
		if matters, _ := db.EvidenceMatters(ctx); len(matters) != 2 {
			t.Fatalf("matters after assign: %v", matters)
		}
	})
}

// TestEvidenceMatterLink: an item linked to a matter keeps the link through
// a round trip, is found by it, and changes of the link are recorded and
// checked against concurrent changes.
func TestEvidenceMatterLink(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		lead := addUsers(t, db, "zhang")[0]
		m1 := &model.Matter{Title: "王某诉李某", Type: model.MatterCivil, CaseNumber: "(2026)京0105民初1号", Status: model.MatterInProgress, LeadLawyerID: lead}
		m2 := &model.Matter{Title: "常年顾问", Type: model.MatterCivil, Status: model.MatterEngaged, LeadLawyerID: lead}
		m3 := &model.Matter{Title: "常年顾问", Type: model.MatterCivil, Status: model.MatterEngaged, LeadLawyerID: lead}
		linked := &model.EvidenceItem{Title: "借条", MatterID: 0, MatterRef: "#1 (2026)京0105民初1号 王某诉李某", FileName: "a",
			SHA256: strings.Repeat("ab", 32), SM3: strings.Repeat("cd", 32), Size: 1, AddedBy: "zhang"}
		free := &model.EvidenceItem{Title: "聊天记录", MatterRef: "王某咨询", FileName: "b",
			SHA256: strings.Repeat("01", 32), SM3: strings.Repeat("02", 32), Size: 1, AddedBy: "zhang"}
		err := db.Update(ctx, func(tx *store.Tx) error {
			for _, m := range []*model.Matter{m1, m2, m3} {
				if err := tx.CreateMatter(ctx, m); err != nil {
					return err
				}
			}
			linked.MatterID = m1.ID
			if err := tx.AppendLedgerEntries(ctx, ledgerRows(0, 2)); err != nil {
				return err
			}
			for i, it := range []*model.EvidenceItem{linked, free} {
				it.LogIndex = int64(i)
				if err := tx.CreateEvidenceItem(ctx, it); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.EvidenceItem(ctx, linked.ID); err != nil || got.MatterID != m1.ID {
			t.Fatalf("linked round trip: %+v, %v", got, err)
		}
		if got, err := db.EvidenceItem(ctx, free.ID); err != nil || got.MatterID != 0 || got.MatterRef != "王某咨询" {
			t.Fatalf("free round trip: %+v, %v", got, err)
		}
		if byID, _ := db.FindEvidence(ctx, store.EvidenceFilter{MatterID: m1.ID}); len(byID) != 1 || byID[0].ID != linked.ID {
			t.Fatalf("by matter id: %v", byID)
		}
		// An item cannot point at a matter that does not exist.
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.AppendLedgerEntries(ctx, ledgerRows(2, 1)); err != nil {
				return err
			}
			return tx.CreateEvidenceItem(ctx, &model.EvidenceItem{LogIndex: 2, MatterID: 999, Title: "x", FileName: "x",
				SHA256: strings.Repeat("03", 32), SM3: strings.Repeat("04", 32), AddedBy: "x"})
		})
		if err == nil {
			t.Fatal("item linked to a missing matter was accepted")
		}
		// Linking the free item to m2; a change that still expects it
		// unlinked is a conflict, even with the same text.
		link := &store.EvidenceMatterChange{ItemID: free.ID, From: "王某咨询", To: "#2 常年顾问", ToID: m2.ID, ChangedBy: "zhang"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetEvidenceMatter(ctx, link) }); err != nil {
			t.Fatal(err)
		}
		stale := &store.EvidenceMatterChange{ItemID: free.ID, From: "#2 常年顾问", To: "x", ChangedBy: "li"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetEvidenceMatter(ctx, stale) }); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("stale unlink: %v", err)
		}
		unlink := &store.EvidenceMatterChange{ItemID: free.ID, From: "#2 常年顾问", FromID: m2.ID, To: "", ChangedBy: "li"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetEvidenceMatter(ctx, unlink) }); err != nil {
			t.Fatal(err)
		}
		changes, err := db.EvidenceMatterChanges(ctx, free.ID)
		if err != nil || len(changes) != 2 || changes[0].FromID != 0 || changes[0].ToID != m2.ID || changes[1].FromID != m2.ID || changes[1].ToID != 0 {
			t.Fatalf("changes: %+v, %v", changes, err)
		}
		if got, _ := db.EvidenceItem(ctx, free.ID); got.MatterID != 0 || got.MatterRef != "" {
			t.Fatalf("after unlink: %+v", got)
		}
		for name, want := range map[string][]int64{
			"(2026)京0105民初1号": {m1.ID}, "王某诉李某": {m1.ID}, "常年顾问": {m2.ID, m3.ID}, "": nil, "别的": nil,
		} {
			if got, err := db.MatterIDsNamed(ctx, name); err != nil || !slices.Equal(got, want) {
				t.Errorf("MatterIDsNamed(%q) = %v, %v; want %v", name, got, err, want)
			}
		}
	})
}
