package ledger

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/tsa"
)

// Names of the bundle's members.
const (
	bundleCheckpoint = "checkpoint"
	bundleVKey       = "log.vkey"
	bundleTSR        = "checkpoint.tsr"
	bundleTSAChain   = "tsa-chain.pem"
	bundleSums       = "SHA256SUMS"
	bundleList       = "证据目录.xlsx"
	bundleReport     = "index.html"
	bundleFilesDir   = "files/"
	bundleEntriesDir = "entries/"
	bundleProofsDir  = "proofs/"
)

// BundleMeta is what the lawyer says about a piece of evidence.
type BundleMeta struct {
	Title    string // 证据名称; the entry's file name when empty
	Source   string // 来源
	Purpose  string // 证明目的
	FormedAt string // 形成时间, free text such as "2024年3月"
}

// BundleItem is one preserved file to export.
type BundleItem struct {
	Entry Entry     // as returned by Log.Append or Log.Entry (Data must be set)
	Proof TlogProof // from Log.Prove against the bundle's checkpoint
	Open  func() (io.ReadCloser, error)
	Meta  BundleMeta
}

// maxSafeNameRunes bounds the sanitized part of a file name in the bundle.
const maxSafeNameRunes = 80

// WriteBundle writes an evidence bundle ZIP to w: the files, SHA256SUMS,
// entries, proofs, the signed checkpoint, the log key, the timestamp and TSA
// chain (omitted when tsr is empty), 证据目录.xlsx and index.html. Every file
// is re-hashed while it is written; a file that no longer matches its entry
// fails the export with ErrFileChanged.
func WriteBundle(ctx context.Context, w io.Writer, items []BundleItem, cp Checkpoint, vkey string, tsr, tsaChainPEM []byte) error {
	if err := checkBundleInputs(items, cp, vkey, tsr, tsaChainPEM); err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	created := cp.CreatedAt
	if created.IsZero() {
		created = items[0].Entry.AddedAt
	}
	put := func(name string, data []byte, modified time.Time) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		_, err = fw.Write(data)
		return err
	}
	var sums bytes.Buffer
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := bundleFileName(it.Entry)
		if err := writeBundleFile(zw, name, it); err != nil {
			return err
		}
		fmt.Fprintf(&sums, "%s  %s\n", it.Entry.SHA256, name)
		idx := fmt.Sprint(it.Entry.Index)
		if err := put(bundleEntriesDir+idx+".json", it.Entry.Data, it.Entry.AddedAt); err != nil {
			return err
		}
		if err := put(bundleProofsDir+idx+".tlog-proof", it.Proof.Marshal(), created); err != nil {
			return err
		}
	}
	type member struct {
		name string
		data []byte
	}
	members := []member{
		{bundleSums, sums.Bytes()},
		{bundleCheckpoint, cp.Note},
		{bundleVKey, []byte(vkey + "\n")},
	}
	if len(tsr) > 0 {
		// One response per file, so that openssl ts -verify reads each:
		// checkpoint.tsr, then checkpoint-2.tsr ... for further authorities.
		responses, err := tsa.Split(tsr)
		if err != nil {
			return fmt.Errorf("%w：%w", ErrBadInput, err)
		}
		for i, r := range responses {
			members = append(members, member{bundleTSRName(i), r})
		}
		members = append(members, member{bundleTSAChain, tsaChainPEM})
	}
	for _, m := range members {
		if err := put(m.name, m.data, created); err != nil {
			return err
		}
	}
	list, err := evidenceListXLSX(items)
	if err != nil {
		return err
	}
	if err := put(bundleList, list, created); err != nil {
		return err
	}
	report, err := bundleReportHTML(items, cp, tsr)
	if err != nil {
		return err
	}
	if err := put(bundleReport, report, created); err != nil {
		return err
	}
	return zw.Close()
}

// bundleTSRName is the member holding the i-th (0-based) authority's
// timestamp response.
func bundleTSRName(i int) string {
	if i == 0 {
		return bundleTSR
	}
	return fmt.Sprintf("checkpoint-%d.tsr", i+1)
}

func checkBundleInputs(items []BundleItem, cp Checkpoint, vkey string, tsr, chain []byte) error {
	if len(items) == 0 {
		return fmt.Errorf("%w：证据包至少需要一个文件", ErrBadInput)
	}
	if len(cp.Note) == 0 || cp.Size == 0 || strings.TrimSpace(vkey) == "" {
		return fmt.Errorf("%w：缺少检查点或日志公钥", ErrBadInput)
	}
	if (len(tsr) == 0) != (len(chain) == 0) {
		return fmt.Errorf("%w：时间戳与 TSA 证书链须同时提供", ErrBadInput)
	}
	seen := map[uint64]bool{}
	for _, it := range items {
		e := it.Entry
		if seen[e.Index] {
			return fmt.Errorf("%w：条目 %d 重复", ErrBadInput, e.Index)
		}
		seen[e.Index] = true
		parsed, err := ParseEntry(e.Data)
		if err != nil || parsed.Index != e.Index || parsed.SHA256 != e.SHA256 || parsed.SM3 != e.SM3 || parsed.Size != e.Size {
			return fmt.Errorf("%w：条目 %d 的原文与字段不一致", ErrBadInput, e.Index)
		}
		if it.Open == nil {
			return fmt.Errorf("%w：条目 %d 没有文件", ErrBadInput, e.Index)
		}
		if it.Proof.Index != e.Index || !bytes.Equal(it.Proof.Checkpoint, cp.Note) {
			return fmt.Errorf("%w：条目 %d 的包含证明不是针对本检查点出具的", ErrBadInput, e.Index)
		}
		if err := VerifyInclusion(e.Data, e.Index, cp.Size, it.Proof.Hashes, cp.Root); err != nil {
			return fmt.Errorf("%w：条目 %d 的包含证明无效：%w", ErrBadInput, e.Index, err)
		}
	}
	return nil
}

// writeBundleFile copies one evidence file into the ZIP (stored, not
// deflated: evidence is mostly already compressed and may be large) while
// re-computing its digests.
func writeBundleFile(zw *zip.Writer, name string, it BundleItem) error {
	rc, err := it.Open()
	if err != nil {
		return fmt.Errorf("打开证据文件 %s 失败：%w", it.Entry.Name, err)
	}
	defer rc.Close()
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: it.Entry.AddedAt})
	if err != nil {
		return err
	}
	d := NewDigester()
	if _, err := io.CopyBuffer(io.MultiWriter(fw, d), onlyReader{rc}, make([]byte, digestBufferSize)); err != nil {
		return fmt.Errorf("读取证据文件 %s 失败：%w", it.Entry.Name, err)
	}
	if got := d.Sum(); got != it.Entry.digests() {
		return fmt.Errorf("%w：%s（条目 %d）", ErrFileChanged, it.Entry.Name, it.Entry.Index)
	}
	return nil
}

// bundleFileName is "files/<index>-<safe name>", unique by index.
func bundleFileName(e Entry) string {
	return fmt.Sprintf("%s%06d-%s", bundleFilesDir, e.Index, safeName(e.Name))
}

// safeName keeps letters (including Chinese), digits and a few punctuation
// marks of the base name, so the name is valid on every file system and in
// SHA256SUMS, and cannot climb out of files/.
func safeName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune(".-_()（）", r):
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if utf8.RuneCountInString(s) > maxSafeNameRunes {
		ext := path.Ext(s)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		s = string([]rune(s)[:maxSafeNameRunes-utf8.RuneCountInString(ext)]) + ext
	}
	if s == "" {
		return "file"
	}
	return s
}
