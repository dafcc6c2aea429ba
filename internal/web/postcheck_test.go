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

// TestPostcheckCategoriesAndOwnDetails: each finding shows its category
// and legal reason, and the lawyer's own details from the 专业形象 profile
// are 本人信息, not a client's data to remove.
func TestPostcheckCategoriesAndOwnDetails(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		ctx := context.Background()
		users, err := db.FindUsers(ctx, store.UserFilter{Username: "zhang"})
		if err != nil || len(users) != 1 {
			t.Fatal(users, err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.SaveLawyerProfile(ctx, &model.LawyerProfile{UserID: users[0].ID, Name: "张明远", FirmName: "北京市正义律师事务所", WorkPhone: "010-65001234"})
		}); err != nil {
			t.Fatal(err)
		}
		c := newClient(t, ts.URL)
		c.login("zhang")
		tok := c.csrf("/postcheck")
		text := "北京市正义律师事务所张明远律师提醒：当事人吴敏确诊中度抑郁后被辞退。咨询电话010-65001234，地址北京市朝阳区光华路5号。"
		_, body, _ := c.post("/postcheck", url.Values{"csrf_token": {tok}, "text": {text}, "own": {"北京市朝阳区光华路5号\n正义说法"}})
		for _, want := range []string{
			"敏感个人信息·医疗健康", "《个人信息保护法》第二十八条", // the client's health, with its legal reason
			"个人信息·姓名", "第二十五条",
			"本人信息", `<mark class="own"`, // the lawyer's own details
		} {
			if !strings.Contains(body, want) {
				t.Errorf("result lacks %q", want)
			}
		}
		start := strings.Index(body, `<textarea id="redacted"`)
		redacted := body[start : start+strings.Index(body[start:], "</textarea>")]
		for _, kept := range []string{"张明远律师", "010-65001234", "北京市正义律师事务所", "北京市朝阳区光华路5号"} {
			if !strings.Contains(redacted, kept) {
				t.Errorf("own detail %q was redacted: %s", kept, redacted)
			}
		}
		if strings.Contains(redacted, "吴敏") || strings.Contains(redacted, "中度抑郁") {
			t.Errorf("client data kept: %s", redacted)
		}
	})
}
