package store_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// budgetPhrases make the random messages: 押金 and 工资 never meet in one
// message (they are in different phrases and a message holds one phrase
// and maybe 律师), so 押金 工资 finds nothing while each word is common.
var budgetPhrases = []string{"押金不退", "拖欠工资", "合同已签", "仲裁申请", "收到", "押金的合同"}

// seedBudgetArchive stores n random messages over a year or two (quiet
// days, two gaps of months, busy days, several messages in one second) in three
// conversations, through MessageWriter.Add (PostgreSQL's COPY path) and
// Insert alike.
func seedBudgetArchive(t *testing.T, db *store.DB, n int) (convs []int64) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(30, 2026))
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx *store.Tx) error {
		imp := &model.ChatImport{FileName: "b.csv", Format: "wechatmsg-csv", SHA256: "b0", Size: 1, ImportedBy: "test"}
		if err := tx.CreateChatImport(ctx, imp); err != nil {
			return err
		}
		for i := range 3 {
			c := &model.Conversation{Key: fmt.Sprintf("wxid_b%d", i), Kind: model.ConversationDirect, Title: fmt.Sprintf("客户%d", i)}
			if _, err := tx.EnsureConversation(ctx, c, store.ConversationOrigin{Scope: "test", ImportID: imp.ID}); err != nil {
				return err
			}
			convs = append(convs, c.ID)
		}
		w, err := tx.NewMessageWriter(ctx, imp.ID)
		if err != nil {
			return err
		}
		defer w.Close()
		at := base
		for i := range n {
			switch r := rng.IntN(100); {
			case i == n/3 || i == 2*n/3:
				at = at.Add(time.Duration(100+rng.IntN(300)) * 24 * time.Hour) // months without a message
			case r < 3:
				at = at.Add(time.Duration(2+rng.IntN(5)) * 24 * time.Hour) // quiet days
			case r < 50:
				at = at.Add(time.Duration(rng.IntN(3)) * time.Second) // busy: same or next second
			default:
				at = at.Add(time.Duration(rng.IntN(4*3600)) * time.Second)
			}
			text := budgetPhrases[rng.IntN(len(budgetPhrases))]
			if rng.IntN(3) == 0 {
				text = "律师，" + text
			}
			sender := "wxid_a"
			if rng.IntN(2) == 0 {
				sender = "wxid_b"
			}
			m := &model.Message{Key: fmt.Sprintf("b%d", i), ConversationID: convs[rng.IntN(len(convs))], SentAt: at,
				SenderWxID: sender, Kind: model.MessageText, Text: text, SourceLine: i + 2}
			if i%2 == 0 {
				err = w.Add(ctx, m)
			} else {
				_, err = w.Insert(ctx, m)
			}
			if err != nil {
				return err
			}
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return convs
}

// TestSearchBudgetWindows: a search in windows of a few messages with a
// budget of a few dozen finds exactly what one unbounded statement finds,
// and following its cursors (the last hit of a full page, or More when
// the budget stopped it) to the end yields every hit exactly once, newest
// first; with filters and a visible-conversation set in every window. The
// archive spans several quarters: on PostgreSQL the windows' statements
// read the quarters' token indexes (search_buckets.go).
func TestSearchBudgetWindows(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		convs := seedBudgetArchive(t, db, 1500)
		from := time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC)
		to := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)
		stopped := 0
		for _, terms := range [][]string{{"押金"}, {"押金", "工资"}, {"合同", "押金"}, {"律师", "工资"}, {"仲裁"}, {"押金工资"}, {"收"}} {
			for _, f := range []struct {
				name string
				q    store.SearchQuery
			}{
				{"no filter", store.SearchQuery{}},
				{"conversation", store.SearchQuery{ConversationID: convs[1]}},
				{"sender", store.SearchQuery{Sender: "wxid_b"}},
				{"visible set", store.SearchQuery{Visible: &store.ConversationSet{IDs: []int64{convs[0], convs[2]}}}},
				{"nothing visible", store.SearchQuery{Visible: &store.ConversationSet{}}},
				{"dates", store.SearchQuery{From: from, To: to}},
				{"dates and visible", store.SearchQuery{From: from, To: to, Visible: &store.ConversationSet{IDs: []int64{convs[1]}}}},
			} {
				name := fmt.Sprintf("%v, %s", terms, f.name)
				q := f.q
				q.Terms = terms
				whole := q
				whole.Budget, whole.Limit = -1, 1_000_000
				ref, err := db.SearchMessages(ctx, whole)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				want := hitIDs(ref.Hits)
				if ref.More != 0 {
					t.Fatalf("%s: an unbounded search stopped at %d", name, ref.More)
				}

				// Many windows in one request, no budget stop: the same hits.
				windows := q
				windows.Budget, windows.Window, windows.Limit = 1<<40, 7, 1_000_000
				got, err := db.SearchMessages(ctx, windows)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if ids := hitIDs(got.Hits); !slices.Equal(ids, want) || got.More != 0 {
					t.Errorf("%s, windows of 7: %d hits %v…, more %d; want %d %v…", name, len(ids), head(ids), got.More, len(want), head(want))
				}

				// Tiny windows and budgets, pages of a few: follow the cursors.
				for _, wb := range [][3]int{{5, 20, 4}, {13, 13, 50}, {40, 150, 7}, {1, 3, 1000}} {
					p := q
					p.Window, p.Budget, p.Limit = wb[0], wb[1], wb[2]
					var all []int64
					for steps := 0; ; steps++ {
						if steps > 10_000 {
							t.Fatalf("%s %v: no end after %d requests", name, wb, steps)
						}
						res, err := db.SearchMessages(ctx, p)
						if err != nil {
							t.Fatalf("%s %v: %v", name, wb, err)
						}
						ids := hitIDs(res.Hits)
						all = append(all, ids...)
						for _, h := range res.Hits {
							if p.Visible != nil && !slices.Contains(p.Visible.IDs, h.Message.ConversationID) {
								t.Fatalf("%s %v: message %d of invisible conversation %d", name, wb, h.Message.ID, h.Message.ConversationID)
							}
						}
						if len(ids) > p.Limit {
							t.Fatalf("%s %v: %d hits, limit %d", name, wb, len(ids), p.Limit)
						}
						if res.More != 0 {
							stopped++
							if len(ids) == p.Limit {
								t.Fatalf("%s %v: a full page says it stopped at the budget", name, wb)
							}
							if len(ids) > 0 && ids[len(ids)-1] < res.More {
								t.Fatalf("%s %v: hit %d below the bound %d", name, wb, ids[len(ids)-1], res.More)
							}
							if p.BeforeID != 0 && res.More >= p.BeforeID {
								t.Fatalf("%s %v: bound %d does not move below %d", name, wb, res.More, p.BeforeID)
							}
							p.BeforeID = res.More
							continue
						}
						if len(ids) < p.Limit {
							break
						}
						p.BeforeID = ids[len(ids)-1]
					}
					if !slices.Equal(all, want) {
						t.Errorf("%s %v: the cursors yield %d hits %v…, want %d %v…", name, wb, len(all), head(all), len(want), head(want))
					}
				}
			}
		}
		t.Logf("%d requests stopped at their budget", stopped)
		if stopped == 0 {
			t.Error("no search stopped at its budget: the test does not exercise the continuation")
		}
	})
}

func hitIDs(hits []store.SearchHit) []int64 {
	ids := []int64{}
	for _, h := range hits {
		ids = append(ids, h.Message.ID)
	}
	return ids
}

// TestMessageDays: the per-day counts follow every insert (one by one and
// PostgreSQL's COPY) and the deletion of a conversation, every counted
// day has its mark in SQLite's search index, and the top mark (migration
// 00035) stays there, once.
func TestMessageDays(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		convs := seedBudgetArchive(t, db, 1500)
		check := func(when string) {
			t.Helper()
			stored, counted, bad, err := store.MessageDaysForTest(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(stored, counted) {
				t.Errorf("%s: message_days %v, messages per day %v", when, stored, counted)
			}
			if len(bad) > 0 {
				t.Errorf("%s: days without exactly one mark: %v", when, bad)
			}
			if len(stored) < 10 {
				t.Errorf("%s: only %d days", when, len(stored))
			}
			if db.Dialect() == store.SQLite {
				if n, atTop, err := store.TopMarkForTest(ctx, db); err != nil || n != 1 || !atTop {
					t.Errorf("%s: %d top marks, at the top %v (%v); want exactly one", when, n, atTop, err)
				}
			}
		}
		check("after the import")
		// A second import of the same messages adds none (duplicates).
		seedBudgetArchive(t, db, 1500)
		check("after a repeated import")
		if err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.DeleteConversation(ctx, convs[1])
			return err
		}); err != nil {
			t.Fatal(err)
		}
		check("after deleting a conversation")
		res, err := db.SearchMessages(ctx, store.SearchQuery{Terms: []string{"押金"}, Limit: 10_000, Budget: -1})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.Message.ConversationID == convs[1] {
				t.Fatal("a deleted conversation's message was found")
			}
		}
	})
}

// TestMigrationCountsMessageDays: migration 00030 counts the messages
// already stored, per day, and marks each day in SQLite's search index.
func TestMigrationCountsMessageDays(t *testing.T) {
	ctx := context.Background()
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			key := "CAST('k%d' AS BLOB)"
			if e.URL != "" {
				key = "'k%d'::bytea"
			}
			queries := []string{
				`INSERT INTO chat_imports (id, file_name, format, sha256, size, imported_at, imported_by)
					VALUES (1, 'a.csv', 'wechatmsg-csv', 'aa', 1, '2025-03-01 10:00:00', 'zhang')`,
				`INSERT INTO conversations (id, conv_key, kind, title, created_at)
					VALUES (1, 'u:zhang|wechatmsg:7', 'direct', '王五', '2025-03-01 10:00:00')`,
			}
			base := time.Date(2025, 3, 1, 23, 59, 58, 0, time.UTC).Unix()
			want := map[int64]int64{}
			for i, sec := range []int64{base, base, base + 1, base + 2, base + 3, base + 86400*3, base + 86400*40} {
				id := sec<<20 | int64(i)
				want[sec/86400]++
				queries = append(queries, fmt.Sprintf(`INSERT INTO messages (id, conversation_id, msg_key, sender_wxid, sender_name, kind, body, import_id, source_line)
					VALUES (%d, 1, `+key+`, 'wxid_w', '王五', 'text', '押金', 1, %d)`, id, i, i+2))
			}
			db := upgradeWith(t, e, 29, queries)
			stored, counted, bad, err := store.MessageDaysForTest(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(stored, want) || !maps.Equal(counted, want) || len(bad) > 0 {
				t.Errorf("after the migration: message_days %v, counted %v, want %v; days without their mark %v", stored, counted, want, bad)
			}
		})
	}
}
