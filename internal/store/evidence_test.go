package store_test

import (
	"context"
	"errors"
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
