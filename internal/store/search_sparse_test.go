package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// sparsePhrases put the bigrams of the searched words into messages apart
// from each other as well as together: 律师 without 费, 师费 in 讲师费,
// 合同 and 同法 in different words, 劳动 in 劳动仲裁. (No two Latin words
// meet: a Latin word is found as a whole word, not inside a longer one.)
var sparsePhrases = []string{"律师", "律师费", "讲师费", "师费", "合同", "合同法", "劳动合同法", "劳动仲裁", "同法",
	"押金", "律所", "费用", "Word文档", "收到", "仲裁委", "法律师", "同法律"}

// seedSparseArchive stores n messages of one to three random phrases in
// one conversation, one a minute, and returns their texts by id.
func seedSparseArchive(t *testing.T, db *store.DB, n int, seed uint64) map[int64]string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 17))
	return seedTexts(t, db, fmt.Sprint("s", seed), n, func(int) string {
		var parts []string
		for range 1 + rng.IntN(3) {
			parts = append(parts, sparsePhrases[rng.IntN(len(sparsePhrases))])
		}
		return strings.Join(parts, []string{"", "，", " "}[rng.IntN(3)])
	})
}

// seedTexts stores n messages with the texts text(0), text(1), … in one
// new conversation named by name, one a minute, and returns the texts by
// message id.
func seedTexts(t *testing.T, db *store.DB, name string, n int, text func(i int) string) map[int64]string {
	t.Helper()
	ctx := context.Background()
	texts := map[int64]string{}
	err := db.Update(ctx, func(tx *store.Tx) error {
		imp := &model.ChatImport{FileName: name + ".csv", Format: "wechatmsg-csv", SHA256: name, Size: 1, ImportedBy: "test"}
		if err := tx.CreateChatImport(ctx, imp); err != nil {
			return err
		}
		c := &model.Conversation{Key: "wxid_" + name, Kind: model.ConversationDirect, Title: "客户"}
		if _, err := tx.EnsureConversation(ctx, c, store.ConversationOrigin{Scope: "test", ImportID: imp.ID}); err != nil {
			return err
		}
		w, err := tx.NewMessageWriter(ctx, imp.ID)
		if err != nil {
			return err
		}
		defer w.Close()
		at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			m := &model.Message{Key: fmt.Sprintf("%s%d", name, i), ConversationID: c.ID, SentAt: at.Add(time.Duration(i) * time.Minute),
				SenderWxID: "wxid_a", Kind: model.MessageText, Text: text(i), SourceLine: i + 2}
			if _, err := w.Insert(ctx, m); err != nil {
				return err
			}
			texts[m.ID] = m.Text
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return texts
}

// TestSparseTokensKeepResults: whatever bigrams the SQLite MATCH leaves
// out, every search finds exactly the messages that hold each term (a
// scan of the stored texts), newest first, whole and page by page.
func TestSparseTokensKeepResults(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		texts := seedSparseArchive(t, db, 2000, 1)
		ids := slices.Sorted(func(yield func(int64) bool) {
			for id := range texts {
				if !yield(id) {
					return
				}
			}
		})
		slices.Reverse(ids)
		pruned := 0
		for _, terms := range [][]string{{"律师费"}, {"讲师费"}, {"劳动合同法"}, {"合同法", "押金"}, {"律师费", "押金"}, {"师费"},
			{"律师费用"}, {"同法律"}, {"法律师费"}, {"合同法律"}, {"word文档"}, {"劳动仲裁委"}, {"律师费", "讲师费"}, {"律所费"}} {
			if db.Dialect() == store.SQLite {
				var all []string
				for _, term := range terms {
					all = append(all, store.QueryTokens(term)...)
				}
				match, err := store.SparseTokensForTest(ctx, db, terms...)
				if err != nil {
					t.Fatal(err)
				}
				if len(match) < len(all) {
					pruned++
				}
			}
			var want []int64
			for _, id := range ids {
				ok := true
				for _, term := range terms {
					ok = ok && strings.Contains(strings.ToLower(texts[id]), strings.ToLower(term))
				}
				if ok {
					want = append(want, id)
				}
			}
			res, err := db.SearchMessages(ctx, store.SearchQuery{Terms: terms, Limit: 100_000, Budget: -1})
			if err != nil {
				t.Fatalf("%v: %v", terms, err)
			}
			if got := hitIDs(res.Hits); !slices.Equal(got, want) && len(got)+len(want) > 0 {
				t.Errorf("%v: %d hits %v…, want %d %v…", terms, len(got), head(got), len(want), head(want))
			}
			// Pages of 7 with the default budget, following the cursor.
			var all []int64
			q := store.SearchQuery{Terms: terms, Limit: 7}
			for {
				page, err := db.SearchMessages(ctx, q)
				if err != nil {
					t.Fatalf("%v: %v", terms, err)
				}
				got := hitIDs(page.Hits)
				all = append(all, got...)
				if len(got) < q.Limit {
					break
				}
				q.BeforeID = got[len(got)-1]
			}
			if !slices.Equal(all, want) && len(all)+len(want) > 0 {
				t.Errorf("%v, pages of 7: %d hits %v…, want %d %v…", terms, len(all), head(all), len(want), head(want))
			}
		}
		if db.Dialect() == store.SQLite && pruned < 3 {
			t.Errorf("the MATCH left bigrams out for only %d queries: the test does not exercise it", pruned)
		}
		t.Logf("%d queries searched with fewer bigrams", pruned)
	})
}

// TestSparseTokensLeaveCommonBigramsOut: the SQLite MATCH of a word keeps
// its rarest bigram, leaves out a bigram much more common than that, and
// keeps bigrams about as common as the rarest; an absent bigram alone is
// enough.
func TestSparseTokensLeaveCommonBigramsOut(t *testing.T) {
	// SQLite only: PostgreSQL looks words up through its GIN indexes.
	ctx := context.Background()
	db := storetest.Open(t, storetest.Engine{Name: "sqlite", DataDir: t.TempDir()}, fixedClock())
	// 律师 in every message, 律师费 in one of 40; 劳动法 (both of its
	// bigrams only there) in one of 3.
	seedTexts(t, db, "c", 3000, func(i int) string {
		text := "律师您好"
		if i%40 == 0 {
			text = "律师费已付"
		}
		if i%3 == 0 {
			text += "，劳动法"
		}
		return text
	})
	for _, c := range []struct {
		terms []string
		want  []string
	}{
		{[]string{"律师费"}, []string{"师费"}},
		{[]string{"劳动法"}, []string{"劳动", "动法"}},
		{[]string{"律师所"}, []string{"师所"}},
		{[]string{"律师费", "劳动法"}, []string{"师费", "劳动", "动法"}},
		{[]string{"律师", "费"}, []string{"律师", "费"}},    // single tokens always stay
		{[]string{"word律师费"}, []string{"word", "师费"}}, // a word and a run of the same term
	} {
		got, err := store.SparseTokensForTest(ctx, db, c.terms...)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%v: MATCH tokens %v, want %v", c.terms, got, c.want)
		}
	}
}
