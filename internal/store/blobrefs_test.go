package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// BlobReferences finds the digests of today's tables and of a table it was
// never told about, by the column's name. (Attachments in messages are
// covered end to end by archive's TestFailedImportBlobsAreSwept.)
func TestBlobReferences(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const exportSHA, docSHA = "aa11", "cc33"
		err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.CreateChatImport(ctx, &model.ChatImport{FileName: "导出.csv", Format: "pywxdump-csv", SHA256: exportSHA, Size: 1, ImportedBy: "cli"})
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
		for _, sha := range []string{exportSHA, docSHA} {
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
