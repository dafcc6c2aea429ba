package clientbook

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// A party whose ID number, USCC or phone is a contact's is linked to it:
// when the matter is created, when a party is added, and for parties that
// existed before the contact (linked when the contact is saved, or by
// LinkParties at start-up). Formatting differences do not matter; a party
// matching nobody stays unlinked.
func TestPartiesLinkToContacts(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		org := uscc("91110105MA01ABCD0")
		person := &model.Contact{Kind: model.ContactPerson, Name: "张三", IDNumber: "11010519491231002X"}
		company := &model.Contact{Kind: model.ContactOrg, Name: "北京某某科技有限公司", USCC: org}
		byPhone := &model.Contact{Kind: model.ContactPerson, Name: "李四", Phone: "13800138000"}
		for _, c := range []*model.Contact{person, company, byPhone} {
			if err := f.svc.CreateContact(ctx, f.lead, c); err != nil {
				t.Fatal(err)
			}
		}
		m := &model.Matter{Title: "买卖合同纠纷", Type: model.MatterCivil, Parties: []model.Party{
			{Name: "张三", Role: model.PartyClient, IDNumber: "11010519491231002x"},
			{Name: "北京某某科技", Kind: model.ContactOrg, Role: model.PartyOpposing, USCC: org},
			{Name: "李四", Role: model.PartyThird, Phone: "+86 138-0013-8000"},
			{Name: "王五", Role: model.PartyOther, Phone: "13900000000"},
		}}
		if _, err := f.svc.CreateMatter(ctx, f.lead, m); err != nil {
			t.Fatal(err)
		}
		got, _ := f.db.MatterByID(ctx, m.ID)
		want := []int64{person.ID, company.ID, byPhone.ID, 0}
		for i, pt := range got.Parties {
			if pt.ContactID != want[i] {
				t.Errorf("party %s linked to %d, want %d", pt.Name, pt.ContactID, want[i])
			}
		}
		// A party added later is linked on save.
		added := model.Party{Name: "张三（别名）", Role: model.PartyClient, IDNumber: "11010519491231002X"}
		if _, err := f.svc.AddParty(ctx, f.lead, m.ID, &added); err != nil {
			t.Fatal(err)
		}
		if p, _ := f.db.PartyByID(ctx, m.ID, added.ID); p.ContactID != person.ID {
			t.Errorf("added party linked to %d", p.ContactID)
		}
		// 王五 becomes a contact later: the existing party is linked and
		// the link is audited.
		wang := &model.Contact{Kind: model.ContactPerson, Name: "王五", Phone: "139 0000 0000"}
		if err := f.svc.CreateContact(ctx, f.lead, wang); err != nil {
			t.Fatal(err)
		}
		got, _ = f.db.MatterByID(ctx, m.ID)
		if got.Parties[3].ContactID != wang.ID {
			t.Errorf("existing party not linked to the new contact: %d", got.Parties[3].ContactID)
		}
		events, _ := f.db.FindAudit(ctx, store.AuditFilter{Action: "matter.party.link"})
		if len(events) != 1 || !strings.Contains(events[0].Detail, "王五") {
			t.Errorf("link audit: %+v", events)
		}
		// A party saved before any contact (straight into the store, as an
		// older version would have) is linked by LinkParties.
		old := model.Party{MatterID: m.ID, Name: "北京某某科技有限公司", Kind: model.ContactOrg, Role: model.PartyOpposing, USCC: org}
		if err := f.db.Update(ctx, func(tx *store.Tx) error { return tx.AddParty(ctx, &old) }); err != nil {
			t.Fatal(err)
		}
		if n, err := f.svc.LinkParties(ctx); err != nil || n != 1 {
			t.Fatalf("LinkParties linked %d, %v; want 1", n, err)
		}
		if n, err := f.svc.LinkParties(ctx); err != nil || n != 0 {
			t.Fatalf("LinkParties again linked %d, %v", n, err)
		}
		if p, _ := f.db.PartyByID(ctx, m.ID, old.ID); p.ContactID != company.ID {
			t.Errorf("old party linked to %d", p.ContactID)
		}
	})
}

// Closing hands over the group-dissolution deadline; only an admin may
// reopen, which clears the closing date, removes the open deadline and is
// audited; closing again hands over a new one.
func TestReopenCancelsDissolution(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		m := &model.Matter{Title: "劳动争议", Type: model.MatterLabor, Status: model.MatterInProgress}
		if _, err := f.svc.CreateMatter(ctx, f.lead, m); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ReopenMatter(ctx, f.admin, m.ID); !errors.Is(err, ErrNotClosed) {
			t.Fatalf("reopening an open matter: %v", err)
		}
		change, err := f.svc.SetStatus(ctx, f.lead, m.ID, model.MatterClosed, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
		if err != nil || change.Deadline == nil {
			t.Fatalf("close: %+v %v", change, err)
		}
		if _, err := f.svc.ReopenMatter(ctx, f.lead, m.ID); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("the lead lawyer reopened: %v", err)
		}
		if _, err := f.svc.ReopenMatter(ctx, f.outside, m.ID); !errors.Is(err, auth.ErrHidden) {
			t.Fatalf("an outsider reopened: %v", err)
		}
		res, err := f.svc.ReopenMatter(ctx, f.admin, m.ID)
		if err != nil || res.Cancelled != 1 || res.From != model.MatterClosed {
			t.Fatalf("reopen: %+v %v", res, err)
		}
		got, _ := f.db.MatterByID(ctx, m.ID)
		if got.Status != model.MatterInProgress || !got.ClosedOn.IsZero() {
			t.Fatalf("after reopening: %s %v", got.Status, got.ClosedOn)
		}
		if _, err := f.db.DeadlineByID(ctx, change.Deadline.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the dissolution deadline survived reopening: %v", err)
		}
		events, _ := f.db.FindAudit(ctx, store.AuditFilter{Action: "matter.reopen"})
		if len(events) != 1 || events[0].Actor != "admin" || !strings.Contains(events[0].Detail, "撤销“结案后解散案件群”期限 1 个") {
			t.Fatalf("reopen audit: %+v", events)
		}
		again, err := f.svc.SetStatus(ctx, f.lead, m.ID, model.MatterClosed, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || again.Deadline == nil || again.Deadline.FromDate != "2026-04-01" {
			t.Fatalf("closing again: %+v %v", again, err)
		}
		open, _ := f.db.FindDeadlines(ctx, store.DeadlineFilter{MatterID: m.ID, Status: model.DeadlineOpen})
		if len(open) != 1 {
			t.Fatalf("%d open deadlines after closing again, want 1", len(open))
		}
	})
}
