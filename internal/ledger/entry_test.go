package ledger

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestEncodeEntryCanonical(t *testing.T) {
	e := Entry{
		Index: 7, SHA256: strings.Repeat("a", 64), SM3: strings.Repeat("b", 64), Size: 12,
		Name: "合同<终稿>&.pdf", Matter: "M-1", AddedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.FixedZone("CST", 8*3600)),
	}
	got, err := encodeEntry(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"added_at":"2025-01-01T19:04:05Z","index":7,"matter":"M-1","name":"合同<终稿>&.pdf",` +
		`"sha256":"` + strings.Repeat("a", 64) + `","size":12,"sm3":"` + strings.Repeat("b", 64) + `"}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	parsed, err := ParseEntry(got)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.Name != e.Name || parsed.Index != 7 || !parsed.AddedAt.Equal(e.AddedAt) || len(parsed.LeafHash) != 32 {
		t.Errorf("round trip = %+v", parsed)
	}
}

func TestParseEntryRejects(t *testing.T) {
	good := `{"added_at":"2025-01-01T19:04:05Z","index":7,"matter":"","name":"a","sha256":"` + strings.Repeat("a", 64) + `","size":1,"sm3":"` + strings.Repeat("b", 64) + `"}`
	if _, err := ParseEntry([]byte(good)); err != nil {
		t.Fatalf("good entry refused: %v", err)
	}
	tests := []struct{ name, data string }{
		{"whitespace", strings.Replace(good, `"index":7`, `"index": 7`, 1)},
		{"key order", strings.Replace(good, `"added_at":"2025-01-01T19:04:05Z","index":7`, `"index":7,"added_at":"2025-01-01T19:04:05Z"`, 1)},
		{"extra field", strings.Replace(good, `"index":7`, `"index":7,"x":1`, 1)},
		{"escaped html", strings.Replace(good, `"name":"a"`, `"name":"\u003c"`, 1)},
		{"non-UTC time", strings.Replace(good, `19:04:05Z`, `19:04:05+08:00`, 1)},
		{"upper hex", strings.Replace(good, strings.Repeat("a", 64), strings.Repeat("A", 64), 1)},
		{"short digest", strings.Replace(good, strings.Repeat("a", 64), "aa", 1)},
		{"empty name", strings.Replace(good, `"name":"a"`, `"name":""`, 1)},
		{"negative size", strings.Replace(good, `"size":1`, `"size":-1`, 1)},
		{"trailing newline", good + "\n"},
		{"two values", good + good},
		{"not json", "index 7"},
		{"invalid utf8", strings.Replace(good, `"name":"a"`, "\"name\":\"\xff\"", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseEntry([]byte(tt.data)); !errors.Is(err, ErrBadEntry) {
				t.Errorf("ParseEntry error = %v, want ErrBadEntry", err)
			}
		})
	}
}

func FuzzParseEntry(f *testing.F) {
	f.Add([]byte(`{"added_at":"2025-01-01T19:04:05Z","index":7,"matter":"","name":"a","sha256":"` + strings.Repeat("a", 64) + `","size":1,"sm3":"` + strings.Repeat("b", 64) + `"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"name":"\u2028"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ParseEntry(data)
		if err != nil {
			return
		}
		again, err := encodeEntry(e)
		if err != nil || string(again) != string(data) {
			t.Fatalf("accepted non-canonical entry %q (re-encodes to %q, %v)", data, again, err)
		}
	})
}
