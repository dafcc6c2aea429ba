package chatexport

import (
	"bytes"
	"context"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
)

func BenchmarkParseWeChatMsgCSV(b *testing.B) {
	var buf bytes.Buffer
	if err := GenerateWeChatMsgCSV(&buf, 50_000, 1); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		n := 0
		_, err := Parse(context.Background(), bytes.NewReader(data), "bench.csv", FormatWeChatMsgCSV, Options{},
			func(*model.Conversation, *model.Message) error { n++; return nil })
		if err != nil || n != 50_000 {
			b.Fatalf("parsed %d messages, err %v", n, err)
		}
	}
	b.ReportMetric(float64(len(data))/50_000, "bytes/msg")
}

func TestGenerateWeChatMsgCSV(t *testing.T) {
	var a, b bytes.Buffer
	if err := GenerateWeChatMsgCSV(&a, 2000, 7); err != nil {
		t.Fatal(err)
	}
	if err := GenerateWeChatMsgCSV(&b, 2000, 7); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed gave different output")
	}
	if f, err := Detect(a.Bytes()[:4096]); err != nil || f != FormatWeChatMsgCSV {
		t.Fatalf("Detect = %q, %v", f, err)
	}
	out, err := parseBytes(t, "gen.csv", a.Bytes(), FormatWeChatMsgCSV, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, out)
	if len(out.msgs) != 2000 || len(out.convs) != 5 {
		t.Fatalf("got %d messages in %d conversations, want 2000 in 5", len(out.msgs), len(out.convs))
	}
	groups := 0
	for _, c := range out.convs {
		if c.Kind == model.ConversationGroup {
			groups++
		}
	}
	if groups != 2 {
		t.Errorf("got %d groups, want 2", groups)
	}
	for _, kind := range []model.MessageKind{model.MessageText, model.MessageImage, model.MessageVoice, model.MessageFile, model.MessageLink, model.MessageRevoke, model.MessageSticker} {
		if out.stats.Kinds[kind] == 0 {
			t.Errorf("no %s messages generated", kind)
		}
	}
}
