package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestInboxAccessOverHTTP: an assistant not on the matter gets the same
// 404 as for a missing conversation (audited); the lawyer on the matter
// opens it; a case group notice is confirmed on its public page.
func TestInboxAccessOverHTTP(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cfg := testConfig(t, db)
		ts := serveWeb(t, cfg)
		mk := func(name string, role model.Role) *model.User {
			u, err := cfg.Auth.CreateUser(ctx, nil, auth.NewUser{Username: name, DisplayName: name, Role: role, Password: password}, auth.Client{IP: "cli"})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		lawyer, helper := mk("zhang", model.RoleLawyer), mk("ming", model.RoleAssistant)
		mk("xiao", model.RoleAssistant) // not on the matter
		m := &model.Matter{Title: "劳动争议", Type: model.MatterLabor, Status: model.MatterEngaged, LeadLawyerID: lawyer.ID,
			AssistantIDs: []int64{helper.ID}}
		if _, err := cfg.ClientBook.CreateMatter(ctx, &auth.Principal{User: lawyer}, m); err != nil {
			t.Fatal(err)
		}
		if err := cfg.Inbox.SetKFAccount(ctx, nil, "kf-zhang", "", lawyer.ID); err != nil {
			t.Fatal(err)
		}
		rec, err := cfg.Inbox.Receive(ctx, model.InboundMessage{Channel: model.ChannelKF, OpenKFID: "kf-zhang", ExternalUserID: "wm1",
			MsgID: "x1", Text: "公司拖欠工资三个月"})
		if err != nil {
			t.Fatal(err)
		}
		id := rec.Conversation.ID
		if err := cfg.Inbox.LinkMatter(ctx, &auth.Principal{User: lawyer}, id, m.ID); err != nil {
			t.Fatal(err)
		}

		a := newClient(t, ts.URL)
		a.login("xiao")
		code, body, _ := a.get(fmt.Sprintf("/inbox/%d", id))
		missing, _, _ := a.get("/inbox/999999")
		if code != http.StatusNotFound || missing != http.StatusNotFound || !strings.Contains(body, "页面或记录不存在") || strings.Contains(body, "拖欠工资") {
			t.Fatalf("assistant not on the matter: %d (missing: %d)", code, missing)
		}
		if code, body, _ := a.get("/inbox"); code != http.StatusOK || strings.Contains(body, "拖欠工资") {
			t.Fatalf("the assistant's inbox lists the conversation (%d)", code)
		}
		tok := a.csrf("/inbox")
		if code, _, _ := a.post(fmt.Sprintf("/inbox/%d/reply", id), url.Values{"csrf_token": {tok}, "text": {"x"}}); code != http.StatusNotFound {
			t.Fatalf("the assistant replied: %d", code)
		}
		evs, err := db.FindAudit(ctx, store.AuditFilter{Action: "inbox.view.denied"})
		if err != nil || len(evs) < 2 || evs[0].Actor != "xiao" {
			t.Fatalf("refusals audited: %+v, %v", evs, err)
		}

		h := newClient(t, ts.URL)
		h.login("ming") // assists on the matter
		if code, body, _ := h.get(fmt.Sprintf("/inbox/%d", id)); code != http.StatusOK || !strings.Contains(body, "拖欠工资") {
			t.Fatalf("assistant on the matter: %d", code)
		}
		// A reply with no WeCom configured is recorded as failed, with why.
		tok = h.csrf(fmt.Sprintf("/inbox/%d", id))
		code, _, hdr := h.post(fmt.Sprintf("/inbox/%d/reply", id), url.Values{"csrf_token": {tok}, "text": {"已收到，明天回复您"}})
		if code != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=failed") {
			t.Fatalf("reply: %d %s", code, hdr.Get("Location"))
		}
		if _, body, _ := h.get(fmt.Sprintf("/inbox/%d", id)); !strings.Contains(body, inbox.ErrNoSender.Error()) {
			t.Fatal("the failed reply does not say why")
		}
		// A bad DND line is refused with its line number, the typed value kept.
		tok = h.csrf("/inbox/settings")
		code, body, _ = h.post("/inbox/dnd", url.Values{"csrf_token": {tok}, "dnd": {"22:00-08:00\n半夜"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "第 2 行") || !strings.Contains(body, "半夜") {
			t.Fatalf("bad DND: %d", code)
		}

		// A case group notice: the public page needs no login.
		if err := cfg.Inbox.SyncGroup(ctx, model.CaseGroup{ChatID: "wr1", Name: "未立案-某某-劳动争议"}); err != nil {
			t.Fatal(err)
		}
		g, _ := db.CaseGroupByChatID(ctx, "wr1")
		if err := cfg.Inbox.LinkGroupMatter(ctx, nil, g.ID, m.ID); err != nil { // an owner unknown to lvxin: the CLI links it
			t.Fatal(err)
		}
		n, err := cfg.Inbox.PostNotice(ctx, &auth.Principal{User: lawyer}, g.ID, "材料提交通知", "请于周五前提交工资流水。")
		if err != nil {
			t.Fatal(err)
		}
		anon := newClient(t, ts.URL)
		code, body, _ = anon.get("/notice/" + n.Token)
		if code != http.StatusOK || !strings.Contains(body, "请于周五前提交工资流水") {
			t.Fatalf("public notice: %d", code)
		}
		ptok := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(body)[1]
		code, _, _ = anon.post("/notice/"+n.Token, url.Values{"csrf_token": {ptok}, "name": {"王小明"}})
		if code != http.StatusSeeOther {
			t.Fatalf("confirm: %d", code)
		}
		if code, _, _ := anon.get("/notice/AAAAAAAAAAAAAAAAAAAAAA"); code != http.StatusNotFound {
			t.Fatalf("unknown token: %d", code)
		}
		l := newClient(t, ts.URL)
		l.login("zhang")
		if _, body, _ := l.get(fmt.Sprintf("/groups/%d", g.ID)); !strings.Contains(body, "王小明") || !strings.Contains(body, "1 人已确认") {
			t.Fatal("the lawyer does not see who confirmed")
		}
		if code, _, _ := a.get(fmt.Sprintf("/groups/%d", g.ID)); code != http.StatusNotFound {
			t.Fatalf("the assistant not on the matter opened the group: %d", code)
		}
	})
}

// TestOverdueGroupOnDashboard: a closed matter's group past its
// dissolution deadline is listed on its lawyer's dashboard.
func TestOverdueGroupOnDashboard(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cfg := testConfig(t, db)
		ts := serveWeb(t, cfg)
		lawyer, err := cfg.Auth.CreateUser(ctx, nil, auth.NewUser{Username: "zhang", DisplayName: "张律师", Role: model.RoleLawyer, Password: password}, auth.Client{IP: "cli"})
		if err != nil {
			t.Fatal(err)
		}
		p := &auth.Principal{User: lawyer}
		m := &model.Matter{Title: "借款合同纠纷", Type: model.MatterCivil, CaseNumber: "(2025)京0105民初7号", Status: model.MatterInProgress, LeadLawyerID: lawyer.ID,
			EngagedOn: time.Date(2024, 12, 2, 0, 0, 0, 0, time.UTC)}
		if _, err := cfg.ClientBook.CreateMatter(ctx, p, m); err != nil {
			t.Fatal(err)
		}
		// Closed on 2025-01-02: the deadline passed long before today.
		if _, err := cfg.ClientBook.SetStatus(ctx, p, m.ID, model.MatterClosed, time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if err := cfg.Inbox.SyncGroup(ctx, model.CaseGroup{ChatID: "wrOld", Name: "（2025）京0105民初7号-某某-借款合同纠纷"}); err != nil {
			t.Fatal(err)
		}
		c := newClient(t, ts.URL)
		c.login("zhang")
		_, body, _ := c.get("/")
		if !strings.Contains(body, `id="overdue-groups"`) || !strings.Contains(body, "（2025）京0105民初7号-某某-借款合同纠纷") {
			t.Fatal("the overdue group is not on the dashboard")
		}
	})
}
