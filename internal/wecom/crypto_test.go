package wecom

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"
)

// testCrypto is the sample configuration, its clock 30 s after the
// sample's timestamp.
func testCrypto(t testing.TB, mutate func(*Config)) *Crypto {
	t.Helper()
	cfg := Config{Token: sampleToken2014, EncodingAESKey: sampleAESKey2014, ReceiveID: sampleCorp2014,
		Now: clockAt(t, "1409659589", 30*time.Second)}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sealRaw encrypts plain exactly as given (the caller supplies any padding)
// with the sample key, so tests can build malformed plaintexts.
func sealRaw(t testing.TB, plain []byte) string {
	t.Helper()
	key, err := DecodeAESKey(sampleAESKey2014)
	if err != nil {
		t.Fatal(err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(out, plain)
	return base64.StdEncoding.EncodeToString(out)
}

// framed builds random16 || uint32be(length) || msg || receiveID.
func framed(length uint32, msg, receiveID string) []byte {
	b := make([]byte, 20, 20+len(msg)+len(receiveID))
	copy(b, "0123456789abcdef")
	binary.BigEndian.PutUint32(b[16:], length)
	b = append(b, msg...)
	return append(b, receiveID...)
}

// padded applies PKCS#7 to a multiple of 32 bytes.
func padded(b []byte) []byte {
	n := 32 - len(b)%32
	return append(b, bytes.Repeat([]byte{byte(n)}, n)...)
}

// signed is a query signing encrypted with the sample token at the sample time.
func signed(encrypted string) Query {
	return Query{MsgSignature: Signature(sampleToken2014, "1409659589", "263014780", encrypted), Timestamp: "1409659589", Nonce: "263014780"}
}

const sampleEchostr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="

func TestVerifyURLRefusals(t *testing.T) {
	good := signed(sampleEchostr)
	flipped := []byte(good.MsgSignature)
	flipped[0] ^= 1
	badPadValue := func(v byte) string {
		b := framed(1, "x", sampleCorp2014) // 39 bytes
		return sealRaw(t, append(b, bytes.Repeat([]byte{v}, 64-len(b))...))
	}
	unevenPad := sealRaw(t, append(framed(19, "1616140317555161061", sampleCorp2014), 7, 7, 7, 3, 7, 7, 7))
	cases := []struct {
		name    string
		mutate  func(*Config)
		query   Query
		echostr string
		want    error
	}{
		{"flipped signature", nil, Query{string(flipped), good.Timestamp, good.Nonce}, sampleEchostr, ErrBadSignature},
		{"empty signature", nil, Query{"", good.Timestamp, good.Nonce}, sampleEchostr, ErrBadSignature},
		{"other nonce", nil, Query{good.MsgSignature, good.Timestamp, "263014781"}, sampleEchostr, ErrBadSignature},
		{"missing nonce", nil, Query{good.MsgSignature, good.Timestamp, ""}, sampleEchostr, ErrBadSignature},
		{"other token", func(c *Config) { c.Token = "QDG6eL" }, good, sampleEchostr, ErrBadSignature},
		{"tampered ciphertext", nil, good, "Q" + sampleEchostr[1:], ErrBadSignature},
		{"timestamp 6 minutes old", func(c *Config) { c.Now = clockAt(t, "1409659589", 6*time.Minute) }, good, sampleEchostr, ErrStaleTimestamp},
		{"timestamp 6 minutes ahead", func(c *Config) { c.Now = clockAt(t, "1409659589", -6*time.Minute) }, good, sampleEchostr, ErrStaleTimestamp},
		{"timestamp today", func(c *Config) { c.Now = time.Now }, good, sampleEchostr, ErrStaleTimestamp},
		{"timestamp not a number", nil, Query{good.MsgSignature, "14096595a9", good.Nonce}, sampleEchostr, ErrBadTimestamp},
		{"timestamp negative", nil, Query{good.MsgSignature, "-1409659589", good.Nonce}, sampleEchostr, ErrBadTimestamp},
		{"timestamp missing", nil, Query{good.MsgSignature, "", good.Nonce}, sampleEchostr, ErrBadTimestamp},
		{"timestamp too long", nil, Query{good.MsgSignature, "99999999999999999999", good.Nonce}, sampleEchostr, ErrBadTimestamp},
		{"wrong receive id", func(c *Config) { c.ReceiveID = "ww1436e0e65a779aee" }, good, sampleEchostr, ErrReceiveID},
		{"missing echostr", nil, good, "", ErrBadBody},
		{"not base64", nil, signed("P9nA*zCz"), "P9nA*zCz", ErrBadCiphertext},
		{"not whole blocks", nil, signed("AAAAAAAAAAAAAAAAAAAA"), "AAAAAAAAAAAAAAAAAAAA", ErrBadCiphertext},
		{"pad value 0", nil, signed(badPadValue(0)), badPadValue(0), ErrBadPadding},
		{"pad value 33", nil, signed(badPadValue(33)), badPadValue(33), ErrBadPadding},
		{"pad bytes differ", nil, signed(unevenPad), unevenPad, ErrBadPadding},
		{"length beyond plaintext", nil, signed(sealRaw(t, padded(framed(200, "hello", sampleCorp2014)))),
			sealRaw(t, padded(framed(200, "hello", sampleCorp2014))), ErrBadLength},
		{"length 2^32-1", nil, signed(sealRaw(t, padded(framed(1<<32-1, "hello", sampleCorp2014)))),
			sealRaw(t, padded(framed(1<<32-1, "hello", sampleCorp2014))), ErrBadLength},
		{"shorter than the frame", nil, signed(sealRaw(t, padded([]byte("0123456789abcdef")))),
			sealRaw(t, padded([]byte("0123456789abcdef"))), ErrBadLength},
		{"receive id cut by the length", nil, signed(sealRaw(t, padded(framed(8, "hello", sampleCorp2014)))),
			sealRaw(t, padded(framed(8, "hello", sampleCorp2014))), ErrReceiveID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := testCrypto(t, tc.mutate)
			got, err := c.VerifyURL(context.Background(), tc.query, tc.echostr)
			if !errors.Is(err, tc.want) {
				t.Fatalf("VerifyURL = %q, %v; want %v", got, err, tc.want)
			}
			if got != nil {
				t.Fatalf("refused VerifyURL returned %q", got)
			}
		})
	}
}

// Everything the refusals above change is needed: the same frames, well
// formed, are accepted.
func TestWellFormedFramesAccepted(t *testing.T) {
	c := testCrypto(t, nil)
	for _, msg := range []string{"", "x", "hello", strings.Repeat("长", 40)} {
		encrypted := sealRaw(t, padded(framed(uint32(len(msg)), msg, sampleCorp2014)))
		got, err := c.VerifyURL(context.Background(), signed(encrypted), encrypted)
		if err != nil || string(got) != msg {
			t.Fatalf("VerifyURL(%q) = %q, %v", msg, got, err)
		}
	}
	// The plaintext is exactly a multiple of 32: a whole block of padding.
	exact := framed(uint32(64-20-len(sampleCorp2014)), strings.Repeat("a", 64-20-len(sampleCorp2014)), sampleCorp2014)
	encrypted := sealRaw(t, padded(exact))
	if _, err := c.VerifyURL(context.Background(), signed(encrypted), encrypted); err != nil {
		t.Fatal(err)
	}
	// Upper-case hex signatures are the same signature.
	q := signed(sampleEchostr)
	q.MsgSignature = strings.ToUpper(q.MsgSignature)
	if _, err := c.VerifyURL(context.Background(), q, sampleEchostr); err != nil {
		t.Fatal(err)
	}
}

func TestTimestampWindowIsConfigurable(t *testing.T) {
	q := signed(sampleEchostr)
	for _, tc := range []struct {
		window, offset time.Duration
		want           error
	}{
		{0, 5 * time.Minute, nil},
		{0, 5*time.Minute + time.Second, ErrStaleTimestamp},
		{10 * time.Minute, 6 * time.Minute, nil},
		{10 * time.Minute, -10 * time.Minute, nil},
		{10 * time.Minute, 11 * time.Minute, ErrStaleTimestamp},
		{time.Minute, 61 * time.Second, ErrStaleTimestamp},
	} {
		c := testCrypto(t, func(cfg *Config) {
			cfg.Window = tc.window
			cfg.Now = clockAt(t, q.Timestamp, tc.offset)
		})
		if _, err := c.VerifyURL(context.Background(), q, sampleEchostr); !errors.Is(err, tc.want) {
			t.Errorf("window %s, clock %s after: %v, want %v", tc.window, tc.offset, err, tc.want)
		}
	}
}

func TestReplayedNonceRefused(t *testing.T) {
	now := clockAt(t, "1409659589", 30*time.Second)
	cache, err := NewMemoryCache(100, 2*DefaultWindow, now)
	if err != nil {
		t.Fatal(err)
	}
	c := testCrypto(t, func(cfg *Config) { cfg.Nonces = cache })
	ctx := context.Background()
	q := signed(sampleEchostr)
	// A forged request with the same nonce does not burn it.
	if _, err := c.VerifyURL(ctx, Query{strings.Repeat("0", 40), q.Timestamp, q.Nonce}, sampleEchostr); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("forged: %v", err)
	}
	if _, err := c.VerifyURL(ctx, q, sampleEchostr); err != nil {
		t.Fatalf("first delivery: %v", err)
	}
	if _, err := c.VerifyURL(ctx, q, sampleEchostr); !errors.Is(err, ErrReplay) {
		t.Fatalf("replay: %v, want ErrReplay", err)
	}
	// The POST path shares the check.
	v := officialVectors[1]
	c2 := testCrypto(t, func(cfg *Config) { cfg.Nonces = cache; cfg.Now = clockAt(t, v.timestamp, 0) })
	if _, err := c2.DecryptMsg(ctx, v.query(), []byte(v.body)); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.DecryptMsg(ctx, v.query(), []byte(v.body)); !errors.Is(err, ErrReplay) {
		t.Fatalf("replayed POST: %v, want ErrReplay", err)
	}
}

func TestDecryptMsgRefusals(t *testing.T) {
	v := officialVectors[1]
	env, err := ParseBody([]byte(v.body))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		body string
		want error
	}{
		{"doctype", `<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>` + env.Encrypt + `</Encrypt></xml>`, ErrDoctype},
		{"doctype after the root", `<xml><Encrypt>` + env.Encrypt + `</Encrypt></xml><!DOCTYPE x>`, ErrDoctype},
		{"lower-case doctype", `<?xml version="1.0"?><!doctype xml><xml><Encrypt>` + env.Encrypt + `</Encrypt></xml>`, ErrDoctype},
		{"empty", "  \n", ErrBadBody},
		{"neither XML nor JSON", "Encrypt=" + env.Encrypt, ErrBadBody},
		{"XML without Encrypt", "<xml><ToUserName>x</ToUserName></xml>", ErrBadBody},
		{"second root", "<xml><Encrypt>" + env.Encrypt + "</Encrypt></xml><xml><Encrypt>x</Encrypt></xml>", ErrBadBody},
		{"root not xml", "<root><Encrypt>" + env.Encrypt + "</Encrypt></root>", ErrBadBody},
		{"Encrypt nested too deep", "<xml><a><Encrypt>" + env.Encrypt + "</Encrypt></a></xml>", ErrBadBody},
		{"mismatched end tag", "<xml><Encrypt>" + env.Encrypt + "</Encrypt></lmx>", ErrBadBody},
		{"broken XML", "<xml><Encrypt>" + env.Encrypt, ErrBadBody},
		{"JSON without encrypt", `{"tousername":"x","agentid":1}`, ErrBadBody},
		{"JSON with trailing data", `{"encrypt":"` + env.Encrypt + `"} {}`, ErrBadBody},
		{"JSON agentid an object", `{"encrypt":"` + env.Encrypt + `","agentid":{}}`, ErrBadBody},
		{"other ciphertext", `<xml><Encrypt>` + sampleEchostr + `</Encrypt></xml>`, ErrBadSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := testCrypto(t, func(cfg *Config) { cfg.Now = clockAt(t, v.timestamp, 0) })
			msg, err := c.DecryptMsg(context.Background(), v.query(), []byte(tc.body))
			if !errors.Is(err, tc.want) {
				t.Fatalf("DecryptMsg = %+v, %v; want %v", msg, err, tc.want)
			}
			if msg.Plaintext != nil {
				t.Fatalf("refused body returned plaintext %q", msg.Plaintext)
			}
		})
	}
	// The same ciphertext in other well-formed bodies is accepted.
	c := testCrypto(t, func(cfg *Config) { cfg.Now = clockAt(t, v.timestamp, 0) })
	for _, body := range []string{
		"\n<xml><Encrypt>" + env.Encrypt + "</Encrypt></xml>",
		`<?xml version="1.0" encoding="UTF-8"?><xml><AgentID>218</AgentID><Encrypt><![CDATA[` + env.Encrypt + `]]></Encrypt></xml>`,
		`{"encrypt":"` + env.Encrypt + `","agentid":"218"}`,
		`{"encrypt":"` + env.Encrypt + `"}`,
	} {
		if _, err := c.DecryptMsg(context.Background(), v.query(), []byte(body)); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
	}{
		{"empty token", Config{Token: "", EncodingAESKey: sampleAESKey2014}},
		{"short token", Config{Token: "ab", EncodingAESKey: sampleAESKey2014}},
		{"long token", Config{Token: strings.Repeat("a", 33), EncodingAESKey: sampleAESKey2014}},
		{"token with punctuation", Config{Token: "QDG6-eK", EncodingAESKey: sampleAESKey2014}},
		{"short key", Config{Token: sampleToken2014, EncodingAESKey: sampleAESKey2014[:42]}},
		{"key with padding", Config{Token: sampleToken2014, EncodingAESKey: sampleAESKey2014[:42] + "="}},
		{"key not base64", Config{Token: sampleToken2014, EncodingAESKey: "*" + sampleAESKey2014[1:]}},
		{"negative window", Config{Token: sampleToken2014, EncodingAESKey: sampleAESKey2014, Window: -time.Second}},
	}
	shortCache, err := NewMemoryCache(10, 9*time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, struct {
		name string
		cfg  Config
	}{"nonce cache shorter than twice the window", Config{Token: sampleToken2014, EncodingAESKey: sampleAESKey2014, Nonces: shortCache}})
	if _, err := New(Config{Token: sampleToken2014, EncodingAESKey: sampleAESKey2014, Nonces: shortCache, Window: 4 * time.Minute}); err != nil {
		t.Fatalf("9-minute cache with a 4-minute window: %v", err)
	}
	for _, tc := range cases {
		if c, err := New(tc.cfg); !errors.Is(err, ErrConfig) || c != nil {
			t.Errorf("%s: New = %v, %v; want ErrConfig", tc.name, c, err)
		}
	}
}

func TestEncryptUsesFreshRandomPrefix(t *testing.T) {
	c := testCrypto(t, nil)
	a, err := c.Encrypt([]byte("同一条消息"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Encrypt([]byte("同一条消息"))
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("two encryptions of one message are identical: the random prefix is not random")
	}
	short := testCrypto(t, func(cfg *Config) { cfg.Random = strings.NewReader("only 15 bytes!!") })
	if _, err := short.Encrypt([]byte("x")); err == nil {
		t.Fatal("Encrypt succeeded with a 15-byte random source")
	}
}

func TestEncryptReplyRefusals(t *testing.T) {
	c := testCrypto(t, nil)
	for _, tc := range []struct {
		timestamp, nonce string
		format           Format
		want             error
	}{
		{"14096595x9", "1", FormatXML, ErrBadTimestamp},
		{"1409659589", "", FormatXML, ErrBadBody},
		{"1409659589", "1", Format("yaml"), ErrBadBody},
	} {
		if out, err := c.EncryptReply([]byte("x"), tc.timestamp, tc.nonce, tc.format); !errors.Is(err, tc.want) {
			t.Errorf("EncryptReply(%q, %q, %q) = %s, %v; want %v", tc.timestamp, tc.nonce, tc.format, out, err, tc.want)
		}
	}
	// A nonce with XML metacharacters stays one nonce.
	reply, err := c.EncryptReply([]byte("x"), "1409659589", "a]]></Nonce><x>", FormatXML)
	if err != nil {
		t.Fatal(err)
	}
	env, err := ParseBody(reply)
	if err != nil {
		t.Fatal(err)
	}
	var r parsedXMLReply
	if err := xml.Unmarshal(reply, &r); err != nil {
		t.Fatal(err)
	}
	if r.Nonce != "a]]></Nonce><x>" || r.Encrypt != env.Encrypt {
		t.Fatalf("reply %s parsed as nonce %q", reply, r.Nonce)
	}
}
