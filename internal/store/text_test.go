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

// TestInvalidTextRefusedAlike: a NUL character or invalid UTF-8 in any text
// (a contact's name, an evidence title, an imported message, a search) gets
// ErrInvalidText on both engines, never the driver's message (PostgreSQL's
// SQLSTATE 22021), and nothing is stored.
func TestInvalidTextRefusedAlike(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, bad := range []string{"张\x00三", "张\xff三"} {
			check := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, store.ErrInvalidText) || strings.Contains(err.Error(), "SQLSTATE") {
					t.Errorf("%s %q: %v, want ErrInvalidText", what, bad, err)
				}
			}
			check("contact name", db.Update(ctx, func(tx *store.Tx) error {
				return tx.CreateContact(ctx, &model.Contact{Kind: model.ContactPerson, Name: bad})
			}))
			check("evidence title", db.Update(ctx, func(tx *store.Tx) error {
				return tx.CreateEvidenceItem(ctx, &model.EvidenceItem{Title: bad, FileName: "a.txt", SHA256: "00", SM3: "00"})
			}))
			_, err := db.FindEvidence(ctx, store.EvidenceFilter{MatterRef: bad})
			check("evidence filter", err)
			_, err = db.EvidenceItem(ctx, 1) // a plain query still works
			if !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("evidence item: %v", err)
			}
			check("imported message", db.Update(ctx, func(tx *store.Tx) error {
				imp := &model.ChatImport{FileName: "a.csv", Format: "wechatmsg-csv", SHA256: "ab", Size: 1, ImportedBy: "test"}
				if err := tx.CreateChatImport(ctx, imp); err != nil {
					return err
				}
				w, err := tx.NewMessageWriter(ctx, imp.ID)
				if err != nil {
					return err
				}
				defer w.Close()
				_, err = w.Insert(ctx, &model.Message{Key: "k1", SentAt: time.Date(2024, 5, 1, 2, 0, 0, 0, time.UTC),
					Kind: model.MessageText, Text: "转账 " + bad, SourceLine: 7})
				if err != nil && !strings.Contains(err.Error(), "第 7 行的消息") {
					t.Errorf("message error does not name its record: %v", err)
				}
				return err
			}))
		}
		contacts, err := db.FindContacts(ctx, store.ContactFilter{})
		if err != nil || len(contacts) != 0 {
			t.Fatalf("contacts stored: %d %v", len(contacts), err)
		}
	})
}
