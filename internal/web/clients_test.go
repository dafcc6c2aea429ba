package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

var locRE = regexp.MustCompile(`^/(?:clients|matters|consultations)/(\d+)`)

func TestClientBookPages(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, svc := newServer(t, db)
		createUser(t, svc, "li", model.RoleAssistant)
		createUser(t, svc, "zhao", model.RoleAssistant)
		zhang := newClient(t, ts.URL)
		zhang.login("zhang")
		tok := zhang.csrf("/clients")

		// A contact with tags and star.
		code, body, h := zhang.post("/clients", url.Values{"csrf_token": {tok}, "name": {"北京某某科技有限公司"}, "kind": {"org"},
			"tag": {"现有客户"}, "new_tags": {"科技；重点"}, "starred": {"on"}, "phone": {"010-12345678"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create contact: %d %s", code, body)
		}
		contactPath := h.Get("Location")
		_, body, _ = zhang.get(contactPath)
		for _, want := range []string{`id="star-mark"`, ">现有客户<", ">科技<", ">重点<"} {
			if !strings.Contains(body, want) {
				t.Fatalf("contact page lacks %s:\n%s", want, body)
			}
		}
		if code, body, _ := zhang.post("/clients", url.Values{"csrf_token": {tok}, "name": {"坏代码公司"}, "kind": {"org"}, "uscc": {"91110105MA01ABCD20"}}); code != http.StatusBadRequest || !strings.Contains(body, "统一社会信用代码") {
			t.Fatalf("bad USCC: %d", code)
		}

		// A matter with parties, assisted by li; the conflict check runs on save.
		users, _ := db.FindUsers(t.Context(), store.UserFilter{Username: "li"})
		code, body, h = zhang.post("/matters", url.Values{"csrf_token": {tok}, "title": {"某某科技诉某某贸易"}, "type": {"商事"},
			"status": {"engaged"}, "case_number": {"（2024）京0105民初12345号"}, "assistant": {itoa(users[0].ID)},
			"party_name": {"某某(北京)科技有限公司", "上海某某贸易有限公司"}, "party_kind": {"org", "org"}, "party_role": {"client", "opposing"},
			"party_uscc": {"", ""}, "party_idnum": {"", ""}, "party_phone": {"", ""}})
		if code != http.StatusSeeOther {
			t.Fatalf("create matter: %d %s", code, body)
		}
		matterPath := strings.SplitN(h.Get("Location"), "?", 2)[0]
		_, body, _ = zhang.get(matterPath)
		if !strings.Contains(body, "(2024)京0105民初12345号") || !strings.Contains(body, "地区位置差异") || !strings.Contains(body, "对方当事人") {
			t.Fatalf("matter page:\n%s", body)
		}

		// Access: the assigned assistant sees it, another assistant gets 403.
		li, zhao := newClient(t, ts.URL), newClient(t, ts.URL)
		li.login("li")
		zhao.login("zhao")
		if code, _, _ := li.get(matterPath); code != http.StatusOK {
			t.Fatalf("assigned assistant: %d", code)
		}
		if code, body, _ := zhao.get(matterPath); code != http.StatusForbidden || !strings.Contains(body, "没有权限") {
			t.Fatalf("unassigned assistant: %d", code)
		}
		if _, body, _ := zhao.get("/matters"); strings.Contains(body, "某某科技诉某某贸易") {
			t.Fatal("matter listed for an unassigned assistant")
		}
		if code, _, _ := zhao.post(matterPath+"/status", url.Values{"csrf_token": {zhao.csrf("/clients")}, "status": {"closed"}}); code != http.StatusForbidden {
			t.Fatalf("unassigned assistant closed the matter: %d", code)
		}

		// Conflict check page: a variant spelling hits the contact and the matter party.
		code, body, _ = zhang.post("/conflicts", url.Values{"csrf_token": {tok}, "names": {"北京某某科技有限责任公司\n张三丰"}})
		if code != http.StatusOK || strings.Count(body, `class="hit"`) != 2 || !strings.Contains(body, "委托人") || !strings.Contains(body, "未发现冲突") {
			t.Fatalf("conflicts: %d\n%s", code, body)
		}

		// Closing hands the group-dissolution deadline over.
		code, _, h = zhang.post(matterPath+"/status", url.Values{"csrf_token": {tok}, "status": {"closed"}})
		if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "deadline=") {
			t.Fatalf("close: %d %s", code, h.Get("Location"))
		}
		if _, body, _ := zhang.get("/deadlines"); !strings.Contains(body, "解散案件群") {
			t.Fatal("dissolution deadline not on the deadlines page")
		}

		// Review queue, consultation with timer, export.
		if _, body, _ := zhang.get("/clients/review"); !strings.Contains(body, "北京某某科技有限公司") {
			t.Fatal("contact not in review queue")
		}
		id := locRE.FindStringSubmatch(contactPath)[1]
		zhang.post("/clients/"+id+"/review", url.Values{"csrf_token": {tok}, "back": {"review"}})
		if _, body, _ := zhang.get("/clients/review"); strings.Contains(body, "北京某某科技有限公司") {
			t.Fatal("reviewed contact still queued")
		}
		code, _, h = zhang.post("/consultations", url.Values{"csrf_token": {tok}, "contact_id": {id}, "channel": {"微信"}, "topic": {"合同审查"},
			"free": {"on"}, "started_minutes_ago": {"16"}})
		if code != http.StatusSeeOther {
			t.Fatalf("start consultation: %d", code)
		}
		_, body, _ = zhang.get(h.Get("Location"))
		if !strings.Contains(body, `data-limit="900"`) || !strings.Contains(body, `id="limit-warning"`) || !strings.Contains(body, "/static/clients.js") {
			t.Fatalf("consultation page:\n%s", body)
		}
		if code, body, _ := zhang.get("/clients/export?format=csv"); code != http.StatusOK || !strings.HasPrefix(strings.TrimPrefix(body, "\ufeff"), "名称,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签") {
			t.Fatalf("export: %d %q", code, body)
		}
		if code, _, _ := zhang.get("/consultations"); code != http.StatusOK {
			t.Fatalf("consultations: %d", code)
		}
	})
}

func itoa(n int64) string { return strconvFormat(n) }

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }
