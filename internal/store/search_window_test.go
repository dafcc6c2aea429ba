package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestSearchBeyondTheRecentWindow compares search results with a scan of
// the stored texts on a conversation larger than PostgreSQL's recent window
// (1,000 then 8,000 messages) and its candidate cap (2,000): common words that fill
// the page at once, a word found only among older messages, a filter that
// leaves the common word's page to older messages (more candidates than
// the cap, and with a word in every message), words that never meet, and paging across the window.
func TestSearchBeyondTheRecentWindow(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 3600
		base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		type stored struct {
			id     int64
			text   string
			sender string
		}
		var all []stored
		err := db.Update(ctx, func(tx *store.Tx) error {
			imp := &model.ChatImport{FileName: "w.csv", Format: "wechatmsg-csv", SHA256: "ef", Size: 1, ImportedBy: "test"}
			if err := tx.CreateChatImport(ctx, imp); err != nil {
				return err
			}
			conv := &model.Conversation{Key: "wxid_big", Kind: model.ConversationDirect, Title: "大客户"}
			if _, err := tx.EnsureConversation(ctx, conv, store.ConversationOrigin{Scope: "test", ImportID: imp.ID}); err != nil {
				return err
			}
			w, err := tx.NewMessageWriter(ctx, imp.ID)
			if err != nil {
				return err
			}
			defer w.Close()
			for i := range n {
				text := "收到"
				switch {
				case i%4 == 0:
					text = "合同已经发您"
				case i%4 == 1:
					text = "押金的事"
				case i%4 == 2:
					text = "工资拖欠"
				}
				text = "律师，" + text                   // in every message: more candidates than the cap
				if i == 10 || i == 700 || i == 3500 { // two old, one among the newest 1,000
					text += "，仲裁委立案"
				}
				sender := "wxid_big"
				if i < n-recentWindowOfTest-500 && i%2 == 0 {
					sender = "wxid_old" // only older than the recent window
				}
				m := &model.Message{Key: fmt.Sprintf("m%d", i), ConversationID: conv.ID, SentAt: base.Add(time.Duration(i) * time.Minute),
					SenderWxID: sender, Kind: model.MessageText, Text: text, SourceLine: i + 2}
				if ok, err := w.Insert(ctx, m); err != nil || !ok {
					return fmt.Errorf("insert %d: %v %v", i, ok, err)
				}
				all = append(all, stored{m.ID, text, sender})
			}
			return w.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Reverse(all) // newest first, as search answers
		scan := func(q store.SearchQuery) []int64 {
			limit := q.Limit
			if limit == 0 {
				limit = 50
			}
			var ids []int64
			for _, m := range all {
				ok := q.BeforeID == 0 || m.id < q.BeforeID
				for _, term := range q.Terms {
					ok = ok && strings.Contains(m.text, term)
				}
				if ok && (q.Sender == "" || m.sender == q.Sender) && len(ids) < limit {
					ids = append(ids, m.id)
				}
			}
			return ids
		}
		for _, tc := range []struct {
			name string
			q    store.SearchQuery
		}{
			{"common word", store.SearchQuery{Terms: []string{"合同"}}},
			{"rare word, mostly older", store.SearchQuery{Terms: []string{"仲裁"}}},
			{"common word, filter only older messages pass", store.SearchQuery{Terms: []string{"合同"}, Sender: "wxid_old"}},
			{"word in every message, filter only older messages pass", store.SearchQuery{Terms: []string{"律师"}, Sender: "wxid_old"}},
			{"word in one message of sixty", store.SearchQuery{Terms: []string{"开庭"}}},
			{"words that never meet", store.SearchQuery{Terms: []string{"押金", "工资"}}},
			{"absent bigram", store.SearchQuery{Terms: []string{"押金工资"}}},
			{"page across the window", store.SearchQuery{Terms: []string{"押金"}, Limit: 30, BeforeID: all[980].id}},
			{"rare word paged past the newest hit", store.SearchQuery{Terms: []string{"仲裁"}, Limit: 1, BeforeID: all[n-3500].id}},
		} {
			hits, err := db.SearchMessages(ctx, tc.q)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			var got []int64
			for _, h := range hits.Hits {
				got = append(got, h.Message.ID)
			}
			if want := scan(tc.q); !slices.Equal(got, want) {
				t.Errorf("%s: got %d hits %v…, want %d %v…", tc.name, len(got), head(got), len(want), head(want))
			}
		}
	})
}

// recentWindowOfTest mirrors store.recentWindows[0] (PostgreSQL's first step).
const recentWindowOfTest = 1000

func head(ids []int64) []int64 { return ids[:min(len(ids), 3)] }
