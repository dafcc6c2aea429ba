package ledger

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// tlogProofHeader is the first line of a C2SP tlog-proof@v1.
const tlogProofHeader = "c2sp.org/tlog-proof@v1"

// maxProofHashes bounds an inclusion proof (a 2^63-leaf tree needs 63).
const maxProofHashes = 64

// TlogProof is a C2SP tlog-proof@v1: an entry index, its inclusion proof and
// the signed checkpoint it is proved against.
type TlogProof struct {
	Extra      []byte   // optional opaque extra data (not authenticated)
	Index      uint64   // entry index
	Hashes     [][]byte // inclusion proof, leaf sibling first
	Checkpoint []byte   // signed checkpoint note, verbatim
}

// Marshal returns the text form.
func (p TlogProof) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(tlogProofHeader + "\n")
	if len(p.Extra) > 0 {
		b.WriteString("extra " + base64.StdEncoding.EncodeToString(p.Extra) + "\n")
	}
	b.WriteString("index " + strconv.FormatUint(p.Index, 10) + "\n")
	for _, h := range p.Hashes {
		b.WriteString(base64.StdEncoding.EncodeToString(h) + "\n")
	}
	b.WriteString("\n")
	b.Write(p.Checkpoint)
	return b.Bytes()
}

// ParseTlogProof parses the text form strictly: header, optional extra line,
// index without leading zeros, canonical base64 32-byte hashes, a blank line
// and a checkpoint (whose signature is not checked here; see Verify).
func ParseTlogProof(text []byte) (TlogProof, error) {
	if len(text) > maxCheckpointBytes+maxProofHashes*64 {
		return TlogProof{}, fmt.Errorf("%w：内容过大", ErrBadProof)
	}
	head, cp, found := bytes.Cut(text, []byte("\n\n"))
	if !found {
		return TlogProof{}, fmt.Errorf("%w：缺少证明与检查点之间的空行", ErrBadProof)
	}
	lines := strings.Split(string(head), "\n")
	if lines[0] != tlogProofHeader {
		return TlogProof{}, fmt.Errorf("%w：首行应为 %s", ErrBadProof, tlogProofHeader)
	}
	lines = lines[1:]
	var p TlogProof
	if len(lines) > 0 && strings.HasPrefix(lines[0], "extra ") {
		extra, err := base64.StdEncoding.Strict().DecodeString(strings.TrimPrefix(lines[0], "extra "))
		if err != nil || len(extra) == 0 {
			return TlogProof{}, fmt.Errorf("%w：extra 行不是有效的 base64", ErrBadProof)
		}
		p.Extra = extra
		lines = lines[1:]
	}
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "index ") {
		return TlogProof{}, fmt.Errorf("%w：缺少 index 行", ErrBadProof)
	}
	index, err := parseDecimal(strings.TrimPrefix(lines[0], "index "))
	if err != nil {
		return TlogProof{}, fmt.Errorf("%w：index 无效", ErrBadProof)
	}
	p.Index = index
	if len(lines)-1 > maxProofHashes {
		return TlogProof{}, fmt.Errorf("%w：证明哈希过多", ErrBadProof)
	}
	for i, line := range lines[1:] {
		h, err := decodeHash(line)
		if err != nil {
			return TlogProof{}, fmt.Errorf("%w：第 %d 个证明哈希无效", ErrBadProof, i+1)
		}
		p.Hashes = append(p.Hashes, h)
	}
	if len(cp) == 0 {
		return TlogProof{}, fmt.Errorf("%w：缺少检查点", ErrBadProof)
	}
	p.Checkpoint = bytes.Clone(cp)
	return p, nil
}

// Verify checks the proof for the given leaf bytes: the checkpoint signature
// with verifier, and the inclusion of leaf at p.Index. It returns the
// checkpoint.
func (p TlogProof) Verify(leaf []byte, verifier note.Verifier) (Checkpoint, error) {
	cp, err := OpenCheckpoint(p.Checkpoint, verifier)
	if err != nil {
		return Checkpoint{}, err
	}
	if err := VerifyInclusion(leaf, p.Index, cp.Size, p.Hashes, cp.Root); err != nil {
		return Checkpoint{}, fmt.Errorf("%w：包含证明与检查点根哈希不符：%w", ErrBadProof, err)
	}
	return cp, nil
}
