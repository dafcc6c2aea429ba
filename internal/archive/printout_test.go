package archive_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestPrintoutGapWording: a jump in a per-chat sequence (chatlog's seq within
// one second) is a missing record; the printout says so plainly.
func TestPrintoutGapWording(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		file := filepath.Join(t.TempDir(), "chatlog.json")
		row := func(seq int64, content string) string {
			return `{"seq": ` + strconv.FormatInt(seq, 10) + `, "time": "2024-03-01T10:00:00+08:00", "talker": "wxid_client", "talkerName": "王五", "isChatRoom": false, "sender": "wxid_client", "senderName": "王五", "isSelf": false, "type": 1, "subType": 0, "content": "` + content + `"}`
		}
		data := "[\n" + row(1709258400000, "第一条") + ",\n" + row(1709258400001, "第二条") + ",\n" + row(1709258400004, "第五条") + "\n]\n"
		if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportFile(ctx, file, archive.ImportOptions{}, cli); err != nil {
			t.Fatal(err)
		}
		convs, err := db.Conversations(ctx)
		if err != nil || len(convs) != 1 {
			t.Fatalf("conversations: %d %v", len(convs), err)
		}
		p, err := s.Printout(ctx, convs[0].ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		var marks []string
		for _, l := range p.Lines {
			marks = append(marks, l.Marks...)
		}
		joined := strings.Join(marks, "\n")
		if p.Gaps != 1 || !strings.Contains(joined, "此处缺少 2 条原始记录") || strings.Contains(joined, "可能属于其他会话") {
			t.Fatalf("gaps %d, marks:\n%s", p.Gaps, joined)
		}
	})
}
