package ledger

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// Checkpoint is a signed statement of the log's size and root hash.
type Checkpoint struct {
	Origin    string
	Size      uint64
	Root      []byte    // 32-byte RFC 6962 root hash
	Note      []byte    // the signed note, verbatim (the bundle's "checkpoint" file)
	TSR       []byte    // RFC 3161 response over Note; empty without a TSA
	CreatedAt time.Time // UTC
}

// maxCheckpointBytes bounds a signed checkpoint (origin, size, root and a few signatures).
const maxCheckpointBytes = 16 << 10

// GenerateKey creates an Ed25519 note key pair named origin. skey is secret
// (store it in the data folder's key file); vkey is published as log.vkey.
func GenerateKey(origin string) (skey, vkey string, err error) {
	if err := validateOrigin(origin); err != nil {
		return "", "", err
	}
	return note.GenerateKey(rand.Reader, origin)
}

func validateOrigin(origin string) error {
	if origin == "" || strings.ContainsAny(origin, "\n+ ") || strings.TrimSpace(origin) != origin {
		return fmt.Errorf("%w：日志名称（origin）不能为空，且不能含空格、加号或换行", ErrBadInput)
	}
	return nil
}

// checkpointText returns the C2SP tlog-checkpoint note text.
func checkpointText(origin string, size uint64, root []byte) string {
	return fmt.Sprintf("%s\n%d\n%s\n", origin, size, base64.StdEncoding.EncodeToString(root))
}

// ParseCheckpointText parses the unsigned note text of a checkpoint strictly:
// origin line, decimal size without leading zeros, base64 32-byte root, and
// optional extension lines which are ignored.
func ParseCheckpointText(text string) (origin string, size uint64, root []byte, err error) {
	if !strings.HasSuffix(text, "\n") {
		return "", 0, nil, fmt.Errorf("%w：正文未以换行结束", ErrBadCheckpoint)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return "", 0, nil, fmt.Errorf("%w：至少需要 origin、大小、根哈希三行", ErrBadCheckpoint)
	}
	origin = lines[0]
	if origin == "" {
		return "", 0, nil, fmt.Errorf("%w：origin 为空", ErrBadCheckpoint)
	}
	size, err = parseDecimal(lines[1])
	if err != nil {
		return "", 0, nil, fmt.Errorf("%w：日志大小 %q 无效", ErrBadCheckpoint, lines[1])
	}
	root, err = decodeHash(lines[2])
	if err != nil {
		return "", 0, nil, fmt.Errorf("%w：根哈希 %q 无效", ErrBadCheckpoint, lines[2])
	}
	for _, ext := range lines[3:] {
		if ext == "" {
			return "", 0, nil, fmt.Errorf("%w：扩展行为空", ErrBadCheckpoint)
		}
	}
	return origin, size, root, nil
}

// OpenCheckpoint verifies a signed checkpoint with the log key and parses it.
// The origin must equal the key's name.
func OpenCheckpoint(signed []byte, verifier note.Verifier) (Checkpoint, error) {
	if len(signed) > maxCheckpointBytes {
		return Checkpoint{}, fmt.Errorf("%w：超过 %d 字节", ErrBadCheckpoint, maxCheckpointBytes)
	}
	n, err := note.Open(signed, note.VerifierList(verifier))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w：签名校验失败：%w", ErrBadCheckpoint, err)
	}
	origin, size, root, err := ParseCheckpointText(n.Text)
	if err != nil {
		return Checkpoint{}, err
	}
	if origin != verifier.Name() {
		return Checkpoint{}, fmt.Errorf("%w：origin %q 与公钥名称 %q 不一致", ErrBadCheckpoint, origin, verifier.Name())
	}
	return Checkpoint{Origin: origin, Size: size, Root: root, Note: bytes.Clone(signed)}, nil
}

// parseDecimal parses an ASCII decimal with no sign and no leading zeros.
func parseDecimal(s string) (uint64, error) {
	if s == "" || (len(s) > 1 && s[0] == '0') || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("not a canonical decimal: %q", s)
	}
	return strconv.ParseUint(s, 10, 64)
}

// decodeHash decodes a canonical standard-base64 SHA-256 hash.
func decodeHash(s string) ([]byte, error) {
	h, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, err
	}
	if len(h) != 32 || base64.StdEncoding.EncodeToString(h) != s {
		return nil, fmt.Errorf("not a 32-byte hash")
	}
	return h, nil
}
