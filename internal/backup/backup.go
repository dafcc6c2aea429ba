// Package backup makes and restores lvxin backups: one tar archive with the
// database (SQLite online backup, or pg_dump for PostgreSQL), the blob
// folder and the keys, and a manifest with the SHA-256 of every file, so a
// restore can prove it got back exactly what was saved.
package backup

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/atomicfile"
	"github.com/lvxin/lvxin/internal/store"
)

// ManifestName is the last entry of every archive.
const ManifestName = "MANIFEST.json"

// Archive entry names of the database.
const (
	sqliteEntry   = "db/lvxin.db"
	postgresEntry = "db/postgres.dump"
)

// FileSum is one archived file.
type FileSum struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Manifest describes an archive.
type Manifest struct {
	Format        string    `json:"format"`
	CreatedAt     time.Time `json:"created_at"`
	Dialect       string    `json:"dialect"`
	SchemaVersion int64     `json:"schema_version"`
	Files         []FileSum `json:"files"`
}

const formatID = "lvxin-backup/1"

// Create writes a backup of db and the data folder's blobs and keys to out
// (atomically: a failed backup leaves no partial file under that name).
func Create(ctx context.Context, db *store.DB, dataDir, out string) (*Manifest, error) {
	version, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Format: formatID, CreatedAt: time.Now().UTC(), Dialect: string(db.Dialect()), SchemaVersion: version}
	tmpDir, err := os.MkdirTemp(filepath.Dir(out), ".lvxin-backup-*")
	if err != nil {
		return nil, fmt.Errorf("无法在 %s 创建临时文件：%w", filepath.Dir(out), err)
	}
	defer os.RemoveAll(tmpDir)

	dbFile := filepath.Join(tmpDir, "db")
	dbEntry := sqliteEntry
	if db.Dialect() == store.SQLite {
		if err := db.BackupSQLite(ctx, dbFile); err != nil {
			return nil, err
		}
	} else {
		dbEntry = postgresEntry
		if err := atomicfile.Write(dbFile, 0o600, func(w io.Writer) error { return db.DumpPostgres(ctx, w) }); err != nil {
			return nil, err
		}
	}
	err = atomicfile.Write(out, 0o600, func(w io.Writer) error {
		tw := tar.NewWriter(w)
		if err := addFile(tw, m, dbEntry, dbFile); err != nil {
			return err
		}
		for _, sub := range []string{"keys", "blobs"} {
			root := filepath.Join(dataDir, sub)
			err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					if os.IsNotExist(err) && path == root {
						return filepath.SkipDir
					}
					return err
				}
				if d.IsDir() {
					if d.Name() == "tmp" && filepath.Dir(path) == filepath.Join(dataDir, "blobs") {
						return filepath.SkipDir
					}
					return nil
				}
				if !d.Type().IsRegular() {
					return nil
				}
				rel, _ := filepath.Rel(dataDir, path)
				return addFile(tw, m, filepath.ToSlash(rel), path)
			})
			if err != nil {
				return err
			}
		}
		sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
		data, _ := json.MarshalIndent(m, "", "  ")
		if err := tw.WriteHeader(&tar.Header{Name: ManifestName, Mode: 0o600, Size: int64(len(data)), ModTime: m.CreatedAt, Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
		return tw.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("写入备份文件 %s 失败：%w", out, err)
	}
	return m, nil
}

func addFile(tw *tar.Writer, m *Manifest, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, h), f)
	if err != nil {
		return err
	}
	if n != st.Size() {
		return fmt.Errorf("%s 在备份过程中被修改", path)
	}
	m.Files = append(m.Files, FileSum{Path: name, SHA256: hex.EncodeToString(h.Sum(nil)), Size: n})
	return nil
}

// Restore unpacks an archive into dataDir, which must be missing or empty.
// A PostgreSQL backup is loaded into the (empty) database at databaseURL.
// Every file is checked against the manifest; on any failure the restored
// folder is removed again, so a restore lands whole or not at all.
func Restore(ctx context.Context, archive, dataDir, databaseURL string) (m *Manifest, err error) {
	if entries, err := os.ReadDir(dataDir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("恢复目标 %s 不是空目录：为免覆盖现有数据，请指定一个新的目录", dataDir)
	} else if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("恢复目标 %s 不可用：%w", dataDir, err)
	}
	f, err := os.Open(archive)
	if err != nil {
		return nil, fmt.Errorf("无法打开备份文件：%w", err)
	}
	defer f.Close()
	if err := atomicfile.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dataDir)
			os.MkdirAll(dataDir, 0o700)
		}
	}()
	got := map[string]FileSum{}
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("备份文件 %s 已损坏：%w", archive, err)
		}
		if hdr.Name == ManifestName {
			var mm Manifest
			if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(&mm); err != nil {
				return nil, fmt.Errorf("备份清单无法读取：%w", err)
			}
			m = &mm
			continue
		}
		if hdr.Typeflag != tar.TypeReg || !safeName(hdr.Name) {
			return nil, fmt.Errorf("备份文件含有不允许的条目：%q", hdr.Name)
		}
		sum, err := restoreEntry(ctx, tr, hdr.Name, dataDir, databaseURL)
		if err != nil {
			return nil, err
		}
		got[hdr.Name] = sum
	}
	if m == nil || m.Format != formatID {
		return nil, fmt.Errorf("%s 不是律信备份文件（缺少清单）", archive)
	}
	if len(got) != len(m.Files) {
		return nil, fmt.Errorf("备份不完整：清单列出 %d 个文件，实际 %d 个", len(m.Files), len(got))
	}
	for _, want := range m.Files {
		if g, ok := got[want.Path]; !ok || g != want {
			return nil, fmt.Errorf("备份中的 %s 与清单不符（文件缺失或已损坏）", want.Path)
		}
	}
	return m, atomicfile.SyncDir(dataDir)
}

func safeName(name string) bool {
	if strings.HasPrefix(name, "/") || strings.Contains(name, "\\") {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." || part == "" {
			return false
		}
	}
	return name == sqliteEntry || name == postgresEntry || strings.HasPrefix(name, "blobs/") || strings.HasPrefix(name, "keys/")
}

func restoreEntry(ctx context.Context, r io.Reader, name, dataDir, databaseURL string) (FileSum, error) {
	h := sha256.New()
	counted := &countingWriter{w: h}
	tee := io.TeeReader(r, counted)
	switch name {
	case postgresEntry:
		if databaseURL == "" {
			return FileSum{}, fmt.Errorf("这是 PostgreSQL 备份：请用 --database-url 指定一个空的 PostgreSQL 数据库")
		}
		if err := store.RestorePostgres(ctx, databaseURL, tee); err != nil {
			return FileSum{}, err
		}
		io.Copy(io.Discard, tee)
	default:
		target := filepath.Join(dataDir, filepath.FromSlash(name))
		if name == sqliteEntry {
			if databaseURL != "" {
				return FileSum{}, fmt.Errorf("这是 SQLite 备份：恢复时不要指定 --database-url")
			}
			target = filepath.Join(dataDir, store.SQLiteFileName)
		}
		if err := atomicfile.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return FileSum{}, err
		}
		if err := atomicfile.Write(target, 0o600, func(w io.Writer) error {
			_, err := io.Copy(w, tee)
			return err
		}); err != nil {
			return FileSum{}, fmt.Errorf("恢复 %s 失败：%w", name, err)
		}
	}
	return FileSum{Path: name, SHA256: hex.EncodeToString(h.Sum(nil)), Size: counted.n}, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.w.Write(p)
}
