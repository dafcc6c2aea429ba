package chatexport

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/model"
)

// parsed is everything one Parse call produced.
type parsed struct {
	convs []*model.Conversation // in order of first appearance
	msgs  []*model.Message
	conv  []*model.Conversation // the conversation of each message
	stats Stats
}

func parseBytes(t testing.TB, name string, data []byte, format Format, opts Options) (parsed, error) {
	t.Helper()
	var out parsed
	seen := map[*model.Conversation]bool{}
	stats, err := Parse(context.Background(), bytesReader(data), name, format, opts,
		func(conv *model.Conversation, msg *model.Message) error {
			if !seen[conv] {
				seen[conv] = true
				out.convs = append(out.convs, conv)
			}
			out.msgs = append(out.msgs, msg)
			out.conv = append(out.conv, conv)
			return nil
		})
	out.stats = stats
	return out, err
}

func parseFixture(t *testing.T, file string, format Format, opts Options) parsed {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	out, err := parseBytes(t, file, data, format, opts)
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	checkInvariants(t, out)
	return out
}

// checkInvariants holds for every successful parse.
func checkInvariants(t testing.TB, out parsed) {
	t.Helper()
	keys := map[string]int{}
	for i, msg := range out.msgs {
		if msg.Key == "" {
			t.Errorf("message %d (line %d) has no key", i, msg.SourceLine)
		}
		if j, dup := keys[msg.Key]; dup && out.conv[i] == out.conv[j] {
			t.Errorf("messages %d and %d share key %s", j, i, msg.Key)
		}
		keys[msg.Key] = i
		if !utf8.ValidString(msg.Text) || !utf8.ValidString(msg.SenderName) {
			t.Errorf("message %d has invalid UTF-8", i)
		}
		if msg.SentAt.Location().String() != "UTC" {
			t.Errorf("message %d SentAt not UTC: %v", i, msg.SentAt)
		}
		if msg.Kind == "" {
			t.Errorf("message %d has no kind", i)
		}
	}
	if out.stats.Messages != len(out.msgs) {
		t.Errorf("Stats.Messages = %d, emitted %d", out.stats.Messages, len(out.msgs))
	}
}

func bytesReader(b []byte) *bytesReaderT { return &bytesReaderT{b: b} }

// bytesReaderT hands out data in small pieces to exercise buffering.
type bytesReaderT struct{ b []byte }

func (r *bytesReaderT) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 777)], r.b)
	r.b = r.b[n:]
	return n, nil
}
