package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
)

// Seeds beyond testdata/fuzz: the published sample bodies and ciphertexts.
func addVectorSeeds(f *testing.F) {
	for _, v := range officialVectors {
		if v.body != "" {
			f.Add([]byte(v.body))
		} else {
			f.Add([]byte(v.echostr))
		}
	}
}

// refusal reports whether err is one of the package's sentinel refusals.
func refusal(err error) bool {
	for _, sentinel := range []error{ErrBadSignature, ErrBadTimestamp, ErrStaleTimestamp, ErrReplay,
		ErrBadCiphertext, ErrBadPadding, ErrBadLength, ErrReceiveID, ErrDoctype, ErrBadBody} {
		if errors.Is(err, sentinel) {
			return true
		}
	}
	return false
}

// FuzzParseBody: any body is parsed or refused with a sentinel; what parses
// has a ciphertext and survives a trip through the JSON body shape.
func FuzzParseBody(f *testing.F) {
	addVectorSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := ParseBody(body)
		if err != nil {
			if !refusal(err) {
				t.Fatalf("refusal without a sentinel: %v", err)
			}
			return
		}
		if env.Encrypt == "" || env.Format != FormatXML && env.Format != FormatJSON {
			t.Fatalf("accepted %q as %+v", body, env)
		}
		if env.Format == FormatXML && bytes.Contains(bytes.ToUpper(body), []byte("<!DOCTYPE")) &&
			!bytes.Contains(body, []byte("<![CDATA[")) && !bytes.Contains(body, []byte("<!--")) {
			t.Fatalf("accepted an XML body with a DOCTYPE: %q", body)
		}
		again, err := json.Marshal(map[string]string{"tousername": env.ToUserName, "encrypt": env.Encrypt, "agentid": env.AgentID})
		if err != nil {
			t.Fatal(err)
		}
		env2, err := ParseBody(again)
		if err != nil || env2.Encrypt != env.Encrypt || env2.ToUserName != env.ToUserName || env2.AgentID != env.AgentID {
			t.Fatalf("%s re-parsed as %+v, %v", again, env2, err)
		}
	})
}

// FuzzDecryptMsg drives the whole callback path with a body whose signature
// is correct, so the fuzzer reaches the decryption and its checks: every
// outcome is the plaintext or a sentinel refusal, never a panic.
func FuzzDecryptMsg(f *testing.F) {
	addVectorSeeds(f)
	c := testCrypto(f, func(cfg *Config) { cfg.Now = clockAt(f, "1409659589", 0) })
	f.Fuzz(func(t *testing.T, body []byte) {
		q := Query{Timestamp: "1409659589", Nonce: "263014780"}
		if env, err := ParseBody(body); err == nil {
			q.MsgSignature = Signature(sampleToken2014, q.Timestamp, q.Nonce, env.Encrypt)
		}
		msg, err := c.DecryptMsg(context.Background(), q, body)
		if err != nil {
			if !refusal(err) {
				t.Fatalf("refusal without a sentinel: %v", err)
			}
			return
		}
		if len(msg.Plaintext) > len(msg.Encrypt) {
			t.Fatalf("plaintext of %d bytes from %d characters of ciphertext", len(msg.Plaintext), len(msg.Encrypt))
		}
	})
}

// FuzzDecrypt: arbitrary ciphertexts never panic, and any message encrypts
// and decrypts back to itself.
func FuzzDecrypt(f *testing.F) {
	addVectorSeeds(f)
	c := testCrypto(f, nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := c.decrypt(string(data)); err != nil && !refusal(err) {
			t.Fatalf("refusal without a sentinel: %v", err)
		}
		encrypted, err := c.Encrypt(data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.decrypt(encrypted)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("round trip of %q gave %q, %v", data, got, err)
		}
	})
}

// FuzzMessageKey: decrypted messages are keyed or refused, never a panic.
func FuzzMessageKey(f *testing.F) {
	for _, v := range officialVectors {
		f.Add([]byte(v.plaintext))
	}
	f.Fuzz(func(t *testing.T, plain []byte) {
		key, err := MessageKey(plain)
		if err != nil {
			if !refusal(err) {
				t.Fatalf("refusal without a sentinel: %v", err)
			}
			return
		}
		if key == "" {
			t.Fatalf("empty key for %q", plain)
		}
	})
}
