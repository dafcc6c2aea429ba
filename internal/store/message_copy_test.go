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

// TestAddMatchesInsert feeds the same messages to Insert (one by one) and
// to Add (batched with COPY on PostgreSQL), each into its own conversation
// and time range, with another import already holding slots in the same
// seconds: both must store the same messages in the same slots, in file
// order within a second, and count the same duplicates.
func TestAddMatchesInsert(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		baseA := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
		baseB := baseA.AddDate(1, 0, 0)
		const n = 12000 // more than two COPY batches
		type spec struct {
			key    string
			offset time.Duration
		}
		var specs []spec
		for i := range n {
			// Three messages a second, written out of time order every
			// 7th message, a key repeated every 11th (within a batch) and
			// every 5001st message repeating one of the first (across
			// batches).
			off := time.Duration(i/3) * time.Second
			if i%7 == 0 {
				off = time.Duration(i%50) * time.Second
			}
			key := fmt.Sprintf("h:%032x", i)
			switch {
			case i%11 == 10 && (i/640)%2 == 0: // stretches without (whole SQLite batches)
				key = fmt.Sprintf("h:%032x", i-1)
			case i > 0 && i%5001 == 0:
				key = fmt.Sprintf("h:%032x", i%97)
			}
			specs = append(specs, spec{key, off})
		}
		newConv := func(tx *store.Tx, imp int64, name string) *model.Conversation {
			c := &model.Conversation{Key: name, Kind: model.ConversationDirect, Title: name}
			if _, err := tx.EnsureConversation(ctx, c, store.ConversationOrigin{Scope: "test", ImportID: imp}); err != nil {
				t.Fatal(err)
			}
			return c
		}
		convIDs := map[string]int64{}
		write := func(add bool, convName string, base time.Time, list []spec) (newN, dupN int) {
			t.Helper()
			err := db.Update(ctx, func(tx *store.Tx) error {
				imp := &model.ChatImport{FileName: convName, Format: "wechatmsg-csv", SHA256: "ab", Size: 1, ImportedBy: "test"}
				if err := tx.CreateChatImport(ctx, imp); err != nil {
					return err
				}
				conv := newConv(tx, imp.ID, convName)
				convIDs[convName] = conv.ID
				w, err := tx.NewMessageWriter(ctx, imp.ID)
				if err != nil {
					return err
				}
				defer w.Close()
				for i, s := range list {
					m := &model.Message{Key: s.key, ConversationID: conv.ID, SentAt: base.Add(s.offset), SenderWxID: "wxid_a",
						Kind: model.MessageText, Text: fmt.Sprintf("第%d条 合同押金 编号%d", i, i%13), SourceLine: i + 2}
					if add {
						err = w.Add(ctx, m)
					} else {
						_, err = w.Insert(ctx, m)
					}
					if err != nil {
						return err
					}
				}
				if err := w.Flush(ctx); err != nil {
					return err
				}
				newN, dupN = w.New, w.Duplicate
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return newN, dupN
		}
		// Another import holds slot 0 of every 5th second in both ranges.
		var other []spec
		for s := 0; s < n/3; s += 5 {
			other = append(other, spec{fmt.Sprintf("other-%d", s), time.Duration(s) * time.Second})
		}
		write(false, "otherA", baseA, other)
		write(false, "otherB", baseB, other)
		newA, dupA := write(false, "A", baseA, specs)
		newB, dupB := write(true, "B", baseB, specs)
		if newA != newB || dupA != dupB || newA+dupA != n || dupA == 0 {
			t.Fatalf("Insert: %d new, %d duplicates; Add: %d new, %d duplicates", newA, dupA, newB, dupB)
		}
		// Adding the same messages again finds every one stored.
		if again, dup := write(true, "B", baseB, specs); again != 0 || dup != n {
			t.Fatalf("re-import with Add: %d new, %d duplicates, want 0 and %d", again, dup, n)
		}
		shape := func(name string, base time.Time) []string {
			t.Helper()
			convs, err := db.Conversations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			id := convIDs[name]
			for _, c := range convs {
				if c.ID == id {
					if c.Messages != newA {
						t.Errorf("%s: message count %d, want %d", name, c.Messages, newA)
					}
				}
			}
			msgs, err := db.Messages(ctx, store.MessageFilter{ConversationID: id})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range msgs {
				out = append(out, fmt.Sprintf("%s@%d/%d:%s", m.Key, m.ID>>20-base.Unix(), m.ID&(1<<20-1), m.Text))
			}
			// The search index holds each stored message once, under its id.
			res, err := db.SearchMessages(ctx, store.SearchQuery{Terms: []string{"编号7"}, ConversationID: id, Budget: -1, Limit: n})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				out = append(out, fmt.Sprintf("hit %d/%d:%s", h.Message.ID>>20-base.Unix(), h.Message.ID&(1<<20-1), h.Message.Text))
			}
			return out
		}
		a, b := shape("A", baseA), shape("B", baseB)
		hits := 0
		for _, line := range a {
			if strings.HasPrefix(line, "hit ") {
				hits++
			}
		}
		if hits < newA/13-10 || len(a) != newA+hits || !slices.Equal(a, b) {
			i := 0
			for i < min(len(a), len(b)) && a[i] == b[i] {
				i++
			}
			t.Fatalf("Insert and Add stored different messages (%d and %d, %d new); first difference at %d: %q / %q",
				len(a), len(b), newA, i, a[i:min(i+3, len(a))], b[i:min(i+3, len(b))])
		}
	})
}

// TestCopyFallsBackOnConflict: a batch goes straight into messages with
// COPY because writers are serialised; should a row be taken all the same
// between resolving the batch and writing it (here another connection
// writes the slot the first message was given), the batch is written
// through INSERT … ON CONFLICT DO NOTHING instead: every message is stored,
// the one that lost its slot in the next slot of its second, and the
// other row is untouched.
func TestCopyFallsBackOnConflict(t *testing.T) {
	ctx := context.Background()
	for _, e := range storetest.Engines(t) {
		if e.URL == "" {
			continue // SQLite writes row by row
		}
		db := storetest.Open(t, e, fixedClock())
		raw := rawConn(t, e)
		defer raw.Close()
		at := time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC)
		var convID, impID int64
		store.SetBeforeCopyForTest(t, func() {
			_, err := raw.ExecContext(ctx, `INSERT INTO messages (id, conversation_id, msg_key, sender_wxid, sender_name, kind, body, import_id, source_line, tokens)
				VALUES ($1, $2, 'intruder'::bytea, 'wxid_x', 'x', 'text', '抢先', $3, 1, ARRAY['抢先'])`, at.Unix()<<20, convID, impID)
			if err != nil {
				t.Error(err)
			}
		})
		// The conversation and an import exist (committed) before the
		// other connection writes into them.
		err := db.Update(ctx, func(tx *store.Tx) error {
			imp := &model.ChatImport{FileName: "c.csv", Format: "wechatmsg-csv", SHA256: "cc", Size: 1, ImportedBy: "test"}
			if err := tx.CreateChatImport(ctx, imp); err != nil {
				return err
			}
			c := &model.Conversation{Key: "conflict", Kind: model.ConversationDirect, Title: "冲突"}
			if _, err := tx.EnsureConversation(ctx, c, store.ConversationOrigin{Scope: "test", ImportID: imp.ID}); err != nil {
				return err
			}
			convID, impID = c.ID, imp.ID
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var newN int
		err = db.Update(ctx, func(tx *store.Tx) error {
			w, err := tx.NewMessageWriter(ctx, impID)
			if err != nil {
				return err
			}
			defer w.Close()
			for i := range 10 {
				m := &model.Message{Key: fmt.Sprintf("k%d", i), ConversationID: convID, SentAt: at.Add(time.Duration(i/2) * time.Second),
					SenderWxID: "wxid_a", Kind: model.MessageText, Text: "合同押金", SourceLine: i + 2}
				if err := w.Add(ctx, m); err != nil {
					return err
				}
			}
			if err := w.Flush(ctx); err != nil {
				return err
			}
			newN = w.New
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if newN != 10 {
			t.Fatalf("%d new messages, want 10", newN)
		}
		ids, err := store.QueryAllForTest(ctx, db, func(r interface{ Scan(...any) error }) (string, error) {
			var id int64
			var key []byte
			err := r.Scan(&id, &key)
			return fmt.Sprintf("%d:%s", id-at.Unix()<<20, key), err
		}, "SELECT id, msg_key FROM messages WHERE id >= ? AND id < ? ORDER BY id", at.Unix()<<20, (at.Unix()+1)<<20)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != 3 || ids[0] != "0:intruder" {
			t.Fatalf("the first second holds %v, want the intruder in slot 0 and both messages after it", ids)
		}
	}
}
