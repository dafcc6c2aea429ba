package store_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestMigrationPrefixesHashKeys: migration 00033 puts each stored hash key
// behind its message's second and leaves text keys alone; the keys read
// back as before, and importing the same messages again finds every one a
// duplicate (hash keys at their own second, text keys at any time).
func TestMigrationPrefixesHashKeys(t *testing.T) {
	ctx := context.Background()
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			blob := func(b []byte) string {
				if e.URL != "" {
					return `'\x` + hex.EncodeToString(b) + `'::bytea`
				}
				return "X'" + hex.EncodeToString(b) + "'"
			}
			tokens, cols := "", ""
			if e.URL != "" {
				tokens, cols = ", ARRAY['押金']", ", tokens"
			}
			queries := []string{
				`INSERT INTO chat_imports (id, file_name, format, sha256, size, imported_at, imported_by)
					VALUES (100, 'a.csv', 'wechatmsg-csv', 'aa', 1, '2025-03-01 10:00:00', 'zhang')`,
				`INSERT INTO conversations (id, conv_key, kind, title, created_at)
					VALUES (1, 'u:zhang|wechatmsg:7', 'direct', '王五', '2025-03-01 10:00:00')`,
			}
			base := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
			keys := []string{
				"h:00112233445566778899aabbccddeeff",
				"h:77786276723a31323334353637383930", // 16 bytes that spell "wxsvr:1234567890"
				"wxsvr:1234567890",                   // a text key of 16 bytes
				"wecom:abcdefghij",
				"chatlog:wxid_a:1709258400000",
				"h:ffeeddccbbaa99887766554433221100",
			}
			for i, k := range keys {
				stored := []byte(k)
				if k[0] == 'h' {
					stored, _ = hex.DecodeString(k[2:]) // as migration 00009 stored it
				}
				id := base.Add(time.Duration(i)*time.Hour).Unix()<<20 | 3
				queries = append(queries, fmt.Sprintf(`INSERT INTO messages (id, conversation_id, msg_key, sender_wxid, sender_name, kind, body, import_id, source_line`+cols+`)
					VALUES (%d, 1, %s, 'wxid_w', '王五', 'text', '押金', 100, %d`+tokens+`)`, id, blob(stored), i+2))
			}
			db := upgradeWith(t, e, 32, queries)
			msgs, err := db.Messages(ctx, store.MessageFilter{ConversationID: 1})
			if err != nil || len(msgs) != len(keys) {
				t.Fatalf("messages: %v %d", err, len(msgs))
			}
			for i, m := range msgs {
				if m.Key != keys[i] {
					t.Errorf("key %d after the migration: %q, want %q", i, m.Key, keys[i])
				}
			}
			lengths, err := store.QueryAllForTest(ctx, db, func(r interface{ Scan(...any) error }) (int64, error) {
				var n int64
				return n, r.Scan(&n)
			}, "SELECT length(msg_key) FROM messages ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			if want := []int64{20, 20, 16, 16, 28, 20}; fmt.Sprint(lengths) != fmt.Sprint(want) {
				t.Errorf("stored key lengths %v, want %v", lengths, want)
			}
			// The same messages again: all duplicates.
			err = db.Update(ctx, func(tx *store.Tx) error {
				imp := &model.ChatImport{FileName: "b.csv", Format: "wechatmsg-csv", SHA256: "bb", Size: 1, ImportedBy: "zhang"}
				if err := tx.CreateChatImport(ctx, imp); err != nil {
					return err
				}
				w, err := tx.NewMessageWriter(ctx, imp.ID)
				if err != nil {
					return err
				}
				defer w.Close()
				for i, k := range keys {
					at := base.Add(time.Duration(i) * time.Hour)
					if k[0] != 'h' {
						at = at.Add(-90 * time.Minute) // another tool's time: still the same message
					}
					if ok, err := w.Insert(ctx, &model.Message{Key: k, ConversationID: 1, SentAt: at, Kind: model.MessageText, Text: "押金"}); err != nil || ok {
						return fmt.Errorf("%s inserted again: %v %v", k, ok, err)
					}
				}
				return w.Flush(ctx)
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
