package archive_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// ageTool finds Debian's age command; under CI it must be there.
func ageTool(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("age")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the age command is not installed (apt-get install age)")
		}
		t.Skip("age command not installed")
	}
	return path
}

func TestExportMonthOpensWithAgeTool(t *testing.T) {
	ageBin := ageTool(t)
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		if _, err := s.ImportFile(ctx, fixture("wechatmsg.csv"), archive.ImportOptions{}, cli); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportFile(ctx, fixture("chatlog.json"), archive.ImportOptions{}, cli); err != nil {
			t.Fatal(err)
		}
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		keyFile := filepath.Join(dir, "key.txt")
		os.WriteFile(keyFile, []byte("# test key\n"+id.String()+"\n"), 0o600)
		recipients, err := archive.ParseRecipients([]string{id.Recipient().String()})
		if err != nil {
			t.Fatal(err)
		}
		var enc bytes.Buffer
		m, err := s.ExportMonth(ctx, "2024-03", recipients, &enc, clock())
		if err != nil {
			t.Fatal(err)
		}
		if m.Conversations < 2 || m.Messages < 10 {
			t.Fatalf("manifest: %+v", m)
		}
		archivePath := filepath.Join(dir, "2024-03.tar.age")
		os.WriteFile(archivePath, enc.Bytes(), 0o600)
		out := filepath.Join(dir, "out")
		os.Mkdir(out, 0o700)
		cmd := exec.Command("sh", "-c", `"$0" -d -i "$1" "$2" | tar -x -C "$3"`, ageBin, keyFile, archivePath, out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("age -d | tar x: %v\n%s", err, b)
		}
		raw, err := os.ReadFile(filepath.Join(out, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		var got archive.Manifest
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		if got.Messages != m.Messages || len(got.Files) != 2*got.Conversations {
			t.Fatalf("manifest on disk: %+v", got)
		}
		sawHTML := false
		for _, f := range got.Files {
			data, err := os.ReadFile(filepath.Join(out, f.Path))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(data)) != f.Size {
				t.Errorf("%s: digest does not match the manifest", f.Path)
			}
			if strings.HasSuffix(f.Path, "index.html") && strings.Contains(string(data), "微信号 wxid_wangwu123") {
				sawHTML = true
			}
		}
		if !sawHTML {
			t.Error("no HTML page shows the sender's 微信号")
		}
		// A month without messages gives an archive with only the manifest.
		enc.Reset()
		empty, err := s.ExportMonth(ctx, "2023-01", recipients, &enc, clock())
		if err != nil || empty.Messages != 0 || len(empty.Files) != 0 {
			t.Fatalf("empty month: %v %+v", err, empty)
		}
	})
}

func TestParseRecipientsRejectsGarbage(t *testing.T) {
	if _, err := archive.ParseRecipients([]string{"not-a-key"}); err == nil {
		t.Fatal("accepted a bad key")
	}
	if _, err := archive.ParseRecipients(nil); err == nil {
		t.Fatal("accepted no recipients")
	}
}
