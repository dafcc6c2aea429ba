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
	"strconv"
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
		users := createUsers(t, db, map[string]model.Role{"zhang": model.RoleLawyer, "li": model.RoleAssistant, "zhao": model.RoleAssistant})
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

		// The unassigned assistant: absent from the list and search, 404 on
		// the page and the printout (like a missing conversation), and a
		// matter they may not see is refused like a missing one.
		if _, body, _ := zhao.get("/chats"); strings.Contains(body, `href="`+conv) || convLinkRE.MatchString(body) {
			t.Fatal("unassigned assistant sees the conversation in the list")
		}
		for _, q := range []string{"/chats?q=合同", "/chats?q=合同&conversation=" + found[0][1]} {
			if code, body, _ := zhao.get(q); code != 200 || strings.Contains(body, "麻烦您了") || !strings.Contains(body, "找到 0 条") {
				t.Fatalf("unassigned assistant searches %s: %d\n%s", q, code, body)
			}
		}
		for _, path := range []string{conv, conv + "/print"} {
			if code, body, _ := zhao.get(path); code != http.StatusNotFound || strings.Contains(body, "麻烦您了") {
				t.Fatalf("unassigned assistant, %s: %d, want 404", path, code)
			}
		}
		_, hidden, _ := zhao.get(conv)
		_, missing, _ := zhao.get("/chats/99999")
		if !strings.Contains(hidden, "页面或记录不存在") || !strings.Contains(missing, "页面或记录不存在") {
			t.Fatalf("a hidden conversation does not read like a missing one:\n%s", hidden)
		}
		code, hiddenMatter := zhao.importChat("chatlog.csv", export, matterID)
		if code != http.StatusBadRequest || !strings.Contains(hiddenMatter, "案件 #"+matterID+" 不存在") {
			t.Fatalf("unassigned assistant imports into the matter: %d\n%s", code, hiddenMatter)
		}
		if code, missingMatter := zhao.importChat("chatlog.csv", export, "99999"); code != http.StatusBadRequest || !strings.Contains(missingMatter, "案件 #99999 不存在") {
			t.Fatalf("import into a missing matter: %d", code)
		}
		denied, err := db.FindAudit(ctx, store.AuditFilter{ActorID: users["zhao"], Action: "chat.view.denied"})
		if err != nil || len(denied) != 4 {
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
			if code, _, _ := c.get(ownConv); code != http.StatusNotFound {
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

// TestChatImportsStayInTheirMatter: two unrelated exports that share a local
// chat id (WeChatMsg's TalkerId 7) are two conversations. An assistant of
// matter 1 who imports a one-row export with TalkerId 7 into matter 1 must
// not reach matter 2's conversation (list, search, page, printout), and
// matter 2's conversation stays in matter 2. Re-importing stays idempotent.
func TestChatImportsStayInTheirMatter(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := newEvidenceServer(t, db)
		users := createUsers(t, db, map[string]model.Role{"zhang": model.RoleLawyer, "wang": model.RoleLawyer, "li": model.RoleAssistant})
		m1 := &model.Matter{Title: "案件一", Type: model.MatterCivil, Status: model.MatterInProgress,
			LeadLawyerID: users["zhang"], AssistantIDs: []int64{users["li"]}}
		m2 := &model.Matter{Title: "案件二", Type: model.MatterCivil, Status: model.MatterInProgress, LeadLawyerID: users["wang"]}
		for _, m := range []*model.Matter{m1, m2} {
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, m) }); err != nil {
				t.Fatal(err)
			}
		}
		wang, li := newClient(t, ts.URL), newClient(t, ts.URL)
		wang.login("wang")
		li.login("li")

		export, err := os.ReadFile("../chatexport/testdata/wechatmsg.csv")
		if err != nil {
			t.Fatal(err)
		}
		if code, body := wang.importChatAs("wechatmsg.csv", "wechatmsg-csv", export, fmt.Sprint(m2.ID)); code != 200 {
			t.Fatalf("matter 2's lawyer imports: %d\n%s", code, body)
		}
		_, list, _ := wang.get("/chats")
		conv2 := convLinkRE.FindStringSubmatch(list)
		if conv2 == nil {
			t.Fatal("matter 2's lawyer does not see the conversation")
		}
		oneRow := []byte("localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n" +
			"1,7,1,0,0,1717200000,2,无关的一句话,2024-06-01 08:00:00,,赵某,wxid_zhao\n")
		for i := 0; i < 2; i++ { // the second time: a re-import, nothing new
			code, body := li.importChatAs("one.csv", "wechatmsg-csv", oneRow, fmt.Sprint(m1.ID))
			if code != 200 {
				t.Fatalf("matter 1's assistant imports: %d\n%s", code, body)
			}
		}
		_, list, _ = li.get("/chats")
		mine := convLinkRE.FindAllStringSubmatch(list, -1)
		if len(mine) != 1 || mine[0][1] == conv2[1] {
			t.Fatalf("the assistant's import joined matter 2's conversation: %v (matter 2: %s)", mine, conv2[1])
		}
		if _, body, _ := li.get("/chats?q=租赁合同"); strings.Contains(body, "请把合同发我看一下") {
			t.Fatal("the assistant finds matter 2's messages")
		}
		for _, path := range []string{"/chats/" + conv2[1], "/chats/" + conv2[1] + "/print"} {
			if code, body, _ := li.get(path); code != http.StatusNotFound || strings.Contains(body, "请把合同发我看一下") {
				t.Fatalf("the assistant opens %s: %d", path, code)
			}
		}
		id1, _ := strconv.ParseInt(mine[0][1], 10, 64)
		id2, _ := strconv.ParseInt(conv2[1], 10, 64)
		c1, err1 := db.ConversationByID(ctx, id1)
		c2, err2 := db.ConversationByID(ctx, id2)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if c2.MatterID != m2.ID || c1.MatterID != m1.ID {
			t.Fatalf("conversations moved: matter 2's is in matter %d, the assistant's in %d", c2.MatterID, c1.MatterID)
		}
		if c1.Messages != 1 || c2.Messages < 3 {
			t.Fatalf("messages: assistant's conversation %d (want 1 after a re-import), matter 2's %d", c1.Messages, c2.Messages)
		}
		// Matter 2's lawyer still sees their conversation and not the
		// assistant's.
		if code, _, _ := wang.get("/chats/" + conv2[1]); code != 200 {
			t.Fatalf("matter 2's lawyer: %d", code)
		}
		if code, _, _ := wang.get("/chats/" + mine[0][1]); code != http.StatusNotFound {
			t.Fatalf("matter 2's lawyer opens matter 1's conversation: %d", code)
		}
		// Each matter page lists its own conversation and not the other's.
		if _, body, _ := li.get(fmt.Sprintf("/matters/%d", m1.ID)); !strings.Contains(body, `href="/chats/`+mine[0][1]+`"`) ||
			strings.Contains(body, `href="/chats/`+conv2[1]+`"`) {
			t.Fatalf("matter 1's page and its conversations:\n%s", body)
		}
		if _, body, _ := wang.get(fmt.Sprintf("/matters/%d", m2.ID)); !strings.Contains(body, `href="/chats/`+conv2[1]+`"`) ||
			strings.Contains(body, `href="/chats/`+mine[0][1]+`"`) {
			t.Fatalf("matter 2's page and its conversations:\n%s", body)
		}
		if code, body, _ := li.get(fmt.Sprintf("/chats?matter=%d", m1.ID)); code != 200 || !strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>`, m1.ID)) {
			t.Fatalf("the import form does not preselect the matter it was opened from: %d", code)
		}
		if views, _ := db.FindAudit(ctx, store.AuditFilter{ActorID: users["wang"], Action: "chat.view"}); len(views) != 1 {
			t.Fatalf("successful chat views audited: %d, want 1", len(views))
		}
	})
}

// importChatAs uploads an export of the given format into matter.
func (c *client) importChatAs(name, format string, data []byte, matter string) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", c.csrf("/chats"))
	mw.WriteField("format", format)
	mw.WriteField("matter", matter)
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

// createUsers adds users named after their usernames with the test
// password and returns their ids.
func createUsers(t *testing.T, db *store.DB, roles map[string]model.Role) map[string]int64 {
	t.Helper()
	svc := auth.New(db, nil)
	ids := map[string]int64{}
	for name, role := range roles {
		u, err := svc.CreateUser(context.Background(), nil, auth.NewUser{Username: name, DisplayName: name, Role: role, Password: password}, auth.Client{IP: "cli"})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = u.ID
	}
	return ids
}
