package delivery

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"
	"time"
)

func testKey(t testing.TB, b byte) *Key {
	k, err := NewKey(bytes.Repeat([]byte{b}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestTokenRoundTripAndTampering(t *testing.T) {
	k := testKey(t, 1)
	tok := Token{DeliveryID: 42, Nonce: newNonce(), Expires: time.Date(2026, 12, 13, 8, 0, 0, 0, time.UTC)}
	s := k.Sign(tok)
	if len(s) != TokenChars {
		t.Fatalf("token length %d, want %d", len(s), TokenChars)
	}
	got, err := k.Parse(s)
	if err != nil || got != tok {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	// Every single-bit change anywhere is refused.
	raw, _ := base64.RawURLEncoding.DecodeString(s)
	for i := range raw {
		for bit := 0; bit < 8; bit++ {
			alt := bytes.Clone(raw)
			alt[i] ^= 1 << bit
			if _, err := k.Parse(base64.RawURLEncoding.EncodeToString(alt)); !errors.Is(err, ErrBadToken) {
				t.Fatalf("byte %d bit %d flipped: %v", i, bit, err)
			}
		}
	}
	// Another key's token, truncation, padding and junk are refused.
	for _, bad := range []string{testKey(t, 2).Sign(tok), s[:len(s)-1], s + "A", s + "=", "", "../../etc/passwd",
		string(bytes.Repeat([]byte("A"), TokenChars))} {
		if _, err := k.Parse(bad); !errors.Is(err, ErrBadToken) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := NewKey([]byte("short")); err == nil {
		t.Error("a short key was accepted")
	}
}

func TestKeyFileIsCreatedOnceAndReused(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	tok := Token{DeliveryID: 1, Nonce: newNonce(), Expires: time.Unix(1_800_000_000, 0).UTC()}
	if _, err := k2.Parse(k1.Sign(tok)); err != nil {
		t.Fatalf("the reloaded key does not verify: %v", err)
	}
}

func TestUnlockAndCodeHash(t *testing.T) {
	k := testKey(t, 3)
	if !k.CheckUnlock("n1", k.UnlockValue("n1")) || k.CheckUnlock("n2", k.UnlockValue("n1")) || k.CheckUnlock("n1", "") {
		t.Fatal("unlock values are not bound to their link")
	}
	if k.codeHash("n1", "123456") == k.codeHash("n2", "123456") || k.codeHash("n1", "123456") == k.codeHash("n1", "123457") {
		t.Fatal("code hashes collide")
	}
	for range 100 {
		if c := newCode(); len(c) != 6 {
			t.Fatalf("code %q", c)
		}
	}
}

// FuzzParseToken: no input makes the parser panic or accept a token that
// does not re-sign to itself.
func FuzzParseToken(f *testing.F) {
	k := testKey(f, 7)
	f.Add(k.Sign(Token{DeliveryID: 1, Expires: time.Unix(1_800_000_000, 0)}))
	f.Add("")
	f.Add("AAAA")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := k.Parse(s)
		if err != nil {
			return
		}
		if k.Sign(tok) != s {
			t.Fatalf("accepted %q, which re-signs differently", s)
		}
	})
}
