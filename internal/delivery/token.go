package delivery

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/atomicfile"
)

// KeyFile is the HMAC key of delivery links, relative to the data folder.
// It is key material like keys/blob.agekey: losing it invalidates every
// link (documents themselves are unaffected).
const KeyFile = "keys/delivery.key"

// ErrBadToken refuses a link that is malformed or whose signature does
// not verify (altered, or signed with another key).
var ErrBadToken = errors.New("链接无效")

// Token layout: version byte, delivery id (8 bytes), nonce (16 bytes),
// expiry in Unix seconds (8 bytes), then HMAC-SHA256 over all of that with
// a domain prefix; base64url without padding.
const (
	tokenVersion = 1
	nonceLen     = 16
	payloadLen   = 1 + 8 + nonceLen + 8
	macLen       = sha256.Size
	tokenLen     = payloadLen + macLen
	// TokenChars is the length of an encoded token.
	TokenChars = (tokenLen*8 + 5) / 6
	macDomain  = "lvxin delivery link v1\x00"
)

// Token is what a link carries.
type Token struct {
	DeliveryID int64
	Nonce      [nonceLen]byte
	Expires    time.Time
}

// NonceHash is what the database stores to match a token to its row.
func (t Token) NonceHash() string {
	sum := sha256.Sum256(t.Nonce[:])
	return hex.EncodeToString(sum[:])
}

// Key signs and verifies links.
type Key struct{ secret []byte }

// NewKey wraps secret (at least 32 bytes).
func NewKey(secret []byte) (*Key, error) {
	if len(secret) < 32 {
		return nil, errors.New("链接签名密钥过短（至少 32 字节）")
	}
	return &Key{secret: append([]byte(nil), secret...)}, nil
}

// LoadOrCreateKey reads the data folder's link key, creating it on first
// use (32 random bytes, hex, written atomically with mode 0600).
func LoadOrCreateKey(dataDir string) (*Key, error) {
	path := filepath.Join(dataDir, KeyFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, err
		}
		if err := atomicfile.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("无法创建密钥目录：%w", err)
		}
		content := "# lvxin 文件传输链接签名密钥。丢失后已发出的链接全部失效；请与备份一同妥善保管。\n" + hex.EncodeToString(secret) + "\n"
		if err := atomicfile.WriteFile(path, []byte(content), 0o600); err != nil {
			return nil, fmt.Errorf("无法写入密钥文件 %s：%w", path, err)
		}
		return NewKey(secret)
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取密钥文件 %s：%w", path, err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		secret, err := hex.DecodeString(line)
		if err != nil || len(secret) < 32 {
			break
		}
		return NewKey(secret)
	}
	return nil, fmt.Errorf("密钥文件 %s 无效：应包含 64 位十六进制密钥", path)
}

func (k *Key) mac(parts ...[]byte) []byte {
	m := hmac.New(sha256.New, k.secret)
	m.Write([]byte(macDomain))
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// Sign encodes t as a link token.
func (k *Key) Sign(t Token) string {
	buf := make([]byte, 0, tokenLen)
	buf = append(buf, tokenVersion)
	buf = binary.BigEndian.AppendUint64(buf, uint64(t.DeliveryID))
	buf = append(buf, t.Nonce[:]...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(t.Expires.Unix()))
	buf = append(buf, k.mac(buf)...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// Parse decodes a link token and verifies its signature in constant time.
// It does not judge expiry (the caller compares with its clock and the
// stored row); any malformed or altered token is ErrBadToken.
func (k *Key) Parse(s string) (Token, error) {
	if len(s) != TokenChars {
		return Token{}, ErrBadToken
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(raw) != tokenLen || raw[0] != tokenVersion {
		return Token{}, ErrBadToken
	}
	payload, sig := raw[:payloadLen], raw[payloadLen:]
	if !hmac.Equal(sig, k.mac(payload)) {
		return Token{}, ErrBadToken
	}
	var t Token
	id := binary.BigEndian.Uint64(payload[1:9])
	exp := binary.BigEndian.Uint64(payload[9+nonceLen:])
	if id == 0 || id > 1<<62 || exp > 1<<40 {
		return Token{}, ErrBadToken
	}
	t.DeliveryID = int64(id)
	copy(t.Nonce[:], payload[9:9+nonceLen])
	t.Expires = time.Unix(int64(exp), 0).UTC()
	return t, nil
}

// newNonce returns fresh random bytes for a token.
func newNonce() (n [nonceLen]byte) {
	if _, err := rand.Read(n[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return n
}

// codeHash is how an access code is stored: an HMAC bound to the link's
// nonce (six digits would fall to a plain hash at once).
func (k *Key) codeHash(nonceHash, code string) string {
	return hex.EncodeToString(k.mac([]byte("code\x00"), []byte(nonceHash), []byte{0}, []byte(code)))
}

// UnlockValue is the cookie value that shows a browser entered the right
// access code for the link with this nonce hash.
func (k *Key) UnlockValue(nonceHash string) string {
	return base64.RawURLEncoding.EncodeToString(k.mac([]byte("unlock\x00"), []byte(nonceHash)))
}

// CheckUnlock compares a cookie value with the link's, in constant time.
func (k *Key) CheckUnlock(nonceHash, value string) bool {
	return hmac.Equal([]byte(value), []byte(k.UnlockValue(nonceHash)))
}

// newCode returns a six-digit access code.
func newCode() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return fmt.Sprintf("%06d", binary.BigEndian.Uint64(b[:])%1_000_000)
}
