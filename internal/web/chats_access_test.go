package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// importChat uploads an export to /chats/import, naming matter when not "".
func (c *client) importChat(name string, data []byte, matter string) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", c.csrf("/chats"))
	mw.WriteField("format", "chatlog-csv")
	if matter != "" {
		mw.WriteField("matter", matter)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/chats/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var convLinkRE = regexp.MustCompile(`href="/chats/(\d+)/print"`)

func TestChatsFollowMatterAccess(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := newEvidenceServer(t, db)
		authSvc := auth.New(db, nil)
		users := map[string]int64{}
		for name, role := range map[string]model.Role{"zhang": model.RoleLawyer, "li": model.RoleAssistant, "zhao": model.RoleAssistant} {
			u, err := authSvc.CreateUser(ctx, nil, auth.NewUser{Username: name, DisplayName: name, Role: role, Password: password}, auth.Client{IP: "cli"})
			if err != nil {
				t.Fatal(err)
			}
			users[name] = u.ID
		}
		m := &model.Matter{Title: "王五租赁纠纷", Type: model.MatterCivil, Status: model.MatterInProgress,
			LeadLawyerID: users["zhang"], AssistantIDs: []int64{users["li"]}}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		matterID := fmt.Sprint(m.ID)
		zhang, li, zhao, admin := newClient(t, ts.URL), newClient(t, ts.URL), newClient(t, ts.URL), newClient(t, ts.URL)
		zhang.login("zhang")
		li.login("li")
		zhao.login("zhao")
		admin.login("admin")

		export, err := os.ReadFile("../chatexport/testdata/chatlog.csv")
		if err != nil {
			t.Fatal(err)
		}
		if code, body := zhang.importChat("chatlog.csv", export, matterID); code != 200 {
			t.Fatalf("lawyer imports into the matter: %d\n%s", code, body)
		}
		_, list, _ := zhang.get("/chats")
		found := convLinkRE.FindAllStringSubmatch(list, -1)
		if len(found) == 0 {
			t.Fatalf("the lawyer does not see the imported conversations:\n%s", list)
		}
		conv := "/chats/" + found[0][1]

		// The assigned assistant: list, search, page and printout.
		if _, body, _ := li.get("/chats"); !strings.Contains(body, `href="`+conv+`"`) {
			t.Fatal("assigned assistant does not see the conversation in the list")
		}
		if _, body, _ := li.get("/chats?q=合同"); !strings.Contains(body, "麻烦您了") {
			t.Fatalf("assigned assistant does not find the message:\n%s", body)
		}
		for _, path := range []string{conv, conv + "/print"} {
			if code, _, _ := li.get(path); code != 200 {
				t.Fatalf("assigned assistant, %s: %d", path, code)
			}
		}

		// The unassigned assistant: absent from the list and search, 403 on
		// the page and the printout, 403 when importing into the matter.
		if _, body, _ := zhao.get("/chats"); strings.Contains(body, `href="`+conv) || convLinkRE.MatchString(body) {
			t.Fatal("unassigned assistant sees the conversation in the list")
		}
		for _, q := range []string{"/chats?q=合同", "/chats?q=合同&conversation=" + found[0][1]} {
			if code, body, _ := zhao.get(q); code != 200 || strings.Contains(body, "麻烦您了") || !strings.Contains(body, "找到 0 条") {
				t.Fatalf("unassigned assistant searches %s: %d\n%s", q, code, body)
			}
		}
		for _, path := range []string{conv, conv + "/print"} {
			if code, body, _ := zhao.get(path); code != http.StatusForbidden || strings.Contains(body, "麻烦您了") {
				t.Fatalf("unassigned assistant, %s: %d, want 403", path, code)
			}
		}
		if code, _ := zhao.importChat("chatlog.csv", export, matterID); code != http.StatusForbidden {
			t.Fatalf("unassigned assistant imports into the matter: %d, want 403", code)
		}
		denied, err := db.FindAudit(ctx, store.AuditFilter{ActorID: users["zhao"], Action: "chat.view.denied"})
		if err != nil || len(denied) != 3 {
			t.Fatalf("refusals audited: %d, %v", len(denied), err)
		}

		// An unlinked conversation: its importer and admins only.
		own := []byte("Time,SenderName,Sender,TalkerName,Talker,Content\n2024-03-02 09:00:00,赵六,wxid_zhaoliu,赵六,wxid_zhaoliu,咨询一下离婚的事\n")
		if code, body := zhao.importChat("own.csv", own, ""); code != 200 {
			t.Fatalf("unlinked import: %d\n%s", code, body)
		}
		_, body, _ := zhao.get("/chats")
		mine := convLinkRE.FindAllStringSubmatch(body, -1)
		if len(mine) != 1 {
			t.Fatalf("importer sees %d conversations, want their own one", len(mine))
		}
		ownConv := "/chats/" + mine[0][1]
		if _, body, _ := zhao.get("/chats?q=离婚"); !strings.Contains(body, "咨询一下") {
			t.Fatal("importer does not find their own message")
		}
		for _, c := range []*client{li, zhang} {
			if code, _, _ := c.get(ownConv); code != http.StatusForbidden {
				t.Fatalf("another user, unlinked conversation: %d", code)
			}
			if _, body, _ := c.get("/chats?q=离婚"); strings.Contains(body, "咨询一下") {
				t.Fatal("another user finds the unlinked message")
			}
		}
		if code, _, _ := admin.get(ownConv); code != 200 {
			t.Fatalf("admin, unlinked conversation: %d", code)
		}
		if _, body, _ := admin.get("/chats"); len(convLinkRE.FindAllString(body, -1)) != len(found)+1 {
			t.Fatal("admin does not see every conversation")
		}
	})
}
