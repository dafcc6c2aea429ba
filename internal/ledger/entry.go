package ledger

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// EntryInput is what a caller supplies to preserve one file.
type EntryInput struct {
	Name    string  // original file name, shown to people
	Matter  string  // matter (案件) identifier or case number, may be empty
	Digests Digests // from Digester or Digest
}

// Entry is one leaf of the log.
type Entry struct {
	Index   uint64
	SHA256  string // lowercase hex
	SM3     string // lowercase hex
	Size    int64
	Name    string
	Matter  string
	AddedAt time.Time // UTC, second precision
	// Data is the exact leaf bytes (canonical JSON); LeafHash is SHA-256(0x00 || Data).
	Data     []byte
	LeafHash []byte
}

// entryJSON holds the leaf fields in sorted key order, so that encoding/json
// (which writes struct fields in declaration order) emits sorted keys.
type entryJSON struct {
	AddedAt string `json:"added_at"`
	Index   uint64 `json:"index"`
	Matter  string `json:"matter"`
	Name    string `json:"name"`
	SHA256  string `json:"sha256"`
	Size    int64  `json:"size"`
	SM3     string `json:"sm3"`
}

const (
	maxNameBytes    = 1024
	maxEntryBytes   = 8 << 10
	entryTimeLayout = time.RFC3339
)

// validate checks an input with Chinese messages for the user.
func (in EntryInput) validate() error {
	switch {
	case strings.TrimSpace(in.Name) == "":
		return fmt.Errorf("%w：文件名为空", ErrBadInput)
	case len(in.Name) > maxNameBytes || len(in.Matter) > maxNameBytes:
		return fmt.Errorf("%w：文件名或案件标识过长（最多 %d 字节）", ErrBadInput, maxNameBytes)
	case !utf8.ValidString(in.Name) || !utf8.ValidString(in.Matter):
		return fmt.Errorf("%w：文件名或案件标识不是有效的 UTF-8", ErrBadInput)
	case !isHexDigest(in.Digests.SHA256, 32):
		return fmt.Errorf("%w：SHA-256 摘要应为 64 位小写十六进制", ErrBadInput)
	case !isHexDigest(in.Digests.SM3, 32):
		return fmt.Errorf("%w：SM3 摘要应为 64 位小写十六进制", ErrBadInput)
	case in.Digests.Size < 0:
		return fmt.Errorf("%w：文件大小为负数", ErrBadInput)
	}
	return nil
}

func isHexDigest(s string, n int) bool {
	if len(s) != 2*n || strings.ToLower(s) != s {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// encodeEntry returns the canonical JSON of an entry: sorted keys, no
// insignificant whitespace, UTF-8, no HTML escaping, no trailing newline.
func encodeEntry(e Entry) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(entryJSON{
		AddedAt: e.AddedAt.UTC().Format(entryTimeLayout),
		Index:   e.Index,
		Matter:  e.Matter,
		Name:    e.Name,
		SHA256:  e.SHA256,
		Size:    e.Size,
		SM3:     e.SM3,
	})
	if err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// ParseEntry parses leaf bytes strictly: they must be exactly the canonical
// encoding that the log writes, so any edit, reformatting or extra field is
// refused.
func ParseEntry(data []byte) (Entry, error) {
	if len(data) > maxEntryBytes {
		return Entry{}, fmt.Errorf("%w：条目超过 %d 字节", ErrBadEntry, maxEntryBytes)
	}
	if !utf8.Valid(data) {
		return Entry{}, fmt.Errorf("%w：不是有效的 UTF-8", ErrBadEntry)
	}
	var raw entryJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return Entry{}, fmt.Errorf("%w：%w", ErrBadEntry, err)
	}
	if dec.More() {
		return Entry{}, fmt.Errorf("%w：JSON 之后有多余内容", ErrBadEntry)
	}
	addedAt, err := time.Parse(entryTimeLayout, raw.AddedAt)
	if err != nil {
		return Entry{}, fmt.Errorf("%w：added_at 不是 RFC 3339 时间", ErrBadEntry)
	}
	e := Entry{
		Index: raw.Index, SHA256: raw.SHA256, SM3: raw.SM3, Size: raw.Size,
		Name: raw.Name, Matter: raw.Matter, AddedAt: addedAt.UTC(),
	}
	in := EntryInput{Name: e.Name, Matter: e.Matter, Digests: Digests{SHA256: e.SHA256, SM3: e.SM3, Size: e.Size}}
	if err := in.validate(); err != nil {
		return Entry{}, fmt.Errorf("%w：%w", ErrBadEntry, err)
	}
	canonical, err := encodeEntry(e)
	if err != nil {
		return Entry{}, fmt.Errorf("%w：%w", ErrBadEntry, err)
	}
	if !bytes.Equal(canonical, data) {
		return Entry{}, fmt.Errorf("%w：不是规范 JSON 编码（键序、空白、转义或时间格式被改动）", ErrBadEntry)
	}
	e.Data = bytes.Clone(data)
	e.LeafHash = hasher.HashLeaf(data)
	return e, nil
}

// digests returns the digests the entry records.
func (e Entry) digests() Digests { return Digests{SHA256: e.SHA256, SM3: e.SM3, Size: e.Size} }
