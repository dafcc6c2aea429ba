package e2e

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/upgradecheck"
)

// Helpers of the upgrade tests: loading a release fixture, stepping a
// schema back or forward, and running today's serve on upgraded data.

// stepBack undoes the latest migration with goose, as if the database had
// been made by the previous schema.
func stepBack(t *testing.T, u *upgraded) {
	t.Helper()
	fsys, err := store.MigrationsFS(store.Dialect(u.engine))
	if err != nil {
		t.Fatal(err)
	}
	dialect := goose.DialectSQLite3
	if u.engine == "postgres" {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, u.sqlDB(t), fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Down(context.Background()); err != nil {
		t.Fatalf("step back: %v", err)
	}
}

func bumpVersion(t *testing.T, u *upgraded, v int64) {
	t.Helper()
	if _, err := u.sqlDB(t).Exec(fmt.Sprintf("INSERT INTO goose_db_version (version_id, is_applied) VALUES (%d, TRUE)", v)); err != nil {
		t.Fatal(err)
	}
}

// fixtureEngines lists the engines of the fixtures: SQLite always,
// PostgreSQL when configured (a failure under CI=true when it is not).
func fixtureEngines(t *testing.T) []string {
	out := []string{"sqlite"}
	if storetest.PostgresURL(t) != "" {
		out = append(out, "postgres")
	}
	return out
}

func fixtureDir(release string) string { return filepath.Join("testdata", "upgrade", release) }

func readManifest(t *testing.T, dir, engine string) *upgradecheck.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, engine+"-manifest.json"))
	if err != nil {
		t.Fatalf("fixture manifest (scripts/make-upgrade-fixture.sh makes it): %v", err)
	}
	var m upgradecheck.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// loadFixture puts a release's database and data folder in place.
func loadFixture(t *testing.T, release, engine string) *upgraded {
	t.Helper()
	dir := fixtureDir(release)
	u := &upgraded{engine: engine, dataDir: filepath.Join(t.TempDir(), "data"), manifest: readManifest(t, dir, engine)}
	untarGz(t, filepath.Join(dir, engine+"-data.tar.gz"), u.dataDir)
	if engine == "postgres" {
		u.dbURL = storetest.PostgresDatabase(t)
		cmd := exec.Command("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
			"--dbname="+u.dbURL, filepath.Join(dir, "postgres.dump"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pg_restore fixture: %v: %s", err, out)
		}
	}
	return u
}

// serveUpgraded starts today's `lvxin serve` on the upgraded data; it
// returns the address and what serve printed before it.
func serveUpgraded(t *testing.T, u *upgraded, flags ...string) (string, string) {
	t.Helper()
	cmd := exec.Command(lvxinBin, u.args(append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...)...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logBuf strings.Builder
	cmd.Stderr = &logBuf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", logBuf.String())
		}
	})
	type started struct{ base, before string }
	found := make(chan started, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		var before strings.Builder
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, "http://"); i >= 0 && strings.HasPrefix(line, "律信已启动") {
				found <- started{strings.SplitN(line[i:], "（", 2)[0], before.String()}
				continue
			}
			before.WriteString(line + "\n")
		}
	}()
	select {
	case s := <-found:
		return s.base, s.before
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not start: %s", logBuf.String())
	}
	return "", ""
}

func gunzipTo(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
}

func untarGz(t *testing.T, src, dir string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(hdr.Name))
		if !strings.HasPrefix(p, filepath.Clean(dir)+string(filepath.Separator)) {
			t.Fatalf("fixture entry outside the folder: %s", hdr.Name)
		}
		if hdr.Typeflag == tar.TypeDir {
			if err := os.MkdirAll(p, 0o700); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
