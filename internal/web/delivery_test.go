package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/delivery"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestDeliveryLinkAndAccess drives the delivery routes over HTTP: the
// public link page needs no login but a valid, live token (an altered one
// answers 404, an expired one 410), its forms need the browser's form
// token and have small body caps; a lawyer who may not see the matter gets
// 404 for its send form, its link records and revocation, each audited.
func TestDeliveryLinkAndAccess(t *testing.T) {
	var mu sync.Mutex
	now := time.Now().UTC()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cfg := testConfig(t, db)
		blobs, err := blob.Open(cfg.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		svc := delivery.New(delivery.Config{DB: db, Blobs: blobs, DataDir: cfg.DataDir, Now: clock})
		cfg.Delivery = svc
		ts := serveWeb(t, cfg)
		createUser(t, cfg.Auth, "zhang", model.RoleLawyer)
		createUser(t, cfg.Auth, "li", model.RoleLawyer)
		zhang, err := db.UserByUsername(ctx, "zhang")
		if err != nil {
			t.Fatal(err)
		}
		m := &model.Matter{Title: "甲诉乙", Type: model.MatterCivil, Status: model.MatterEngaged, LeadLawyerID: zhang.ID}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		p := &auth.Principal{User: zhang}
		doc, err := svc.Upload(ctx, p, auth.Client{}, delivery.DocumentInput{MatterID: m.ID, FileName: "起诉状.txt",
			Classification: model.ClassOrdinary}, strings.NewReader("起诉状正文"))
		if err != nil {
			t.Fatal(err)
		}
		sent, err := svc.Send(ctx, p, auth.Client{}, delivery.SendInput{MatterID: m.ID, DocumentID: doc.ID, Recipient: "甲", ValidDays: 1})
		if err != nil {
			t.Fatal(err)
		}
		link := "/d/" + sent.Token

		anon := newClient(t, ts.URL)
		code, body, h := anon.get(link)
		if code != http.StatusOK || !strings.Contains(body, "起诉状.txt") || h.Get("Cache-Control") != "no-store" {
			t.Fatalf("link page: %d %s", code, h)
		}
		// A form without the browser's token is refused; with it, it works.
		if code, _, _ := anon.post(link+"/confirm", url.Values{"name": {"甲"}}); code != http.StatusForbidden {
			t.Fatalf("confirm without a form token: %d", code)
		}
		tok := anon.csrf(link)
		if code, _, _ := anon.post(link+"/confirm", url.Values{"csrf_token": {tok}, "name": {""}}); code != http.StatusBadRequest {
			t.Fatalf("confirm without a name: %d", code)
		}
		if code, _, h := anon.post(link+"/confirm", url.Values{"csrf_token": {tok}, "name": {"甲"}}); code != http.StatusSeeOther ||
			!strings.Contains(h.Get("Location"), "done=confirmed") {
			t.Fatalf("confirm: %d %v", code, h)
		}
		// Small bodies only on the public forms.
		if code, _, _ := anon.post(link+"/code", url.Values{"csrf_token": {tok}, "code": {strings.Repeat("1", 20000)}}); code != http.StatusRequestEntityTooLarge {
			t.Fatalf("large body: %d", code)
		}
		// An altered token is 404; the same link after its expiry 410.
		altered := []byte(sent.Token)
		altered[3] ^= 0x01
		if code, body, _ := anon.get("/d/" + string(altered)); code != http.StatusNotFound || !strings.Contains(body, "链接无效") {
			t.Fatalf("altered token: %d", code)
		}
		mu.Lock()
		now = now.Add(25 * time.Hour)
		mu.Unlock()
		if code, body, _ := anon.get(link); code != http.StatusGone || !strings.Contains(body, "已过期") {
			t.Fatalf("expired link: %d", code)
		}
		if code, _, _ := anon.get(link + "/file"); code != http.StatusGone {
			t.Fatalf("expired download: %d", code)
		}

		// Another lawyer: the matter's delivery pages are missing to him.
		li := newClient(t, ts.URL)
		li.login("li")
		paths := []string{"/matters/" + itoa(m.ID) + "/send", "/deliveries/" + itoa(sent.Delivery.ID), "/documents/" + itoa(doc.ID) + "/file"}
		for _, path := range paths {
			if code, _, _ := li.get(path); code != http.StatusNotFound {
				t.Errorf("%s for a stranger: %d", path, code)
			}
		}
		tok = li.csrf("/")
		if code, _, _ := li.post("/deliveries/"+itoa(sent.Delivery.ID)+"/revoke", url.Values{"csrf_token": {tok}}); code != http.StatusNotFound {
			t.Errorf("revoke by a stranger: %d", code)
		}
		// The send form is refused by the matter rule (matter.view.denied),
		// the rest by the delivery workflow.
		denied, err := db.FindAudit(ctx, store.AuditFilter{Action: "delivery.denied"})
		if err != nil || len(denied) != 3 {
			t.Fatalf("%d delivery refusals audited, want 3: %v", len(denied), err)
		}
		if views, _ := db.FindAudit(ctx, store.AuditFilter{Action: "matter.view.denied"}); len(views) != 1 {
			t.Fatalf("%d matter refusals audited, want 1", len(views))
		}
		// The lead lawyer sees the confirmation on the matter page.
		z := newClient(t, ts.URL)
		z.login("zhang")
		if code, body, _ := z.get("/matters/" + itoa(m.ID)); code != http.StatusOK || !strings.Contains(body, "甲 已于") {
			t.Fatalf("matter page: %d", code)
		}
	})
}
