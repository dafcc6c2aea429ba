package wecom

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// BenchmarkDecryptMsg is the crypto share of handling one callback: parse
// the official XML sample, check timestamp, signature and nonce, decrypt.
func BenchmarkDecryptMsg(b *testing.B) {
	v := officialVectors[1]
	cache, err := NewMemoryCache(1<<20, 2*DefaultWindow, clockAt(b, v.timestamp, 0))
	if err != nil {
		b.Fatal(err)
	}
	c := testCrypto(b, func(cfg *Config) { cfg.Now = clockAt(b, v.timestamp, 0); cfg.Nonces = cache })
	env, err := ParseBody([]byte(v.body))
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(v.body)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		nonce := strconv.Itoa(i)
		i++
		q := Query{Signature(v.token, v.timestamp, nonce, env.Encrypt), v.timestamp, nonce}
		if _, err := c.DecryptMsg(ctx, q, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncryptReply is the crypto share of a passive reply.
func BenchmarkEncryptReply(b *testing.B) {
	v := officialVectors[1]
	c := testCrypto(b, func(cfg *Config) { cfg.Now = func() time.Time { return time.Unix(1409659813, 0) } })
	plain := []byte(v.plaintext)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.EncryptReply(plain, v.timestamp, v.nonce, FormatXML); err != nil {
			b.Fatal(err)
		}
	}
}
