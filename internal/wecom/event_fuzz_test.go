package wecom

import (
	"testing"
)

// FuzzParseEvent: any decrypted plaintext is read or refused with a
// sentinel; what is read has a Kind, and a DOCTYPE is never read.
func FuzzParseEvent(f *testing.F) {
	for _, v := range officialVectors {
		f.Add([]byte(v.plaintext))
	}
	for _, o := range []SimOptions{{Kind: SimMessage, Text: "您好"}, {Kind: SimAddContact}, {Kind: SimGroup}} {
		p, err := SimPlaintext(o)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, plain []byte) {
		ev, err := ParseEvent(plain)
		if err != nil {
			if !refusal(err) {
				t.Fatalf("refusal without a sentinel: %v", err)
			}
			return
		}
		if ev.Kind() == "" {
			t.Fatalf("no kind for %q", plain)
		}
		if ev.MsgType == "event" && ev.Kind() != "event:"+ev.Event {
			t.Fatalf("kind %q for event %q", ev.Kind(), ev.Event)
		}
	})
}

// TestDedupKeyMatchesMessageKey: the endpoint's key (from the parsed event)
// is MessageKey's for every sample and simulated callback.
func TestDedupKeyMatchesMessageKey(t *testing.T) {
	var plains [][]byte
	for _, v := range officialVectors {
		plains = append(plains, []byte(v.plaintext))
	}
	for _, o := range []SimOptions{{Kind: SimMessage, Text: "x", MsgID: " 42 "}, {Kind: SimAddContact}, {Kind: SimGroup}} {
		p, _ := SimPlaintext(o)
		plains = append(plains, p)
	}
	for _, p := range plains {
		ev, err := ParseEvent(p)
		if err != nil {
			continue // the malformed JSON sample
		}
		want, err := MessageKey(p)
		if err != nil || ev.dedupKey(p) != want {
			t.Errorf("%q: key %q, MessageKey %q (%v)", p, ev.dedupKey(p), want, err)
		}
	}
}
