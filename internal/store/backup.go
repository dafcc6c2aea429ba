package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lvxin/lvxin/internal/atomicfile"
	"modernc.org/sqlite"
)

// BackupSQLite writes a consistent copy of the live SQLite database to
// dest with SQLite's online backup API (not VACUUM INTO, which does not
// fsync), then fsyncs the copy and its folder.
func (db *DB) BackupSQLite(ctx context.Context, dest string) error {
	if db.dialect != SQLite {
		return errors.New("BackupSQLite: not a SQLite database")
	}
	conn, err := db.reader.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		bk, ok := dc.(interface {
			NewBackup(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("sqlite driver without backup support")
		}
		b, err := bk.NewBackup(dest)
		if err != nil {
			return err
		}
		for {
			more, err := b.Step(256)
			if err != nil {
				b.Finish()
				return err
			}
			if !more {
				break
			}
		}
		return b.Finish()
	})
	if err != nil {
		return fmt.Errorf("SQLite 在线备份失败：%w", err)
	}
	f, err := os.OpenFile(dest, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	f.Close()
	return atomicfile.SyncDir(filepath.Dir(dest))
}

// DumpPostgres streams pg_dump's custom-format archive of the database.
func (db *DB) DumpPostgres(ctx context.Context, w io.Writer) error {
	if db.dialect != Postgres {
		return errors.New("DumpPostgres: not a PostgreSQL database")
	}
	target, schema := pgToolURL(db.url)
	args := []string{"--format=custom", "--no-owner", "--no-privileges", "--dbname=" + target}
	if schema != "" {
		args = append(args, "--schema="+schema)
	}
	cmd := exec.CommandContext(ctx, "pg_dump", args...)
	cmd.Stdout = w
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_dump 失败：%w：%s", err, stderr.String())
	}
	return nil
}

// RestorePostgres loads a pg_dump custom-format archive into an empty
// database.
func RestorePostgres(ctx context.Context, url string, r io.Reader) error {
	target, _ := pgToolURL(url)
	cmd := exec.CommandContext(ctx, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname="+target)
	cmd.Stdin = r
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_restore 失败：%w：%s", err, stderr.String())
	}
	return nil
}

// pgToolURL removes the search_path parameter, which pg_dump and
// pg_restore refuse, from a database URL and returns the schema it named
// (the one lvxin's tables live in), so that pg_dump can dump that schema.
func pgToolURL(raw string) (string, string) {
	u, err := url.Parse(raw)
	if err != nil {
		return raw, ""
	}
	q := u.Query()
	schema := strings.TrimSpace(strings.Split(q.Get("search_path"), ",")[0])
	if !q.Has("search_path") {
		return raw, ""
	}
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema
}

type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 4096 - len(l.b); room > 0 {
		if len(p) < room {
			room = len(p)
		}
		l.b = append(l.b, p[:room]...)
	}
	return len(p), nil
}

func (l *limitedBuffer) String() string { return string(l.b) }
