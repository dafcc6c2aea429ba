package archive_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestAutoArchiveAndRetention(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		res, err := s.ImportFile(ctx, fixture("wechatmsg.csv"), archive.ImportOptions{}, cli) // March 2024
		if err != nil {
			t.Fatal(err)
		}
		convs, _ := db.Conversations(ctx)
		conv := convs[0]
		admin := &auth.Principal{User: &model.User{ID: 1, Username: "wang", Role: model.RoleAdmin}}
		lawyer := &auth.Principal{User: &model.User{ID: 2, Username: "li", Role: model.RoleLawyer}}
		june := time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)
		if err := s.DeleteConversation(ctx, lawyer, conv.ID, cli, june); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("lawyer deletes: %v", err)
		}
		if err := s.DeleteConversation(ctx, admin, conv.ID, cli, june); !errors.Is(err, archive.ErrNotArchived) {
			t.Fatalf("delete before archiving: %v", err)
		}
		// Not configured: nothing happens.
		if a, err := s.AutoArchive(ctx, time.Date(2024, 4, 2, 1, 0, 0, 0, time.UTC)); a != nil || !errors.Is(err, archive.ErrNoArchiveDue) {
			t.Fatalf("unconfigured auto archive: %v %v", a, err)
		}
		id, _ := age.GenerateX25519Identity()
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.SetSetting(ctx, archive.SettingRecipients, id.Recipient().String())
		})
		if err != nil {
			t.Fatal(err)
		}
		// Too late in the month: nothing happens.
		if a, err := s.AutoArchive(ctx, time.Date(2024, 4, 20, 1, 0, 0, 0, time.UTC)); a != nil || !errors.Is(err, archive.ErrNoArchiveDue) {
			t.Fatalf("auto archive on the 20th: %v %v", a, err)
		}
		a, err := s.AutoArchive(ctx, time.Date(2024, 4, 2, 1, 0, 0, 0, time.UTC))
		if err != nil || a == nil || a.Month != "2024-03" || a.Messages != res.Import.New {
			t.Fatalf("auto archive: %v %+v", err, a)
		}
		again, err := s.AutoArchive(ctx, time.Date(2024, 4, 3, 1, 0, 0, 0, time.UTC))
		if !errors.Is(err, archive.ErrNoArchiveDue) || again != nil {
			t.Fatalf("second run archived again: %v %+v", err, again)
		}
		blobReader, err := s.Blobs.Open(a.BlobSHA256)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := age.Decrypt(blobReader, id)
		if err != nil {
			t.Fatalf("archive in the blob store does not decrypt: %v", err)
		}
		if n, _ := io.Copy(io.Discard, plain); n == 0 {
			t.Fatal("empty archive")
		}
		blobReader.Close()
		// Archived, but no retention set: kept.
		if err := s.DeleteConversation(ctx, admin, conv.ID, cli, june); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("delete without retention: %v", err)
		}
		db.Update(ctx, func(tx *store.Tx) error { return tx.SetSetting(ctx, archive.SettingRetentionMonths, "3") })
		if err := s.DeleteConversation(ctx, admin, conv.ID, cli, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("delete within retention: %v", err)
		}
		if err := s.DeleteConversation(ctx, admin, conv.ID, archive.Actor{ID: 1, Name: "wang"}, june); err != nil {
			t.Fatalf("delete after retention: %v", err)
		}
		if _, err := db.ConversationByID(ctx, conv.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("conversation still there: %v", err)
		}
		rep, err := db.VerifyAudit(ctx)
		if err != nil || !rep.OK() || rep.Rows < 3 {
			t.Fatalf("audit: %v %+v", err, rep)
		}
	})
}
