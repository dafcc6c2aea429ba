package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestDeliveryRecords(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := addUsers(t, db, "lead", "other")
		m := &model.Matter{Title: "甲诉乙", Type: model.MatterCivil, Status: model.MatterEngaged, LeadLawyerID: u[0]}
		conf := &model.Document{Title: "和解方案", FileName: "和解方案.pdf", MediaType: "application/pdf",
			Classification: model.ClassConfidential, SHA256: strings.Repeat("ab", 32), Size: 1234, UploadedByID: u[0], UploadedBy: "lead"}
		plain := &model.Document{Title: "起诉状", FileName: "起诉状.docx", Classification: model.ClassOrdinary,
			SHA256: strings.Repeat("cd", 32), Size: 10, UploadedBy: "命令行"}
		nda := &model.NDA{Recipient: "甲公司", SignedOn: "2026-03-01", FileName: "nda.pdf", SHA256: strings.Repeat("ef", 32),
			Size: 5, RecordedByID: u[0], RecordedBy: "lead"}
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateMatter(ctx, m); err != nil {
				return err
			}
			conf.MatterID, plain.MatterID, nda.MatterID = m.ID, m.ID, m.ID
			for _, d := range []*model.Document{conf, plain} {
				if err := tx.CreateDocument(ctx, d); err != nil {
					return err
				}
			}
			return tx.CreateNDA(ctx, nda, "甲公司")
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Document(ctx, conf.ID)
		if err != nil || got.Classification != model.ClassConfidential || got.UploadedByID != u[0] || got.Size != 1234 ||
			!got.UploadedAt.Equal(db.Now()) || got.MatterID != m.ID {
			t.Fatalf("document round trip: %+v, %v", got, err)
		}
		docs, err := db.MatterDocuments(ctx, m.ID)
		if err != nil || len(docs) != 2 {
			t.Fatalf("matter documents: %v, %v", docs, err)
		}
		if _, err := db.Document(ctx, 999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing document: %v", err)
		}
		// The NDA is found by the recipient key only, on this matter only.
		if n, err := db.NDAFor(ctx, m.ID, "甲公司"); err != nil || n.ID != nda.ID || n.SignedOn != "2026-03-01" {
			t.Fatalf("NDA for: %+v, %v", n, err)
		}
		if _, err := db.NDAFor(ctx, m.ID, "乙"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("NDA of another recipient: %v", err)
		}
		if _, err := db.NDAFor(ctx, m.ID+1, "甲公司"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("NDA of another matter: %v", err)
		}

		now := db.Now()
		d := &model.Delivery{DocumentID: conf.ID, MatterID: m.ID, Recipient: "甲公司", NDAID: nda.ID, NonceHash: strings.Repeat("01", 32),
			CodeHash: "c", FileSHA256: conf.SHA256, FileSize: conf.Size, IssuedByID: u[0], IssuedBy: "lead",
			SentAt: now.Add(-48 * time.Hour), ExpiresAt: now.Add(5 * 24 * time.Hour)}
		other := &model.Delivery{DocumentID: plain.ID, MatterID: m.ID, Recipient: "乙", NonceHash: strings.Repeat("02", 32),
			FileSHA256: plain.SHA256, FileSize: plain.Size, IssuedByID: u[1], IssuedBy: "other", SentAt: now.Add(-48 * time.Hour),
			ExpiresAt: now.Add(time.Hour), Watermark: true}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateDelivery(ctx, d); err != nil {
				return err
			}
			return tx.CreateDelivery(ctx, other)
		}); err != nil {
			t.Fatal(err)
		}
		// A nonce is unique.
		dup := *d
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateDelivery(ctx, &dup) }); err == nil {
			t.Fatal("a second link with the same nonce was stored")
		}
		// Events: the first open and download set their times once.
		t1, t2 := now.Add(-time.Hour), now.Add(-time.Minute)
		err = db.Update(ctx, func(tx *store.Tx) error {
			for _, ev := range []*model.DeliveryEvent{
				{DeliveryID: d.ID, Kind: model.DeliveryOpened, At: t1, IP: "10.0.0.1", UserAgent: "Mobile Safari"},
				{DeliveryID: d.ID, Kind: model.DeliveryOpened, At: t2, IP: "10.0.0.2"},
				{DeliveryID: d.ID, Kind: model.DeliveryDownloaded, At: t2, IP: "10.0.0.2"},
			} {
				if err := tx.AddDeliveryEvent(ctx, ev); err != nil {
					return err
				}
			}
			return tx.SetDeliveryCodeState(ctx, d.ID, 3, now.Add(time.Minute))
		})
		if err != nil {
			t.Fatal(err)
		}
		back, err := db.Delivery(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !back.FirstOpenedAt.Equal(t1) || !back.FirstDownloadedAt.Equal(t2) || back.NDAID != nda.ID || back.CodeFailures != 3 ||
			!back.CodeLockedUntil.Equal(now.Add(time.Minute)) || !back.ConfirmedAt.IsZero() || back.Watermark {
			t.Fatalf("delivery round trip: %+v", back)
		}
		events, err := db.DeliveryEvents(ctx, d.ID)
		if err != nil || len(events) != 3 || events[0].UserAgent != "Mobile Safari" || events[2].Kind != model.DeliveryDownloaded {
			t.Fatalf("events: %v, %v", events, err)
		}
		// Confirming twice keeps the first.
		var first, second bool
		err = db.Update(ctx, func(tx *store.Tx) error {
			if first, err = tx.ConfirmDelivery(ctx, d.ID, "张三", now); err != nil {
				return err
			}
			second, err = tx.ConfirmDelivery(ctx, d.ID, "李四", now.Add(time.Hour))
			return err
		})
		if err != nil || !first || second {
			t.Fatalf("confirm: %v %v %v", first, second, err)
		}
		if back, _ := db.Delivery(ctx, d.ID); back.ConfirmedName != "张三" || !back.ConfirmedAt.Equal(now) {
			t.Fatalf("confirmation: %+v", back)
		}
		// The reminder list: confidential, unconfirmed, unrevoked, unreminded.
		conf2 := &model.Delivery{DocumentID: conf.ID, MatterID: m.ID, Recipient: "甲公司", NonceHash: strings.Repeat("03", 32),
			FileSHA256: conf.SHA256, FileSize: 1, IssuedByID: u[0], IssuedBy: "lead", SentAt: now.Add(-30 * time.Hour),
			ExpiresAt: now.Add(time.Hour)}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateDelivery(ctx, conf2) }); err != nil {
			t.Fatal(err)
		}
		due, err := db.UnconfirmedConfidential(ctx, now.Add(-24*time.Hour))
		if err != nil || len(due) != 1 || due[0].ID != conf2.ID {
			t.Fatalf("unconfirmed: %v, %v", due, err)
		}
		var marked, again bool
		err = db.Update(ctx, func(tx *store.Tx) error {
			if marked, err = tx.MarkDeliveryReminded(ctx, conf2.ID, now); err != nil {
				return err
			}
			again, err = tx.MarkDeliveryReminded(ctx, conf2.ID, now)
			return err
		})
		if err != nil || !marked || again {
			t.Fatalf("reminded: %v %v %v", marked, again, err)
		}
		if due, _ := db.UnconfirmedConfidential(ctx, now); len(due) != 0 {
			t.Fatalf("reminded twice: %v", due)
		}
		// Live links of an issuer; revoking once.
		var live []*model.Delivery
		var revoked, revokedAgain bool
		err = db.Update(ctx, func(tx *store.Tx) error {
			if live, err = tx.LiveDeliveriesIssuedBy(ctx, u[0], now); err != nil {
				return err
			}
			if revoked, err = tx.RevokeDelivery(ctx, d.ID, "lead", now); err != nil {
				return err
			}
			revokedAgain, err = tx.RevokeDelivery(ctx, d.ID, "lead", now)
			return err
		})
		if err != nil || len(live) != 2 || !revoked || revokedAgain {
			t.Fatalf("live %d, revoke %v %v, %v", len(live), revoked, revokedAgain, err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			live, err = tx.LiveDeliveriesIssuedBy(ctx, u[0], now)
			return err
		}); err != nil || len(live) != 1 || live[0].ID != conf2.ID {
			t.Fatalf("live after revoke: %v, %v", live, err)
		}
		list, err := db.MatterDeliveries(ctx, m.ID)
		if err != nil || len(list) != 3 {
			t.Fatalf("matter deliveries: %v, %v", list, err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetDeliveryEvidence(ctx, 999, 1) }); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("evidence on a missing link: %v", err)
		}
		// Blob digests of documents, NDAs and delivered copies are kept by the sweep.
		refs := map[string]bool{}
		if err := db.BlobReferences(ctx, func(sha string) { refs[sha] = true }); err != nil {
			t.Fatal(err)
		}
		for _, sha := range []string{conf.SHA256, plain.SHA256, nda.SHA256} {
			if !refs[sha] {
				t.Errorf("blob %s is not a reference", sha[:8])
			}
		}
	})
}
