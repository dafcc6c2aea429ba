package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestPostcheckPage(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		c.login("zhang")
		code, body, _ := c.get("/postcheck")
		if code != http.StatusOK || !strings.Contains(body, `id="post-text"`) {
			t.Fatalf("page: %d", code)
		}
		tok := c.csrf("/postcheck")
		text := "今天帮客户王建国（手机13800138000）处理了合同纠纷，依据《合同法》第一百零七条主张违约金。"
		code, body, _ = c.post("/postcheck", url.Values{"csrf_token": {tok}, "text": {text}})
		if code != http.StatusOK {
			t.Fatalf("check: %d", code)
		}
		for _, want := range []string{
			`<mark class="must_fix"`, "13800138000<sup>", // the phone is marked in the original
			"发布前必须修改", "已于2021年1月1日废止", // findings
			"仅供参考", // the disclaimer suggestion
		} {
			if !strings.Contains(body, want) {
				t.Errorf("result lacks %q", want)
			}
		}
		// The redacted version is beside it, without the phone number.
		start := strings.Index(body, `<textarea id="redacted"`)
		end := strings.Index(body[start:], "</textarea>")
		redacted := body[start : start+end]
		if strings.Contains(redacted, "13800138000") || strings.Contains(redacted, "王建国") {
			t.Fatalf("redacted text still has the client's data: %s", redacted)
		}
		// A clean text can be posted.
		_, body, _ = c.post("/postcheck", url.Values{"csrf_token": {tok}, "text": {"周末愉快！"}})
		if !strings.Contains(body, "可以发布") {
			t.Fatal("clean text not cleared for posting")
		}
	})
}

// TestPostcheckUsesClientBook: a client's name that no heuristic would
// recognise is found because it is in the client book.
func TestPostcheckUsesClientBook(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		ctx := context.Background()
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.CreateContact(ctx, &model.Contact{Kind: model.ContactPerson, Name: "迪丽热巴", Tags: []string{"现有客户"}})
		}); err != nil {
			t.Fatal(err)
		}
		c := newClient(t, ts.URL)
		c.login("zhang")
		tok := c.csrf("/postcheck")
		_, body, _ := c.post("/postcheck", url.Values{"csrf_token": {tok}, "text": {"迪丽热巴的合同纠纷今天开庭。"}})
		start := strings.Index(body, `<textarea id="redacted"`)
		redacted := body[start : start+strings.Index(body[start:], "</textarea>")]
		if strings.Contains(redacted, "迪丽热巴") || !strings.Contains(body, "发布前必须修改") {
			t.Fatalf("client-book name not redacted: %s", redacted)
		}
	})
}
