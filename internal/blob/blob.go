// Package blob is lvxin's content-addressed file store: evidence files,
// attachments and exports live under <data>/blobs, each named by the
// SHA-256 of its plaintext and encrypted at rest with age (X25519, streaming
// ChaCha20-Poly1305) to a key generated on first run into <data>/keys.
// Writes are atomic and durable (temp file, fsync, rename, fsync folder) and
// streaming: a 2 GB video never sits in memory. Reads verify the digest.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"filippo.io/age"

	"github.com/lvxin/lvxin/internal/atomicfile"
)

// Errors.
var (
	ErrNotFound = errors.New("文件不存在")
	// ErrCorrupt means the stored bytes no longer match their name: the
	// file was replaced or damaged.
	ErrCorrupt = errors.New("文件已损坏或被替换（SHA-256 不符）")
)

// KeyFile is the age identity file, relative to the data folder.
const KeyFile = "keys/blob.agekey"

// Ref names a stored blob.
type Ref struct {
	SHA256 string `json:"sha256"` // hex of the plaintext digest
	Size   int64  `json:"size"`   // plaintext bytes
}

// Store is a blob store rooted in a data folder. Safe for concurrent use.
type Store struct {
	root      string
	identity  *age.X25519Identity
	recipient *age.X25519Recipient
	// mu orders Put's "present? then keep (touch) or commit" against
	// Sweep's "still old? then delete" within this process.
	mu sync.RWMutex
}

// Open opens the blob store of a data folder, creating its folders and key
// on first use.
func Open(dataDir string) (*Store, error) {
	root := filepath.Join(dataDir, "blobs")
	if err := atomicfile.MkdirAll(filepath.Join(root, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("无法创建文件存储目录 %s：%w", root, err)
	}
	id, err := loadOrCreateKey(filepath.Join(dataDir, KeyFile))
	if err != nil {
		return nil, err
	}
	sweepTemp(filepath.Join(root, "tmp"), time.Now().Add(-staleTemp))
	return &Store{root: root, identity: id, recipient: id.Recipient()}, nil
}

// staleTemp is the age after which a temporary file is known to be left
// over by a crash (a write in progress touches its file continuously).
const staleTemp = 24 * time.Hour

// sweepTemp removes temporary files older than cutoff: the remains of
// writes interrupted by a crash, which were never acknowledged.
func sweepTemp(dir string, cutoff time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && info.ModTime().Before(cutoff) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

func loadOrCreateKey(path string) (*age.X25519Identity, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := atomicfile.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("无法创建密钥目录：%w", err)
		}
		id, err := age.GenerateX25519Identity()
		if err != nil {
			return nil, err
		}
		content := "# lvxin 文件存储加密密钥（age X25519）。丢失此文件将无法解密已存储的文件；请与备份一同妥善保管。\n" + id.String() + "\n"
		if err := atomicfile.WriteFile(path, []byte(content), 0o600); err != nil {
			return nil, fmt.Errorf("无法写入密钥文件 %s：%w", path, err)
		}
		return id, nil
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取密钥文件 %s：%w", path, err)
	}
	ids, err := age.ParseIdentities(strings.NewReader(string(data)))
	if err != nil || len(ids) != 1 {
		return nil, fmt.Errorf("密钥文件 %s 无效：应包含一个 age 私钥（AGE-SECRET-KEY-…）", path)
	}
	id, ok := ids[0].(*age.X25519Identity)
	if !ok {
		return nil, fmt.Errorf("密钥文件 %s 无效：应为 X25519 私钥", path)
	}
	return id, nil
}

// path is the file of a digest: blobs/ab/abcdef….age
func (s *Store) path(sha string) string {
	return filepath.Join(s.root, sha[:2], sha+".age")
}

// Root is the folder holding the blobs.
func (s *Store) Root() string { return s.root }

// validDigest accepts 64 lowercase hex characters only, so a digest can
// never name a path outside the store.
func validDigest(sha string) bool {
	if len(sha) != 64 {
		return false
	}
	for _, c := range sha {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Put stores what r yields and returns its reference. It returns only when
// the blob is durably on disk; storing content that is already present
// keeps the existing file (and marks it as just stored, so that Sweep
// spares it for its grace period). Extra writers (for example a digest of another
// algorithm) see the same plaintext bytes.
func (s *Store) Put(ctx context.Context, r io.Reader, extra ...io.Writer) (Ref, error) {
	return s.put(ctx, func(w io.Writer) (int64, error) { return io.Copy(w, ctxReader{ctx, r}) }, extra)
}

// PutFrom is Put for a source that writes the plaintext itself, in pieces
// of its own choosing: evidence intake reads a file into buffers that it
// hands to another goroutine's digest while Put encrypts the same bytes,
// without copying them.
func (s *Store) PutFrom(ctx context.Context, src io.WriterTo, extra ...io.Writer) (Ref, error) {
	return s.put(ctx, func(w io.Writer) (int64, error) { return src.WriteTo(ctxWriter{ctx, w}) }, extra)
}

// put stores what copyTo writes to the writer it is given.
func (s *Store) put(ctx context.Context, copyTo func(io.Writer) (int64, error), extra []io.Writer) (ref Ref, err error) {
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "put-*")
	if err != nil {
		return Ref{}, err
	}
	out := newWritebackWriter(tmp)
	defer func() {
		if err != nil {
			out.Wait()
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	enc, err := age.Encrypt(out, s.recipient)
	if err != nil {
		return Ref{}, err
	}
	digest := sha256.New()
	writers := append([]io.Writer{enc, digest}, extra...)
	n, err := copyTo(io.MultiWriter(writers...))
	if err != nil {
		return Ref{}, err
	}
	if err = enc.Close(); err != nil {
		return Ref{}, err
	}
	out.Wait()
	ref = Ref{SHA256: hex.EncodeToString(digest.Sum(nil)), Size: n}
	final := s.path(ref.SHA256)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, statErr := os.Stat(final); statErr == nil {
		tmp.Close()
		os.Remove(tmp.Name())
		now := time.Now()
		if err = os.Chtimes(final, now, now); err != nil {
			return Ref{}, err
		}
		return ref, nil
	}
	if err = atomicfile.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return Ref{}, err
	}
	if err = atomicfile.Commit(tmp, final); err != nil {
		return Ref{}, err
	}
	return ref, nil
}

// Has reports whether a blob is stored.
func (s *Store) Has(sha string) bool {
	if !validDigest(sha) {
		return false
	}
	_, err := os.Stat(s.path(sha))
	return err == nil
}

// Open returns the plaintext of a blob. The reader checks the digest as it
// goes and fails with ErrCorrupt at the end if the content does not match.
func (s *Store) Open(sha string) (io.ReadCloser, error) {
	if !validDigest(sha) {
		return nil, fmt.Errorf("%w：%q 不是有效的 SHA-256", ErrNotFound, sha)
	}
	f, err := os.Open(s.path(sha))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w：%s", ErrNotFound, sha)
	}
	if err != nil {
		return nil, err
	}
	dec, err := age.Decrypt(f, s.identity)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w：%s：%w", ErrCorrupt, sha, err)
	}
	return &verifyingReader{r: dec, f: f, want: sha, h: sha256.New()}, nil
}

// Verify reads a whole blob and checks its digest.
func (s *Store) Verify(sha string) error {
	rc, err := s.Open(sha)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// Delete removes a blob (retention and admin deletion only).
func (s *Store) Delete(sha string) error {
	if !validDigest(sha) {
		return ErrNotFound
	}
	if err := os.Remove(s.path(sha)); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return ErrNotFound
		}
		return err
	}
	return atomicfile.SyncDir(filepath.Dir(s.path(sha)))
}

// Sweep removes the blobs that were last stored before cutoff and that no
// row refers to: the files of imports and intakes that failed after
// writing them. references must call its fn with every digest a row holds
// (store.DB.BlobReferences). A blob stored again after cutoff is kept, so
// the grace period (now minus cutoff) must exceed the longest import or
// intake: a day is ample. It returns the removed digests.
func (s *Store) Sweep(ctx context.Context, cutoff time.Time, references func(ctx context.Context, fn func(sha string)) error) ([]string, error) {
	candidates := map[string]bool{}
	err := s.Walk(func(sha string) error {
		if st, err := os.Stat(s.path(sha)); err == nil && st.ModTime().Before(cutoff) {
			candidates[sha] = true
		}
		return ctx.Err()
	})
	if err != nil || len(candidates) == 0 {
		return nil, err
	}
	if err := references(ctx, func(sha string) { delete(candidates, sha) }); err != nil {
		return nil, err
	}
	var removed []string
	for sha := range candidates {
		if err := ctx.Err(); err != nil {
			return removed, err
		}
		ok, err := s.removeIfOlder(sha, cutoff)
		if err != nil {
			return removed, err
		}
		if ok {
			removed = append(removed, sha)
		}
	}
	return removed, nil
}

// removeIfOlder deletes a blob unless it was stored again since cutoff.
func (s *Store) removeIfOlder(sha string, cutoff time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := os.Stat(s.path(sha))
	if errors.Is(err, os.ErrNotExist) || (err == nil && !st.ModTime().Before(cutoff)) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := s.Delete(sha); err != nil && !errors.Is(err, ErrNotFound) {
		return false, err
	}
	return true, nil
}

// Walk calls fn for every stored digest.
func (s *Store) Walk(fn func(sha string) error) error {
	shards, err := os.ReadDir(s.root)
	if err != nil {
		return err
	}
	for _, shard := range shards {
		if !shard.IsDir() || len(shard.Name()) != 2 {
			continue
		}
		files, err := os.ReadDir(filepath.Join(s.root, shard.Name()))
		if err != nil {
			return err
		}
		for _, f := range files {
			sha, ok := strings.CutSuffix(f.Name(), ".age")
			if ok && validDigest(sha) {
				if err := fn(sha); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

type verifyingReader struct {
	r    io.Reader
	f    *os.File
	want string
	h    hash.Hash
	done bool
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF && !v.done {
		v.done = true
		if hex.EncodeToString(v.h.Sum(nil)) != v.want {
			return n, fmt.Errorf("%w：%s", ErrCorrupt, v.want)
		}
	} else if err != nil && err != io.EOF {
		return n, fmt.Errorf("%w：%s：%w", ErrCorrupt, v.want, err)
	}
	return n, err
}

func (v *verifyingReader) Close() error { return v.f.Close() }

// ctxWriter stops a long copy when the context is cancelled.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// ctxReader stops a long copy when the context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
