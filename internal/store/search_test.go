package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestQueryTokens(t *testing.T) {
	for _, tc := range []struct {
		term string
		want []string
	}{
		{"钱", []string{"钱"}},
		{"合同", []string{"合同"}},
		{"违约金", []string{"违约", "约金"}},
		{"A股", []string{"a", "股"}},
		{"WeChat 2023年", []string{"wechat", "2023", "年"}},
		{"。！", nil},
	} {
		if got := store.QueryTokens(tc.term); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("QueryTokens(%q) = %q, want %q", tc.term, got, tc.want)
		}
	}
}

// chatFixture stores two conversations and returns them.
func chatFixture(t *testing.T, db *store.DB) (direct, group *model.Conversation, base time.Time) {
	t.Helper()
	ctx := context.Background()
	base = time.Date(2024, 5, 1, 2, 0, 0, 0, time.UTC)
	direct = &model.Conversation{Key: "wxid_wangwu", Kind: model.ConversationDirect, Title: "王五",
		Participants: []model.Participant{{WxID: "wxid_wangwu", Nickname: "王五", Remark: "王总"}, {WxID: "wxid_self", Nickname: "张律师", IsSelf: true}}}
	group = &model.Conversation{Key: "123@chatroom", Kind: model.ConversationGroup, Title: "租赁纠纷群",
		Participants: []model.Participant{{WxID: "wxid_lisi", Nickname: "李四"}}}
	msgs := []struct {
		conv   *model.Conversation
		offset time.Duration
		sender string
		text   string
	}{
		{direct, 0, "wxid_wangwu", "张律师您好，合同我看过了"},
		{direct, time.Minute, "wxid_self", "违约金约定的是百分之二十"},
		{direct, time.Minute, "wxid_wangwu", "钱什么时候退？"}, // same second as the previous one
		{group, 2 * time.Minute, "wxid_lisi", "押金的事怎么办，违约了吗"},
		{group, 3 * time.Hour, "wxid_lisi", "Contract signed in WeChat 群里"},
		{direct, 48 * time.Hour, "wxid_wangwu", "违约，金额另算"},
	}
	err := db.Update(ctx, func(tx *store.Tx) error {
		imp := &model.ChatImport{FileName: "a.csv", Format: "wechatmsg-csv", SHA256: "ab", Size: 1, ImportedBy: "test"}
		if err := tx.CreateChatImport(ctx, imp); err != nil {
			return err
		}
		for _, c := range []*model.Conversation{direct, group} {
			if _, err := tx.EnsureConversation(ctx, c, store.ConversationOrigin{Scope: "test", ClientID: 0, MatterID: 7, ImportID: imp.ID}); err != nil {
				return err
			}
			if err := tx.SaveConversation(ctx, c); err != nil {
				return err
			}
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
		for i, m := range msgs {
			msg := &model.Message{Key: "k" + string(rune('a'+i)), ConversationID: m.conv.ID, SentAt: base.Add(m.offset),
				SenderWxID: m.sender, Kind: model.MessageText, Text: m.text, SourceLine: i + 2}
			if ok, err := w.Insert(ctx, msg); err != nil || !ok {
				t.Fatalf("insert %d: %v %v", i, ok, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return direct, group, base
}

func hitTexts(t *testing.T, db *store.DB, q store.SearchQuery) []string {
	t.Helper()
	hits, err := db.SearchMessages(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	var out []string
	for _, h := range hits.Hits {
		out = append(out, h.Message.Text)
	}
	return out
}

func TestSearchMessages(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		direct, group, base := chatFixture(t, db)
		cases := []struct {
			name string
			q    store.SearchQuery
			want []string
		}{
			{"one character", store.SearchQuery{Terms: []string{"钱"}}, []string{"钱什么时候退？"}},
			{"two characters newest first", store.SearchQuery{Terms: []string{"违约"}},
				[]string{"违约，金额另算", "押金的事怎么办，违约了吗", "违约金约定的是百分之二十"}},
			{"phrase is exact", store.SearchQuery{Terms: []string{"违约金"}}, []string{"违约金约定的是百分之二十"}},
			{"no straddling bigram", store.SearchQuery{Terms: []string{"约金额"}}, nil},
			{"AND", store.SearchQuery{Terms: []string{"违约", "押金"}}, []string{"押金的事怎么办，违约了吗"}},
			{"latin case-insensitive with spaces", store.SearchQuery{Terms: []string{"wechat 群"}}, []string{"Contract signed in WeChat 群里"}},
			{"conversation filter", store.SearchQuery{Terms: []string{"违约"}, ConversationID: group.ID}, []string{"押金的事怎么办，违约了吗"}},
			{"matter filter", store.SearchQuery{Terms: []string{"违约"}, MatterID: 8}, nil},
			{"contact filter", store.SearchQuery{Terms: []string{"违约"}, Contact: "王总"}, []string{"违约，金额另算", "违约金约定的是百分之二十"}},
			{"sender filter", store.SearchQuery{Terms: []string{"违约"}, Sender: "wxid_self"}, []string{"违约金约定的是百分之二十"}},
			{"date range", store.SearchQuery{Terms: []string{"违约"}, From: base.Add(time.Minute), To: base.Add(time.Hour)},
				[]string{"押金的事怎么办，违约了吗", "违约金约定的是百分之二十"}},
			{"limit", store.SearchQuery{Terms: []string{"违约"}, Limit: 1}, []string{"违约，金额另算"}},
		}
		for _, tc := range cases {
			if got := hitTexts(t, db, tc.q); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
		}
		if _, err := db.SearchMessages(context.Background(), store.SearchQuery{Terms: []string{"！"}}); !errors.Is(err, store.ErrEmptyQuery) {
			t.Errorf("punctuation-only query: %v", err)
		}
		// Time order within one second keeps file order.
		msgs, err := db.Messages(context.Background(), store.MessageFilter{ConversationID: direct.ID})
		if err != nil || len(msgs) != 4 || msgs[1].Text != "违约金约定的是百分之二十" || msgs[2].Text != "钱什么时候退？" {
			t.Fatalf("messages: %v %+v", err, msgs)
		}
		conv, err := db.ConversationByID(context.Background(), direct.ID)
		if err != nil || conv.Messages != 4 || len(conv.Participants) != 2 || conv.MatterID != 7 || !conv.LastAt.Equal(base.Add(48*time.Hour)) {
			t.Fatalf("conversation: %v %+v", err, conv)
		}
	})
}

func TestMessageDedupAndDelete(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		direct, _, base := chatFixture(t, db)
		// A second import with a known key and a new message in an occupied second.
		err := db.Update(ctx, func(tx *store.Tx) error {
			imp := &model.ChatImport{FileName: "b.csv", Format: "wechatmsg-csv", SHA256: "cd", ImportedBy: "test"}
			if err := tx.CreateChatImport(ctx, imp); err != nil {
				return err
			}
			if _, err := tx.EnsureConversation(ctx, direct, store.ConversationOrigin{Scope: "test", ClientID: 0, MatterID: 0, ImportID: imp.ID}); err != nil {
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
			if ok, err := w.Insert(ctx, &model.Message{Key: "ka", ConversationID: direct.ID, SentAt: base, Kind: model.MessageText, Text: "张律师您好，合同我看过了"}); err != nil || ok {
				t.Errorf("duplicate inserted: %v %v", ok, err)
			}
			if ok, err := w.Insert(ctx, &model.Message{Key: "new", ConversationID: direct.ID, SentAt: base, Kind: model.MessageText, Text: "合同第二页"}); err != nil || !ok {
				t.Errorf("new message in an occupied second: %v %v", ok, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := hitTexts(t, db, store.SearchQuery{Terms: []string{"合同"}}); len(got) != 2 {
			t.Fatalf("after second import: %q", got)
		}
		srcs, err := db.ChatImports(ctx, direct.ID)
		if err != nil || len(srcs) != 2 {
			t.Fatalf("sources: %v %d", err, len(srcs))
		}
		var n int
		err = db.Update(ctx, func(tx *store.Tx) error { n, err = tx.DeleteConversation(ctx, direct.ID); return err })
		if err != nil || n != 5 {
			t.Fatalf("delete: %d %v", n, err)
		}
		if got := hitTexts(t, db, store.SearchQuery{Terms: []string{"合同"}}); len(got) != 0 {
			t.Fatalf("deleted messages still found: %q", got)
		}
		if got := hitTexts(t, db, store.SearchQuery{Terms: []string{"押金"}}); len(got) != 1 {
			t.Fatalf("other conversation lost: %q", got)
		}
	})
}
