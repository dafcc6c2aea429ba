package chatexport

import (
	"testing"

	"github.com/lvxin/lvxin/internal/model"
)

// Every message keeps its place in the source (the export's own sequence
// number and the physical record number); a jump in the sequence of one
// conversation is reported with how many numbers are missing, less the
// records of other conversations and the skipped records the file has in
// between.
func TestSourcePositionsAndGaps(t *testing.T) {
	type want struct {
		seq, prev, missing int64
		record             int
	}
	tests := []struct {
		file   string
		format Format
		want   []want
		skips  []Skip
	}{
		{"holes/wechatmsg_holes.csv", FormatWeChatMsgCSV, []want{
			{seq: 1040, record: 1}, {seq: 1041, record: 2}, {seq: 1045, record: 3, prev: 1041, missing: 3}, {seq: 1046, record: 4},
		}, nil},
		{"holes/wecom_holes.jsonl", FormatWeComJSON, []want{
			{seq: 101, record: 1}, {seq: 102, record: 2},
			{seq: 104, record: 4},                        // 103 is the skipped switch record: not missing
			{seq: 105, record: 5},                        // another conversation
			{seq: 109, record: 6, prev: 104, missing: 3}, // 105 is in the file (other chat): 106–108 are missing
		}, []Skip{{Record: 3, Line: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			out := parseFixture(t, tt.file, tt.format, Options{SelfWxID: "zhanglawyer"})
			if len(out.msgs) != len(tt.want) {
				t.Fatalf("%d messages, want %d", len(out.msgs), len(tt.want))
			}
			for i, w := range tt.want {
				got := out.msgs[i].Source
				if got != (model.SourcePosition{Seq: w.seq, Record: w.record, GapPrevSeq: w.prev, GapMissing: w.missing}) {
					t.Errorf("message %d: source %+v, want %+v", i, got, w)
				}
			}
			if len(out.stats.Skipped) != len(tt.skips) {
				t.Fatalf("skips %+v, want %+v", out.stats.Skipped, tt.skips)
			}
			for i, s := range tt.skips {
				if got := out.stats.Skipped[i]; got.Record != s.Record || got.Line != s.Line || got.Reason == "" {
					t.Errorf("skip %d: %+v, want record %d line %d with a reason", i, got, s.Record, s.Line)
				}
			}
		})
	}
}

// chatlog's seq is the second × 1000 plus a counter: only a jump of the
// counter within one second is a gap.
func TestChatlogSeqGapsWithinASecond(t *testing.T) {
	data := []byte(`[
{"seq":1709258400000,"time":"2024-03-01T10:00:00+08:00","talker":"wxid_a","sender":"wxid_a","type":1,"content":"一"},
{"seq":1709258400003,"time":"2024-03-01T10:00:00+08:00","talker":"wxid_a","sender":"wxid_a","type":1,"content":"二"},
{"seq":1709258460000,"time":"2024-03-01T10:01:00+08:00","talker":"wxid_a","sender":"wxid_a","type":1,"content":"三"}
]`)
	out, err := parseBytes(t, "c.json", data, FormatChatlogJSON, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.msgs[1].Source; got.GapMissing != 2 || got.GapPrevSeq != 1709258400000 {
		t.Errorf("second message: %+v, want 2 missing after …000", got)
	}
	if got := out.msgs[2].Source; got.GapMissing != 0 {
		t.Errorf("next second: %+v, want no gap", got)
	}
}

func TestSeqName(t *testing.T) {
	for f, want := range map[Format]string{FormatWeChatMsgCSV: "localId", FormatChatlogJSON: "seq", FormatPyWxDumpCSV: "id",
		FormatWeComJSON: "seq", FormatChatlogCSV: "", FormatForwardedText: ""} {
		if got := SeqName(f); got != want {
			t.Errorf("SeqName(%s) = %q, want %q", f, got, want)
		}
	}
}
