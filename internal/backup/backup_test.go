package backup_test

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/backup"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// populate writes users, audit rows and blobs, and returns the blob refs.
func populate(t *testing.T, db *store.DB, dataDir string) []blob.Ref {
	t.Helper()
	ctx := context.Background()
	for i, name := range []string{"wang", "zhang", "li"} {
		u := &model.User{Username: name, DisplayName: "律师" + name, Role: model.RoleLawyer, PasswordHash: "h"}
		if i == 0 {
			u.Role = model.RoleAdmin
		}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, &model.AuditEvent{Actor: "cli", Action: "user.create", Target: "user/" + name})
		}); err != nil {
			t.Fatal(err)
		}
	}
	bs, err := blob.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	var refs []blob.Ref
	for _, content := range []string{"合同扫描件", strings.Repeat("录音", 50000)} {
		ref, err := bs.Put(ctx, strings.NewReader(content))
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	return refs
}

func compare(t *testing.T, src *store.DB, srcDir string, dst *store.DB, dstDir string, refs []blob.Ref) {
	t.Helper()
	ctx := context.Background()
	a, _ := src.FindUsers(ctx, store.UserFilter{})
	b, _ := dst.FindUsers(ctx, store.UserFilter{})
	if len(a) != len(b) || len(a) != 3 {
		t.Fatalf("users: %d vs %d", len(a), len(b))
	}
	for i := range a {
		if *a[i] != *b[i] {
			t.Fatalf("user %d differs:\n%+v\n%+v", i, a[i], b[i])
		}
	}
	rep, err := dst.VerifyAudit(ctx)
	if err != nil || !rep.OK() || rep.Rows != 3 {
		t.Fatalf("restored audit: %+v %v", rep, err)
	}
	srcBlobs, _ := blob.Open(srcDir)
	dstBlobs, err := blob.Open(dstDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range refs {
		want := readBlob(t, srcBlobs, ref.SHA256)
		got := readBlob(t, dstBlobs, ref.SHA256)
		if !bytes.Equal(want, got) {
			t.Fatalf("blob %s differs after restore", ref.SHA256)
		}
	}
}

func readBlob(t *testing.T, s *blob.Store, sha string) []byte {
	t.Helper()
	rc, err := s.Open(sha)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestBackupRestoreSQLite(t *testing.T) {
	ctx := context.Background()
	srcDir := t.TempDir()
	src := storetest.Open(t, storetest.Engine{Name: "sqlite", DataDir: srcDir}, nil)
	refs := populate(t, src, srcDir)
	archive := filepath.Join(t.TempDir(), "backup.tar")
	m, err := backup.Create(ctx, src, srcDir, archive)
	if err != nil {
		t.Fatal(err)
	}
	if m.Dialect != "sqlite" || len(m.Files) < 4 {
		t.Fatalf("manifest: %+v", m)
	}
	dstDir := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(ctx, archive, dstDir, ""); err != nil {
		t.Fatal(err)
	}
	dst := storetest.Open(t, storetest.Engine{Name: "sqlite", DataDir: dstDir}, nil)
	compare(t, src, srcDir, dst, dstDir, refs)

	// Restoring over existing data is refused.
	if _, err := backup.Restore(ctx, archive, dstDir, ""); err == nil || !strings.Contains(err.Error(), "不是空目录") {
		t.Fatalf("restore into non-empty folder: %v", err)
	}
}

func TestRestoreRejectsDamagedArchive(t *testing.T) {
	ctx := context.Background()
	srcDir := t.TempDir()
	src := storetest.Open(t, storetest.Engine{Name: "sqlite", DataDir: srcDir}, nil)
	populate(t, src, srcDir)
	archive := filepath.Join(t.TempDir(), "backup.tar")
	if _, err := backup.Create(ctx, src, srcDir, archive); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(archive)
	// Flip a byte inside the first file's content (after the 512-byte header).
	data[700] ^= 0xff
	bad := filepath.Join(t.TempDir(), "bad.tar")
	os.WriteFile(bad, data, 0o600)
	dstDir := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(ctx, bad, dstDir, ""); err == nil {
		t.Fatal("damaged archive restored")
	}
	entries, _ := os.ReadDir(dstDir)
	if len(entries) != 0 {
		t.Fatalf("failed restore left files behind: %v", entries)
	}
}

func TestBackupRestorePostgres(t *testing.T) {
	srcURL := storetest.PostgresDatabase(t)
	if srcURL == "" {
		t.Skip("LVXIN_TEST_POSTGRES_URL not set")
	}
	dstURL := storetest.PostgresDatabase(t)
	ctx := context.Background()
	srcDir := t.TempDir()
	src := storetest.Open(t, storetest.Engine{Name: "postgres", URL: srcURL, DataDir: srcDir}, nil)
	refs := populate(t, src, srcDir)
	archive := filepath.Join(t.TempDir(), "backup.tar")
	if _, err := backup.Create(ctx, src, srcDir, archive); err != nil {
		t.Fatal(err)
	}
	dstDir := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(ctx, archive, dstDir, dstURL); err != nil {
		t.Fatal(err)
	}
	dst := storetest.Open(t, storetest.Engine{Name: "postgres", URL: dstURL, DataDir: dstDir}, nil)
	compare(t, src, srcDir, dst, dstDir, refs)
}

// TestBackupRestorePostgresSchema: a database URL that selects its schema
// with search_path (pg_dump refuses the parameter) backs up that schema and
// restores into an empty database under the same schema.
func TestBackupRestorePostgresSchema(t *testing.T) {
	srcURL := storetest.PostgresURL(t)
	if srcURL == "" {
		// Only without CI: under CI=true storetest fails when no server is set.
		t.Log("LVXIN_TEST_POSTGRES_URL not set: nothing to back up")
		return
	}
	u, err := url.Parse(srcURL)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := url.Parse(storetest.PostgresDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	dst.RawQuery = u.RawQuery // the same search_path
	dstURL := dst.String()
	ctx := context.Background()
	srcDir := t.TempDir()
	src := storetest.Open(t, storetest.Engine{Name: "postgres", URL: srcURL, DataDir: srcDir}, nil)
	refs := populate(t, src, srcDir)
	archive := filepath.Join(t.TempDir(), "backup.tar")
	if _, err := backup.Create(ctx, src, srcDir, archive); err != nil {
		t.Fatal(err)
	}
	dstDir := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(ctx, archive, dstDir, dstURL); err != nil {
		t.Fatal(err)
	}
	restored := storetest.Open(t, storetest.Engine{Name: "postgres", URL: dstURL, DataDir: dstDir}, nil)
	compare(t, src, srcDir, restored, dstDir, refs)
}
