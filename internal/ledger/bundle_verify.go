package ledger

import (
	"archive/zip"
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lvxin/lvxin/internal/tsa"
	"golang.org/x/mod/sumdb/note"
)

// VerifyOptions says what a verifier trusts.
type VerifyOptions struct {
	// TrustedVKey is the log's public key obtained independently; when set,
	// log.vkey must equal it. When empty the bundle's own log.vkey is used and
	// the report says so.
	TrustedVKey string
	// TSARoots are trusted TSA roots; when set, a timestamp is required and
	// must chain to them. When nil, the bundle's tsa-chain.pem is used.
	TSARoots *x509.CertPool
	// MaxTotalBytes bounds the uncompressed bytes read (0: 64 GiB).
	MaxTotalBytes int64
}

// Limits that keep a hostile ZIP from exhausting memory or time.
const (
	maxBundleMembers    = 200000
	maxSmallMemberBytes = 1 << 20  // checkpoint, key, proofs, entries, certificates
	maxSumsBytes        = 64 << 20 // SHA256SUMS
	defaultMaxTotal     = 64 << 30
)

// bundleReader holds the indexed members of a bundle being verified.
type bundleReader struct {
	members   map[string]*zip.File
	remaining int64 // uncompressed bytes still allowed
}

// VerifyBundle checks an evidence bundle offline and returns one finding per
// check. The error is for a ZIP that cannot be read at all or is unsafe
// (ErrBadBundle); every content problem is a failed finding instead.
func VerifyBundle(r io.ReaderAt, size int64, opts VerifyOptions) (Report, error) {
	var rep Report
	br, err := openBundle(r, size, opts)
	if err != nil {
		return rep, err
	}
	cpNote, cp, verifier := br.verifyCheckpoint(&rep, opts)
	br.verifyTimestamp(&rep, cpNote, opts)
	sums := br.readSums(&rep)
	indexes := br.entryIndexes(&rep)
	for _, index := range indexes {
		br.verifyItem(&rep, index, cp, verifier, sums)
	}
	if len(indexes) == 0 {
		rep.fail(CheckStructure, "entries/", -1, "证据包中没有任何条目")
	}
	br.checkOrphanFiles(&rep, indexes)
	return rep, nil
}

func openBundle(r io.ReaderAt, size int64, opts VerifyOptions) (*bundleReader, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w：不是有效的 ZIP 文件：%w", ErrBadBundle, err)
	}
	if len(zr.File) > maxBundleMembers {
		return nil, fmt.Errorf("%w：成员过多（%d 个）", ErrBadBundle, len(zr.File))
	}
	br := &bundleReader{members: map[string]*zip.File{}, remaining: opts.MaxTotalBytes}
	if br.remaining <= 0 {
		br.remaining = defaultMaxTotal
	}
	for _, f := range zr.File {
		name := f.Name
		if strings.HasSuffix(name, "/") && f.UncompressedSize64 == 0 {
			continue // directory entry
		}
		if !safeMemberName(name) {
			return nil, fmt.Errorf("%w：成员名称 %q 不安全（绝对路径、.. 或反斜杠）", ErrBadBundle, name)
		}
		if _, dup := br.members[name]; dup {
			return nil, fmt.Errorf("%w：成员 %q 重复", ErrBadBundle, name)
		}
		br.members[name] = f
	}
	return br, nil
}

// safeMemberName refuses names that could escape the folder when unzipped.
func safeMemberName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\\\x00") || strings.Contains(name, ":") {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	return true
}

// read returns a member's bytes, at most limit of them; ok is false (with
// a failed finding) when it is missing, unreadable or too large.
func (br *bundleReader) read(rep *Report, check Check, name string, limit int64) ([]byte, bool) {
	f, found := br.members[name]
	if !found {
		rep.fail(check, name, -1, "证据包中缺少此文件")
		return nil, false
	}
	rc, err := f.Open()
	if err != nil {
		rep.fail(check, name, -1, "无法读取："+err.Error())
		return nil, false
	}
	defer rc.Close()
	limit = min(limit, br.remaining)
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	br.remaining -= int64(len(data))
	if err != nil {
		rep.fail(check, name, -1, "无法读取（压缩数据损坏）："+err.Error())
		return nil, false
	}
	if int64(len(data)) > limit {
		rep.fail(check, name, -1, "文件过大，拒绝读取")
		return nil, false
	}
	return data, true
}

// verifyCheckpoint checks log.vkey against the trusted key and the
// checkpoint signature. It returns the checkpoint bytes and, when the
// signature holds, the checkpoint and verifier for the proofs.
func (br *bundleReader) verifyCheckpoint(rep *Report, opts VerifyOptions) ([]byte, *Checkpoint, note.Verifier) {
	cpNote, okNote := br.read(rep, CheckSignature, bundleCheckpoint, maxCheckpointBytes)
	vkeyBytes, okKey := br.read(rep, CheckKey, bundleVKey, maxSmallMemberBytes)
	if !okKey {
		return cpNote, nil, nil
	}
	vkey := strings.TrimSpace(string(vkeyBytes))
	if opts.TrustedVKey != "" {
		if vkey != strings.TrimSpace(opts.TrustedVKey) {
			rep.fail(CheckKey, bundleVKey, -1, "日志公钥与受信任的公钥不一致：检查点可能由他人签署")
			vkey = strings.TrimSpace(opts.TrustedVKey)
		} else {
			rep.pass(CheckKey, bundleVKey, -1, "日志公钥与受信任的公钥一致")
		}
	} else {
		rep.pass(CheckKey, bundleVKey, -1, "使用证据包自带的日志公钥；请另行通过可信渠道核对该公钥")
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		rep.fail(CheckKey, bundleVKey, -1, "日志公钥格式无效："+err.Error())
		return cpNote, nil, nil
	}
	if !okNote {
		return nil, nil, verifier
	}
	cp, err := OpenCheckpoint(cpNote, verifier)
	if err != nil {
		rep.fail(CheckSignature, bundleCheckpoint, -1, "检查点签名无效或内容被改动："+err.Error())
		return cpNote, nil, verifier
	}
	rep.pass(CheckSignature, bundleCheckpoint, -1, fmt.Sprintf("检查点签名有效（日志 %s，%d 条）", cp.Origin, cp.Size))
	return cpNote, &cp, verifier
}

// verifyTimestamp checks checkpoint.tsr over the exact checkpoint bytes.
func (br *bundleReader) verifyTimestamp(rep *Report, cpNote []byte, opts VerifyOptions) {
	if _, has := br.members[bundleTSR]; !has {
		if opts.TSARoots != nil {
			rep.fail(CheckTimestamp, bundleTSR, -1, "要求可信时间戳，但证据包中没有 checkpoint.tsr")
		} else {
			rep.warn(CheckTimestamp, bundleTSR, -1, "本证据包不含可信时间戳（导出时未配置时间戳服务）：没有第三方证明保全发生的时间，表中的保全时间只是本所系统的记载")
		}
		return
	}
	var responses [][]byte
	for i := 0; ; i++ {
		name := bundleTSRName(i)
		if _, has := br.members[name]; !has {
			break
		}
		tsr, ok := br.read(rep, CheckTimestamp, name, maxSmallMemberBytes)
		if !ok {
			return
		}
		responses = append(responses, tsr)
	}
	if cpNote == nil {
		return
	}
	roots, source := opts.TSARoots, "受信任的根证书"
	if roots == nil {
		chain, ok := br.read(rep, CheckTimestamp, bundleTSAChain, maxSmallMemberBytes)
		if !ok {
			return
		}
		roots, source = x509.NewCertPool(), "证据包自带的 tsa-chain.pem（请另行核实其根证书）"
		if !roots.AppendCertsFromPEM(chain) {
			rep.fail(CheckTimestamp, bundleTSAChain, -1, "TSA 证书链无法解析")
			return
		}
	}
	for i, tsr := range responses {
		name := bundleTSRName(i)
		when, err := tsa.Verify(tsr, cpNote, roots)
		if err != nil {
			rep.fail(CheckTimestamp, name, -1, "时间戳无效或不覆盖本检查点："+err.Error())
			continue
		}
		who, _ := tsa.Signer(tsr)
		rep.pass(CheckTimestamp, name, -1, "时间戳覆盖本检查点，时间 "+formatShanghai(when)+"，签发者 "+who+"，链至"+source)
	}
}

// readSums parses SHA256SUMS into file name -> hex digest.
func (br *bundleReader) readSums(rep *Report) map[string]string {
	data, ok := br.read(rep, CheckSums, bundleSums, maxSumsBytes)
	if !ok {
		return nil
	}
	sums := map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		digest, name, found := strings.Cut(line, "  ")
		if !found || !isHexDigest(digest, 32) || !strings.HasPrefix(name, bundleFilesDir) {
			rep.fail(CheckSums, bundleSums, -1, fmt.Sprintf("第 %d 行格式无效", i+1))
			return nil
		}
		if _, dup := sums[name]; dup {
			rep.fail(CheckSums, bundleSums, -1, fmt.Sprintf("文件 %s 重复列出", name))
			return nil
		}
		sums[name] = digest
	}
	failures := len(rep.Failures())
	for name := range br.members {
		if strings.HasPrefix(name, bundleFilesDir) {
			if _, listed := sums[name]; !listed {
				rep.fail(CheckSums, name, -1, "文件未列入 SHA256SUMS")
			}
		}
	}
	for name := range sums {
		if _, present := br.members[name]; !present {
			rep.fail(CheckSums, name, -1, "SHA256SUMS 列出的文件在证据包中不存在")
		}
	}
	if len(rep.Failures()) == failures {
		rep.pass(CheckSums, bundleSums, -1, fmt.Sprintf("格式正确，列出 files/ 下全部 %d 个文件", len(sums)))
	}
	return sums
}

// entryIndexes returns the indexes of entries/<index>.json, sorted.
func (br *bundleReader) entryIndexes(rep *Report) []uint64 {
	var out []uint64
	for name := range br.members {
		rest, isEntry := strings.CutPrefix(name, bundleEntriesDir)
		if !isEntry {
			continue
		}
		index, err := parseDecimal(strings.TrimSuffix(rest, ".json"))
		if err != nil || !strings.HasSuffix(rest, ".json") {
			rep.fail(CheckStructure, name, -1, "条目文件名应为 entries/<序号>.json")
			continue
		}
		out = append(out, index)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// fileFor finds files/<index>-<name> for an entry.
func (br *bundleReader) fileFor(index uint64) []string {
	prefix := fmt.Sprintf("%s%06d-", bundleFilesDir, index)
	var names []string
	for name := range br.members {
		if strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	return names
}

// verifyItem checks one entry: its bytes, its proof and its file.
func (br *bundleReader) verifyItem(rep *Report, index uint64, cp *Checkpoint, verifier note.Verifier, sums map[string]string) {
	idx := int64(index)
	entryName := fmt.Sprintf("%s%d.json", bundleEntriesDir, index)
	data, ok := br.read(rep, CheckEntry, entryName, maxSmallMemberBytes)
	if !ok {
		return
	}
	entry, err := ParseEntry(data)
	if err != nil {
		rep.fail(CheckEntry, entryName, idx, "条目不是规范格式（被改动）："+err.Error())
		return
	}
	if entry.Index != index {
		rep.fail(CheckEntry, entryName, idx, fmt.Sprintf("条目记载的序号为 %d，与文件名不符", entry.Index))
		return
	}
	rep.pass(CheckEntry, entryName, idx, "条目格式规范")
	br.verifyProof(rep, entry, cp, verifier)
	names := br.fileFor(index)
	if len(names) != 1 {
		rep.fail(CheckFile, fmt.Sprintf("%s%06d-*", bundleFilesDir, index), idx, fmt.Sprintf("应有且只有一个对应文件，实有 %d 个", len(names)))
		return
	}
	br.verifyFile(rep, names[0], entry, sums)
}

func (br *bundleReader) verifyProof(rep *Report, entry Entry, cp *Checkpoint, verifier note.Verifier) {
	idx := int64(entry.Index)
	name := fmt.Sprintf("%s%d.tlog-proof", bundleProofsDir, entry.Index)
	text, ok := br.read(rep, CheckProof, name, maxSmallMemberBytes)
	if !ok {
		return
	}
	p, err := ParseTlogProof(text)
	switch {
	case err != nil:
		rep.fail(CheckProof, name, idx, err.Error())
	case p.Index != entry.Index:
		rep.fail(CheckProof, name, idx, fmt.Sprintf("证明针对的是条目 %d", p.Index))
	case cp == nil:
		rep.fail(CheckProof, name, idx, "检查点未通过校验，无法确认包含证明")
	case !bytes.Equal(p.Checkpoint, cp.Note):
		rep.fail(CheckProof, name, idx, "证明所附检查点与证据包的检查点不同")
	default:
		if _, err := p.Verify(entry.Data, verifier); err != nil {
			rep.fail(CheckProof, name, idx, "条目不在已签名的日志中（包含证明不成立）："+err.Error())
			return
		}
		rep.pass(CheckProof, name, idx, fmt.Sprintf("条目包含在已签名的日志中（共 %d 条）", cp.Size))
	}
}

func (br *bundleReader) verifyFile(rep *Report, name string, entry Entry, sums map[string]string) {
	idx := int64(entry.Index)
	f := br.members[name]
	rc, err := f.Open()
	if err != nil {
		rep.fail(CheckFile, name, idx, "无法读取："+err.Error())
		return
	}
	defer rc.Close()
	d := NewDigester()
	n, err := io.CopyBuffer(d, io.LimitReader(rc, br.remaining+1), make([]byte, digestBufferSize))
	br.remaining -= n
	switch {
	case br.remaining < 0:
		rep.fail(CheckFile, name, idx, "证据包解压后超过允许的总大小，停止读取")
		return
	case err != nil && !errors.Is(err, zip.ErrChecksum):
		rep.fail(CheckFile, name, idx, "无法读取（压缩数据损坏）："+err.Error())
		return
	}
	got := d.Sum()
	switch {
	case got.Size != entry.Size:
		rep.fail(CheckFile, name, idx, fmt.Sprintf("文件大小 %d 字节，与保全记录的 %d 字节不符：文件被改动", got.Size, entry.Size))
	case got.SHA256 != entry.SHA256 || got.SM3 != entry.SM3:
		rep.fail(CheckFile, name, idx, "SHA-256/SM3 摘要与保全记录不符：文件被改动")
	default:
		rep.pass(CheckFile, name, idx, "SHA-256 与 SM3 摘要、大小均与保全记录一致")
	}
	if sums != nil && sums[name] != entry.SHA256 {
		rep.fail(CheckSums, name, idx, "SHA256SUMS 中的摘要与保全记录不符")
	}
}

// checkOrphanFiles fails every file under files/ that no entry accounts for.
func (br *bundleReader) checkOrphanFiles(rep *Report, indexes []uint64) {
	known := map[string]bool{}
	for _, index := range indexes {
		for _, name := range br.fileFor(index) {
			known[name] = true
		}
	}
	for name := range br.members {
		if strings.HasPrefix(name, bundleFilesDir) && !known[name] {
			rep.fail(CheckStructure, name, -1, "文件没有对应的日志条目")
		}
	}
}
