package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// BlobReferences finds the digests of the known tables and of a table it
// was never told about, by the column's name.
func TestBlobReferences(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const exportSHA, attSHA, docSHA = "aa11", "bb22", "cc33"
		err := db.Update(ctx, func(tx *store.Tx) error {
			imp := &model.ChatImport{FileName: "导出.csv", Format: "pywxdump-csv", SHA256: exportSHA, Size: 1, ImportedBy: "cli"}
			if err := tx.CreateChatImport(ctx, imp); err != nil {
				return err
			}
			conv := &model.Conversation{Key: "k", Kind: model.ConversationDirect, Title: "王五"}
			if err := tx.EnsureConversation(ctx, conv, 0, 0, imp.ID); err != nil {
				return err
			}
			w, err := tx.NewMessageWriter(ctx, imp.ID)
			if err != nil {
				return err
			}
			defer w.Close()
			_, err = w.Insert(ctx, &model.Message{ConversationID: conv.ID, Key: "m1", SenderWxID: "wxid_w", Kind: model.MessageImage, Text: "[图片]",
				SentAt: db.Now(), Attachment: &model.Attachment{Ref: "a.dat", BlobID: attSHA, Size: 1}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.ExecRaw(ctx, db, "CREATE TABLE later_documents (id INTEGER PRIMARY KEY, file_sha256 TEXT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		if err := store.ExecRaw(ctx, db, "INSERT INTO later_documents (id, file_sha256) VALUES (1, '"+docSHA+"')"); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		if err := db.BlobReferences(ctx, func(sha string) { seen[sha] = true }); err != nil {
			t.Fatal(err)
		}
		for _, sha := range []string{exportSHA, attSHA, docSHA} {
			if !seen[sha] {
				t.Errorf("%s not among the references %v", sha, seen)
			}
		}
		// Every table of today's schema that keeps a blob is covered.
		columns, err := db.BlobReferenceColumns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"chat_imports.sha256", "messages.att_blob", "chat_archives.blob_sha256", "evidence_items.sha256", "later_documents.file_sha256"} {
			if !slices.Contains(columns, want) {
				t.Errorf("%s not among the reference columns %v", want, columns)
			}
		}
	})
}
