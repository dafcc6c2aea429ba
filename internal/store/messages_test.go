package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// Keys are stored as bytes (hash keys as their 16 bytes) and read back as
// they were given; source positions and skipped records are kept.
func TestMessageKeysPositionsAndSkips(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		base := time.Date(2024, 5, 1, 2, 0, 0, 0, time.UTC)
		keys := []string{
			"h:00112233445566778899aabbccddeeff",
			"h:77786276723a31323334353637383930", // the bytes spell "wxsvr:1234567890": stored as text below, must not clash
			"wxsvr:1234567890",                   // 16 bytes of text
			"chatlog:wxid_a:1709258400000",
			"h:ABCDEF00112233445566778899AABBCC", // not lower-case hex: kept as text
			"k",
		}
		conv := &model.Conversation{Key: "wxid_wangwu", Kind: model.ConversationDirect, Title: "王五"}
		var importID int64
		err := db.Update(ctx, func(tx *store.Tx) error {
			imp := &model.ChatImport{FileName: "a.csv", Format: "wechatmsg-csv", SHA256: "ab", Size: 1, ImportedBy: "test"}
			if err := tx.CreateChatImport(ctx, imp); err != nil {
				return err
			}
			importID = imp.ID
			if _, err := tx.EnsureConversation(ctx, conv, store.ConversationOrigin{Scope: "test", ClientID: 0, MatterID: 0, ImportID: imp.ID}); err != nil {
				return err
			}
			w, err := tx.NewMessageWriter(ctx, imp.ID)
			if err != nil {
				return err
			}
			defer func() {
				if err := w.Flush(ctx); err != nil {
					t.Error(err)
				}
				w.Close()
			}()
			for i, k := range keys {
				m := &model.Message{Key: k, ConversationID: conv.ID, SentAt: base.Add(time.Duration(i) * time.Second),
					Kind: model.MessageText, Text: "消息 " + k,
					Source: model.SourcePosition{Seq: int64(1040 + i), Record: i + 2, GapPrevSeq: int64(i), GapMissing: int64(i * 2)}}
				if ok, err := w.Insert(ctx, m); err != nil || !ok {
					t.Errorf("insert %s: %v %v", k, ok, err)
				}
			}
			for i, k := range keys {
				// A text key (a server id) is the same message whatever
				// time another export gives it. A hash key is made from
				// its second (chatexport), so it only ever recurs with
				// that second.
				at := base
				if len(k) == 34 && strings.HasPrefix(k, "h:") && strings.ToLower(k) == k {
					at = base.Add(time.Duration(i) * time.Second)
				}
				if ok, err := w.Insert(ctx, &model.Message{Key: k, ConversationID: conv.ID, SentAt: at, Kind: model.MessageText}); err != nil || ok {
					t.Errorf("duplicate %s inserted: %v %v", k, ok, err)
				}
			}
			return tx.AddChatImportSkips(ctx, imp.ID, []model.SkippedRecord{{Record: 1, Line: 2, Reason: "切换企业日志"}, {Record: 9, Line: 12, Reason: "其他"}})
		})
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := db.Messages(ctx, store.MessageFilter{ConversationID: conv.ID})
		if err != nil || len(msgs) != len(keys) {
			t.Fatalf("messages: %v %d", err, len(msgs))
		}
		for i, m := range msgs {
			if m.Key != keys[i] {
				t.Errorf("key %d = %q, want %q", i, m.Key, keys[i])
			}
			want := model.SourcePosition{Seq: int64(1040 + i), Record: i + 2, GapPrevSeq: int64(i), GapMissing: int64(i * 2)}
			if m.Source != want {
				t.Errorf("source %d = %+v, want %+v", i, m.Source, want)
			}
		}
		skips, err := db.ChatImportSkips(ctx, importID)
		if err != nil || len(skips) != 2 || skips[0] != (model.SkippedRecord{Record: 1, Line: 2, Reason: "切换企业日志"}) || skips[1].Record != 9 {
			t.Fatalf("skips: %v %+v", err, skips)
		}
	})
}
