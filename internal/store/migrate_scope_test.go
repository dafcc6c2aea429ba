package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestMigrationScopesConversations upgrades a database as release 10 left
// it (conversations keyed by the export's own id, message keys unique
// across the archive) and checks migration 00011: keys take the scope of
// their first import, messages keep their ids and keys, a re-import with
// the same scope finds the conversation again, and the same message key may
// now exist in two conversations.
func TestMigrationScopesConversations(t *testing.T) {
	ctx := context.Background()
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			now := "2024-03-01 10:00:00"
			// Keys are bytes since migration 00009.
			key := func(k string) string {
				if e.URL == "" {
					return "CAST('" + k + "' AS BLOB)"
				}
				return "'" + k + "'::bytea"
			}
			queries := []string{
				`INSERT INTO chat_imports (id, file_name, format, sha256, size, matter_id, imported_at, imported_by)
					VALUES (1, 'a.csv', 'wechatmsg-csv', 'aa', 1, 5, '` + now + `', 'zhang'),
					       (2, 'b.csv', 'wechatmsg-csv', 'bb', 1, 5, '` + now + `', 'li'),
					       (3, 'c.csv', 'chatlog-csv', 'cc', 1, NULL, '` + now + `', 'li')`,
				`INSERT INTO conversations (id, conv_key, kind, title, matter_id, created_at)
					VALUES (1, 'wechatmsg:7', 'direct', '王五', 5, '` + now + `'),
					       (2, 'chatlog:wxid_a', 'direct', '赵六', NULL, '` + now + `')`,
				`INSERT INTO conversation_sources (conversation_id, import_id) VALUES (1, 2), (1, 1), (2, 3)`,
				`INSERT INTO messages (id, conversation_id, msg_key, sender_wxid, sender_name, kind, body, import_id, source_line)
					VALUES (1000, 1, ` + key("wxsvr:1") + `, 'wxid_w', '王五', 'text', '你好', 1, 2),
					       (2000, 2, ` + key("wxsvr:2") + `, 'wxid_a', '赵六', 'text', '在吗', 3, 2)`,
			}
			if e.URL != "" {
				queries = append(queries, `SELECT setval(pg_get_serial_sequence('chat_imports', 'id'), 100)`,
					`SELECT setval(pg_get_serial_sequence('conversations', 'id'), 100)`)
			}
			db := upgradeWith(t, e, 10, queries)
			for id, want := range map[int64]string{1: "m:5/u:zhang|wechatmsg:7", 2: "u:li|chatlog:wxid_a"} {
				c, err := db.ConversationByID(ctx, id)
				if err != nil || c.Key != want || c.Messages != 1 {
					t.Fatalf("conversation %d after the upgrade: %+v, %v; want key %q and its message", id, c, err, want)
				}
			}
			msgs, err := db.Messages(ctx, store.MessageFilter{ConversationID: 1, Limit: 10})
			if err != nil || len(msgs) != 1 || msgs[0].ID != 1000 || msgs[0].Key != "wxsvr:1" || msgs[0].Text != "你好" {
				t.Fatalf("message after the upgrade: %+v, %v", msgs, err)
			}

			// A re-import as archive scopes it finds conversation 1; a message
			// with the same key goes into another conversation as a new row.
			err = db.Update(ctx, func(tx *store.Tx) error {
				imp := &model.ChatImport{FileName: "a.csv", Format: "wechatmsg-csv", SHA256: "aa", Size: 1, MatterID: 5, ImportedBy: "zhang"}
				if err := tx.CreateChatImport(ctx, imp); err != nil {
					return err
				}
				again := &model.Conversation{Key: "wechatmsg:7", Kind: model.ConversationDirect}
				existed, err := tx.EnsureConversation(ctx, again, store.ConversationOrigin{Scope: "m:5/u:zhang", MatterID: 5, ImportID: imp.ID})
				if err != nil {
					return err
				}
				if !existed || again.ID != 1 {
					t.Errorf("re-import found conversation %d (existed %v), want 1", again.ID, existed)
				}
				other := &model.Conversation{Key: "wechatmsg:7", Kind: model.ConversationDirect}
				if existed, err := tx.EnsureConversation(ctx, other, store.ConversationOrigin{Scope: "m:6/u:wang", MatterID: 6, ImportID: imp.ID}); err != nil || existed || other.ID == 1 {
					t.Errorf("another matter's export joined conversation 1: %d, %v, %v", other.ID, existed, err)
				}
				w, err := tx.NewMessageWriter(ctx, imp.ID)
				if err != nil {
					return err
				}
				defer w.Close()
				for _, c := range []int64{1, other.ID} {
					m := &model.Message{ConversationID: c, Key: "wxsvr:1", SenderWxID: "wxid_w", Kind: model.MessageText, Text: "你好"}
					m.SentAt = msgs[0].SentAt
					isNew, err := w.Insert(ctx, m)
					if err != nil {
						return err
					}
					if isNew != (c != 1) {
						t.Errorf("conversation %d: message new=%v", c, isNew)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// upgradeWith makes a database at schema version from, writes queries into
// it with a plain connection (rows as an older release stored them), then
// opens it with every migration applied; the database closes with the test.
func upgradeWith(t *testing.T, e storetest.Engine, from int64, queries []string) *store.DB {
	t.Helper()
	ctx := context.Background()
	old, err := store.Open(ctx, store.Options{DataDir: e.DataDir, URL: e.URL, Migrate: true, MigrateTo: from})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := old.SchemaVersion(ctx); v != from {
		t.Fatalf("schema version %d, want %d", v, from)
	}
	old.Close()
	raw := rawConn(t, e)
	for _, q := range queries {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	raw.Close()
	db, err := store.Open(ctx, store.Options{DataDir: e.DataDir, URL: e.URL, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func rawConn(t *testing.T, e storetest.Engine) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", e.DataDir+"/"+store.SQLiteFileName
	if e.URL != "" {
		driver, dsn = "pgx", e.URL
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return db
}
