package ledger

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

const testOrigin = "lvxin.test/evidence"

// testClock returns a clock that advances one second per call.
func testClock() func() time.Time {
	t := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

type testKeys struct {
	skey, vkey string
	signer     note.Signer
	verifier   note.Verifier
}

func newKeys(t testing.TB) testKeys {
	t.Helper()
	skey, vkey, err := GenerateKey(testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return testKeys{skey, vkey, signer, verifier}
}

func openTestLog(t testing.TB, st Storage, keys testKeys, ts Timestamper) *Log {
	t.Helper()
	l, err := Open(context.Background(), st, keys.signer, keys.verifier, testOrigin, ts, testClock())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// inputFor returns a valid input whose digests are those of content.
func inputFor(t testing.TB, name, content string) EntryInput {
	t.Helper()
	d := NewDigester()
	d.Write([]byte(content))
	return EntryInput{Name: name, Matter: "（2025）京0105民初1号", Digests: d.Sum()}
}

// appendN appends n entries one call at a time.
func appendN(t testing.TB, l *Log, n int) []Entry {
	t.Helper()
	var out []Entry
	for i := range n {
		es, err := l.Append(context.Background(), []EntryInput{inputFor(t, fmt.Sprintf("证据%d.txt", i), fmt.Sprintf("内容 %d", i))})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, es...)
	}
	return out
}
