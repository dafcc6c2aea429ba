package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// The add actions of a matter page carry the matter: a matter the user may
// not see is refused like a missing one (the deadline and the consultation
// are not saved) and the refusal is audited; the matter page lists only the
// deadlines and consultations the user may see.
func TestMatterAddActionsRespectAccess(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts, _ := newServer(t, db)
		ids := createUsers(t, db, map[string]model.Role{"chen": model.RoleLawyer})
		users, _ := db.FindUsers(ctx, store.UserFilter{Username: "zhang"})
		zhangID := users[0].ID
		m := &model.Matter{Title: "张律师的案件", Type: model.MatterCivil, Status: model.MatterInProgress, LeadLawyerID: zhangID}
		c := &model.Contact{Kind: model.ContactPerson, Name: "客户甲"}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateMatter(ctx, m); err != nil {
				return err
			}
			return tx.CreateContact(ctx, c)
		}); err != nil {
			t.Fatal(err)
		}
		chen := newClient(t, ts.URL)
		chen.login("chen")
		tok := chen.csrf("/deadlines")
		mid := fmt.Sprint(m.ID)
		code, body, _ := chen.post("/deadlines", url.Values{"csrf_token": {tok}, "rule": {"appeal-judgment"}, "from": {"2026-09-25"},
			"matter": {"#" + mid}, "matter_id": {mid}})
		if code != http.StatusBadRequest || !strings.Contains(body, "案件 #"+mid+" 不存在") {
			t.Fatalf("deadline on a hidden matter: %d\n%s", code, body)
		}
		code, body, _ = chen.post("/consultations", url.Values{"csrf_token": {tok}, "contact_id": {fmt.Sprint(c.ID)}, "channel": {"电话"},
			"topic": {"x"}, "matter_id": {mid}})
		if code != http.StatusBadRequest || !strings.Contains(body, "案件 #"+mid+" 不存在") {
			t.Fatalf("consultation on a hidden matter: %d\n%s", code, body)
		}
		if ds, _ := db.FindDeadlines(ctx, store.DeadlineFilter{OwnerID: ids["chen"]}); len(ds) != 0 {
			t.Fatalf("a refused deadline was saved: %d", len(ds))
		}
		if cs, _ := db.FindConsultations(ctx, store.ConsultationFilter{MatterID: m.ID}); len(cs) != 0 {
			t.Fatalf("a refused consultation was saved: %d", len(cs))
		}
		denied, _ := db.FindAudit(ctx, store.AuditFilter{ActorID: ids["chen"], Action: "matter.view.denied"})
		if len(denied) != 2 {
			t.Fatalf("refusals audited: %d, want 2", len(denied))
		}

		// zhang saves a deadline for the matter; an admin saves another one
		// (their own) for it: zhang's matter page lists only his.
		zhang := newClient(t, ts.URL)
		zhang.login("zhang")
		ztok := zhang.csrf("/deadlines")
		if code, _, _ := zhang.post("/deadlines", url.Values{"csrf_token": {ztok}, "rule": {"appeal-judgment"}, "from": {"2026-09-25"},
			"title": {"张律师的上诉期"}, "matter_id": {mid}}); code != http.StatusSeeOther {
			t.Fatalf("zhang saves: %d", code)
		}
		admin := newClient(t, ts.URL)
		admin.login("admin")
		atok := admin.csrf("/deadlines")
		if code, _, _ := admin.post("/deadlines", url.Values{"csrf_token": {atok}, "rule": {"appeal-ruling"}, "from": {"2026-09-25"},
			"title": {"主任自己的期限"}, "matter_id": {mid}}); code != http.StatusSeeOther {
			t.Fatalf("admin saves: %d", code)
		}
		_, page, _ := zhang.get("/matters/" + mid)
		if !strings.Contains(page, "张律师的上诉期") || strings.Contains(page, "主任自己的期限") {
			t.Errorf("zhang's matter page deadlines:\n%s", page)
		}
		_, page, _ = admin.get("/matters/" + mid)
		if !strings.Contains(page, "张律师的上诉期") || !strings.Contains(page, "主任自己的期限") {
			t.Errorf("the admin's matter page lacks a deadline")
		}
	})
}
