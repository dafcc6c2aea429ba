package wecom

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Errors of the callback crypto. Each refusal wraps exactly one of them.
var (
	ErrConfig         = errors.New("企业微信回调配置无效")
	ErrBadSignature   = errors.New("企业微信回调签名不符")
	ErrBadTimestamp   = errors.New("企业微信回调时间戳无效")
	ErrStaleTimestamp = errors.New("企业微信回调时间戳超出允许的时间窗口")
	ErrReplay         = errors.New("企业微信回调的 nonce 已使用过（疑似重放）")
	ErrBadCiphertext  = errors.New("企业微信密文无效")
	ErrBadPadding     = errors.New("企业微信密文的 PKCS#7 填充无效")
	ErrBadLength      = errors.New("企业微信明文的长度字段与内容不符")
	ErrReceiveID      = errors.New("企业微信明文中的接收方 ID 与配置不符")
	ErrDoctype        = errors.New("企业微信回调 XML 含 DOCTYPE 或其他声明，已拒绝")
	ErrBadBody        = errors.New("企业微信回调消息体无效")
)

// DefaultWindow is how far a callback's timestamp may lie from the clock when
// Config.Window is zero.
const DefaultWindow = 5 * time.Minute

const (
	keyLength    = 32 // AES-256
	randomLength = 16 // random prefix of every plaintext
	padBlock     = 32 // WeCom pads to a multiple of 32 bytes, not of AES's 16
)

// Config is what the firm enters in WeCom's callback settings, plus the
// machinery the checks need.
type Config struct {
	Token          string // 3 to 32 letters or digits
	EncodingAESKey string // 43 base64 characters (the AES key without its "=")
	// ReceiveID is the corp id (or suite id); empty skips the receive id
	// check, as the official samples do.
	ReceiveID string
	Window    time.Duration    // allowed |clock - timestamp|; zero means DefaultWindow
	Now       func() time.Time // nil means time.Now
	// Nonces remembers the nonces of authenticated callbacks; nil disables
	// the replay check. Its TTL must be at least twice Window.
	Nonces Cache
	// Random is the source of the 16-byte plaintext prefix; nil means
	// crypto/rand. Tests inject a fixed prefix to reproduce official vectors.
	Random io.Reader
}

// Crypto verifies, decrypts and encrypts WeCom callback messages. It is safe
// for concurrent use when its Cache and Random are.
type Crypto struct {
	token     string
	block     cipher.Block
	iv        []byte
	receiveID string
	window    time.Duration
	now       func() time.Time
	nonces    Cache
	random    io.Reader
}

// New checks cfg and returns a Crypto for it.
func New(cfg Config) (*Crypto, error) {
	if !validToken(cfg.Token) {
		return nil, fmt.Errorf("%w：Token 应为 3 到 32 位英文字母或数字", ErrConfig)
	}
	key, err := DecodeAESKey(cfg.EncodingAESKey)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w：%w", ErrConfig, err)
	}
	if cfg.Window < 0 {
		return nil, fmt.Errorf("%w：时间窗口不能为负数", ErrConfig)
	}
	c := &Crypto{
		token:     cfg.Token,
		block:     block,
		iv:        bytes.Clone(key[:aes.BlockSize]),
		receiveID: cfg.ReceiveID,
		window:    cfg.Window,
		now:       cfg.Now,
		nonces:    cfg.Nonces,
		random:    cfg.Random,
	}
	if c.window == 0 {
		c.window = DefaultWindow
	}
	if m, ok := c.nonces.(*MemoryCache); ok && m.ttl < 2*c.window {
		return nil, fmt.Errorf("%w：nonce 缓存保留时间 %s 应至少为时间窗口的两倍（%s）", ErrConfig, m.ttl, 2*c.window)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.random == nil {
		c.random = rand.Reader
	}
	return c, nil
}

func validToken(token string) bool {
	if len(token) < 3 || len(token) > 32 {
		return false
	}
	for _, r := range token {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// DecodeAESKey turns an EncodingAESKey into the 32-byte AES key:
// base64(EncodingAESKey + "=").
func DecodeAESKey(encodingAESKey string) ([]byte, error) {
	if len(encodingAESKey) != 43 {
		return nil, fmt.Errorf("%w：EncodingAESKey 应为 43 位字母或数字，收到 %d 位", ErrConfig, len(encodingAESKey))
	}
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != keyLength {
		return nil, fmt.Errorf("%w：EncodingAESKey 不是有效的 Base64 编码", ErrConfig)
	}
	return key, nil
}

// Signature is WeCom's msg_signature: the hex SHA-1 of token, timestamp,
// nonce and ciphertext, sorted bytewise and concatenated.
func Signature(token, timestamp, nonce, encrypted string) string {
	parts := []string{token, timestamp, nonce, encrypted}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// checkSignature compares in constant time; upper-case hex is accepted.
func (c *Crypto) checkSignature(msgSignature, timestamp, nonce, encrypted string) error {
	want := Signature(c.token, timestamp, nonce, encrypted)
	got := strings.ToLower(msgSignature)
	if subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return fmt.Errorf("%w：msg_signature 与 Token、timestamp、nonce 和密文计算出的签名不一致", ErrBadSignature)
	}
	return nil
}

// checkTimestamp parses a decimal Unix timestamp and checks it against the
// window around the injected clock.
func (c *Crypto) checkTimestamp(timestamp string) error {
	if timestamp == "" || len(timestamp) > 12 {
		return fmt.Errorf("%w：timestamp 应为 1 到 12 位十进制秒数，收到 %d 个字符", ErrBadTimestamp, len(timestamp))
	}
	var seconds int64
	for _, r := range timestamp {
		if r < '0' || r > '9' {
			return fmt.Errorf("%w：timestamp 应为十进制秒数，收到 %q", ErrBadTimestamp, timestamp)
		}
		seconds = seconds*10 + int64(r-'0')
	}
	skew := c.now().Sub(time.Unix(seconds, 0))
	if skew > c.window || skew < -c.window {
		return fmt.Errorf("%w：timestamp %s 与服务器时间相差 %s，允许 %s", ErrStaleTimestamp, timestamp, skew.Round(time.Second), c.window)
	}
	return nil
}

// Encrypt encrypts msg as WeCom does: base64(AES-256-CBC(random16 ||
// uint32be(len(msg)) || msg || receiveID, PKCS#7 to 32 bytes)).
func (c *Crypto) Encrypt(msg []byte) (string, error) {
	if uint64(len(msg)) > 1<<31 {
		return "", fmt.Errorf("%w：消息过长", ErrBadBody)
	}
	plain := make([]byte, randomLength+4, randomLength+4+len(msg)+len(c.receiveID)+padBlock)
	if _, err := io.ReadFull(c.random, plain[:randomLength]); err != nil {
		return "", fmt.Errorf("wecom: read random prefix: %w", err)
	}
	binary.BigEndian.PutUint32(plain[randomLength:], uint32(len(msg)))
	plain = append(plain, msg...)
	plain = append(plain, c.receiveID...)
	pad := padBlock - len(plain)%padBlock // 1..32
	plain = append(plain, bytes.Repeat([]byte{byte(pad)}, pad)...)
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(c.block, c.iv).CryptBlocks(out, plain)
	return base64.StdEncoding.EncodeToString(out), nil
}

// decrypt opens a ciphertext whose signature has already been checked and
// returns the message. The receive id is checked when one is configured.
func (c *Crypto) decrypt(encrypted string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(encrypted)
	if err != nil {
		return nil, fmt.Errorf("%w：不是有效的 Base64 编码", ErrBadCiphertext)
	}
	if len(raw) == 0 || len(raw)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w：长度 %d 字节不是 16 的正整数倍", ErrBadCiphertext, len(raw))
	}
	plain := make([]byte, len(raw))
	cipher.NewCBCDecrypter(c.block, c.iv).CryptBlocks(plain, raw)
	plain, err = unpad(plain)
	if err != nil {
		return nil, err
	}
	if len(plain) < randomLength+4 {
		return nil, fmt.Errorf("%w：明文只有 %d 字节，不足 20 字节", ErrBadLength, len(plain))
	}
	n := uint64(binary.BigEndian.Uint32(plain[randomLength:]))
	rest := plain[randomLength+4:]
	if n > uint64(len(rest)) {
		return nil, fmt.Errorf("%w：长度字段为 %d，实际只剩 %d 字节", ErrBadLength, n, len(rest))
	}
	msg, receiveID := rest[:n], rest[n:]
	if c.receiveID != "" && string(receiveID) != c.receiveID {
		return nil, fmt.Errorf("%w：收到 %q，应为 %q", ErrReceiveID, receiveID, c.receiveID)
	}
	return msg, nil
}

// unpad removes PKCS#7 padding of 1..32 bytes, all equal to the pad length.
func unpad(plain []byte) ([]byte, error) {
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > padBlock || pad > len(plain) {
		return nil, fmt.Errorf("%w：填充值 %d 不在 1 到 32 之间", ErrBadPadding, pad)
	}
	var bad byte
	for _, b := range plain[len(plain)-pad:] {
		bad |= b ^ byte(pad)
	}
	if bad != 0 {
		return nil, fmt.Errorf("%w：填充字节不一致", ErrBadPadding)
	}
	return plain[:len(plain)-pad], nil
}
