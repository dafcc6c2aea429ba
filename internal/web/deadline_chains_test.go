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

// TestMatterDeadlineChains records 判决书送达 on the matter page, moves it
// and cancels it; users who may not see the matter get 404 everywhere, and
// one who may see but not change it cannot record events.
func TestMatterDeadlineChains(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts, svc := newServer(t, db)
		createUser(t, svc, "li", model.RoleAssistant)
		createUser(t, svc, "zhao", model.RoleAssistant)
		ids := map[string]int64{}
		for _, name := range []string{"zhang", "li"} {
			u, err := db.UserByUsername(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			ids[name] = u.ID
		}
		m := &model.Matter{Title: "王五租赁纠纷", Type: model.MatterCivil, Status: model.MatterInProgress,
			LeadLawyerID: ids["zhang"], AssistantIDs: []int64{ids["li"]}}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		base := fmt.Sprintf("/matters/%d", m.ID)
		zhang, li, zhao := newClient(t, ts.URL), newClient(t, ts.URL), newClient(t, ts.URL)
		zhang.login("zhang")
		li.login("li")
		zhao.login("zhao")

		if _, body, _ := zhang.get(base); !strings.Contains(body, base+"/deadlines") {
			t.Fatal("the matter page does not link its deadline chains")
		}
		tok := zhang.csrf(base + "/deadlines")
		code, body, _ := zhang.post(base+"/triggers", url.Values{"csrf_token": {tok}, "kind": {"judgment-served"}, "date": {"2026-01-31"}})
		if code != http.StatusSeeOther {
			t.Fatalf("record trigger: %d %s", code, body)
		}
		_, page, _ := zhang.get(base + "/deadlines")
		if !strings.Contains(page, "判决书送达：2026-01-31") || !strings.Contains(page, "2026-02-24") || !strings.Contains(page, "民事诉讼法第一百七十一条第一款") {
			t.Fatalf("chain page:\n%s", page)
		}
		chains, _ := db.MatterDeadlineTriggers(ctx, m.ID)
		if len(chains) != 1 {
			t.Fatalf("triggers: %d", len(chains))
		}
		trig := fmt.Sprintf("%s/triggers/%d", base, chains[0].ID)

		// A bad date keeps the form and says what is wrong.
		code, body, _ = zhang.post(base+"/triggers", url.Values{"csrf_token": {tok}, "kind": {"ruling-served"}, "date": {"2026-02-30"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "2026-02-30") {
			t.Fatalf("bad date: %d", code)
		}

		// The assistant sees the chain but may not change it; zhao sees nothing.
		if code, body, _ := li.get(base + "/deadlines"); code != http.StatusOK || !strings.Contains(body, "2026-02-24") || strings.Contains(body, "trigger-form") {
			t.Errorf("assistant view: %d", code)
		}
		liTok := li.csrf(base + "/deadlines")
		if code, _, _ := li.post(trig+"/cancel", url.Values{"csrf_token": {liTok}}); code != http.StatusNotFound {
			t.Errorf("assistant cancels: %d", code)
		}
		if code, body, _ := zhao.get(base + "/deadlines"); code != http.StatusNotFound || strings.Contains(body, "2026-02-24") {
			t.Errorf("outsider sees the chain: %d", code)
		}
		zhaoTok := zhao.csrf("/deadlines")
		for _, path := range []string{base + "/triggers", trig, trig + "/cancel"} {
			if code, _, _ := zhao.post(path, url.Values{"csrf_token": {zhaoTok}, "kind": {"judgment-served"}, "date": {"2026-03-02"}}); code != http.StatusNotFound {
				t.Errorf("outsider POST %s: %d", path, code)
			}
		}

		// Moving the event moves the deadline; cancelling removes it.
		if code, body, _ := zhang.post(trig, url.Values{"csrf_token": {tok}, "date": {"2026-09-20"}}); code != http.StatusSeeOther {
			t.Fatalf("update: %d %s", code, body)
		}
		if _, page, _ := zhang.get(base + "/deadlines"); !strings.Contains(page, "2026-10-08") || strings.Contains(page, "2026-02-24") {
			t.Errorf("after update:\n%s", page)
		}
		if code, _, _ := zhang.post(trig+"/cancel", url.Values{"csrf_token": {tok}}); code != http.StatusSeeOther {
			t.Fatalf("cancel: %d", code)
		}
		if left, _ := db.FindDeadlines(ctx, store.DeadlineFilter{MatterID: m.ID}); len(left) != 0 {
			t.Errorf("deadlines left after cancel: %d", len(left))
		}
	})
}
