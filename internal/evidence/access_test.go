package evidence

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// accessFixture is a firm with one matter and evidence linked to it or not.
type accessFixture struct {
	users  map[string]*auth.Principal
	matter *model.Matter
	// linked is added by the lead lawyer to the matter; unlinked by the
	// assistant "adder" with free text; cli by the command line, unlinked;
	// moved is added by "adder" and then assigned to the matter by the admin.
	linked, unlinked, cli, moved *model.EvidenceItem
}

const testPassword = "测试用的足够长密码-01"

func newAccessFixture(t *testing.T, db *store.DB, s *Service) *accessFixture {
	t.Helper()
	ctx := context.Background()
	authSvc := auth.New(db, nil)
	f := &accessFixture{users: map[string]*auth.Principal{}}
	for _, u := range []struct {
		name string
		role model.Role
	}{
		{"admin", model.RoleAdmin}, {"lead", model.RoleLawyer}, {"shared", model.RoleLawyer}, {"other", model.RoleLawyer},
		{"assigned", model.RoleAssistant}, {"unassigned", model.RoleAssistant}, {"adder", model.RoleAssistant},
	} {
		user, err := authSvc.CreateUser(ctx, nil, auth.NewUser{Username: u.name, DisplayName: u.name, Role: u.role, Password: testPassword}, auth.Client{})
		if err != nil {
			t.Fatal(err)
		}
		f.users[u.name] = &auth.Principal{User: user}
	}
	f.matter = &model.Matter{Title: "王某诉李某借贷纠纷", Type: model.MatterCivil, CaseNumber: "(2026)京0105民初1号", Status: model.MatterInProgress,
		LeadLawyerID: f.users["lead"].User.ID, AssistantIDs: []int64{f.users["assigned"].User.ID}, SharedWithIDs: []int64{f.users["shared"].User.ID}}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, f.matter) }); err != nil {
		t.Fatal(err)
	}
	addAs := func(who string, in AddInput, data string) *model.EvidenceItem {
		t.Helper()
		in.FileName = in.Title + ".txt"
		item, err := s.Add(ctx, f.users[who], auth.Client{}, in, strings.NewReader(data))
		if err != nil {
			t.Fatalf("add %s as %q: %v", in.Title, who, err)
		}
		return item
	}
	f.linked = addAs("lead", AddInput{Title: "借条", MatterID: f.matter.ID}, "今借到人民币壹万元整")
	f.unlinked = addAs("adder", AddInput{Title: "聊天记录", MatterRef: "王某咨询"}, "聊天记录")
	f.moved = addAs("adder", AddInput{Title: "转账记录"}, "转账 10000 元")
	f.cli = addAs("", AddInput{Title: "录音"}, "录音")
	if _, err := s.Assign(ctx, f.users["admin"], auth.Client{}, f.moved.ID, f.matter.ID, ""); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestEvidenceAccessRule runs the rule through every entry point of the
// service: item page, download, list, export and assign.
func TestEvidenceAccessRule(t *testing.T) {
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db, t.TempDir(), "", nil)
		f := newAccessFixture(t, db, s)
		if f.linked.MatterID != f.matter.ID || f.linked.MatterRef != "#1 (2026)京0105民初1号 王某诉李某借贷纠纷" {
			t.Fatalf("linked item: %d %q", f.linked.MatterID, f.linked.MatterRef)
		}
		if entry, err := s.Entry(ctx, f.linked); err != nil || entry.Matter != f.linked.MatterRef {
			t.Fatalf("log entry of the linked item: %q, %v", entry.Matter, err)
		}
		disabled := *f.users["admin"].User
		disabled.Disabled = true
		cases := []struct {
			name string
			p    *auth.Principal
			// visible items, by title
			want []string
		}{
			{"admin sees all", f.users["admin"], []string{"借条", "聊天记录", "转账记录", "录音"}},
			{"lead lawyer sees the matter's items", f.users["lead"], []string{"借条", "转账记录"}},
			{"lawyer the matter is shared with", f.users["shared"], []string{"借条", "转账记录"}},
			{"other lawyer sees nothing", f.users["other"], nil},
			{"assigned assistant sees the matter's items", f.users["assigned"], []string{"借条", "转账记录"}},
			{"unassigned assistant sees nothing", f.users["unassigned"], nil},
			// The adder keeps an unlinked item; once it is linked to a matter
			// they are not on, the matter decides.
			{"adder of an unlinked item", f.users["adder"], []string{"聊天记录"}},
			{"disabled admin", &auth.Principal{User: &disabled}, nil},
			{"local CLI", nil, []string{"借条", "聊天记录", "转账记录", "录音"}},
		}
		all := []*model.EvidenceItem{f.linked, f.unlinked, f.moved, f.cli}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				listed, err := s.List(ctx, c.p, store.EvidenceFilter{})
				if err != nil {
					t.Fatal(err)
				}
				var titles []string
				for _, it := range listed {
					titles = append(titles, it.Title)
				}
				if !slices.Equal(titles, c.want) {
					t.Errorf("list: %v, want %v", titles, c.want)
				}
				for _, it := range all {
					want := slices.Contains(c.want, it.Title)
					_, err := s.Item(ctx, c.p, auth.Client{}, it.ID)
					if (err == nil) != want || (err != nil && !errors.Is(err, auth.ErrForbidden)) {
						t.Errorf("item %s: %v, want allowed=%v", it.Title, err, want)
					}
					_, rc, err := s.Open(ctx, c.p, auth.Client{}, it.ID)
					if (err == nil) != want || (err != nil && !errors.Is(err, auth.ErrForbidden)) {
						t.Errorf("download %s: %v, want allowed=%v", it.Title, err, want)
					}
					if rc != nil {
						rc.Close()
					}
					_, err = s.Export(ctx, c.p, auth.Client{}, ExportFilter{IDs: []int64{it.ID}}, io.Discard)
					if (err == nil) != want || (err != nil && !errors.Is(err, auth.ErrForbidden)) {
						t.Errorf("export %s: %v, want allowed=%v", it.Title, err, want)
					}
				}
			})
		}

		// A matter export holds only visible items; an export of a matter the
		// user may not see, or naming an invisible item beside a visible
		// one, is refused.
		var buf bytes.Buffer
		sum, err := s.Export(ctx, f.users["assigned"], auth.Client{}, ExportFilter{MatterID: f.matter.ID}, &buf)
		if err != nil || sum.Items != 2 {
			t.Fatalf("matter export by the assigned assistant: %+v, %v", sum, err)
		}
		// A matter one may not see answers like a matter that does not exist.
		hiddenMatter := func(err error) bool {
			return errors.Is(err, model.ErrInvalidInput) && strings.Contains(err.Error(), "不存在") && !errors.Is(err, auth.ErrForbidden)
		}
		if _, err := s.Export(ctx, f.users["unassigned"], auth.Client{}, ExportFilter{MatterID: f.matter.ID}, io.Discard); !hiddenMatter(err) {
			t.Fatalf("matter export by the unassigned assistant: %v", err)
		}
		if _, err := s.Export(ctx, f.users["unassigned"], auth.Client{}, ExportFilter{MatterID: 9999}, io.Discard); !hiddenMatter(err) {
			t.Fatalf("matter export of a missing matter: %v", err)
		}
		if _, err := s.Export(ctx, f.users["adder"], auth.Client{}, ExportFilter{IDs: []int64{f.unlinked.ID, f.moved.ID}}, io.Discard); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("export naming an invisible item: %v", err)
		}
		if sum, err := s.Export(ctx, f.users["adder"], auth.Client{}, ExportFilter{}, io.Discard); err != nil || sum.Items != 1 {
			t.Fatalf("export of all evidence by the adder: %+v, %v", sum, err)
		}

		// Assign: only an item one may see, only to a matter one may see.
		if _, err := s.Assign(ctx, f.users["unassigned"], auth.Client{}, f.linked.ID, 0, "别的案件"); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("assign by the unassigned assistant: %v", err)
		}
		if _, err := s.Assign(ctx, f.users["adder"], auth.Client{}, f.unlinked.ID, f.matter.ID, ""); !hiddenMatter(err) {
			t.Fatalf("assign to a matter the adder may not see: %v", err)
		}
		if _, err := s.Assign(ctx, f.users["adder"], auth.Client{}, f.unlinked.ID, 0, "#1"); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("free text in the #id form: %v", err)
		}
		if _, err := s.Add(ctx, f.users["adder"], auth.Client{}, AddInput{FileName: "x.txt", MatterID: f.matter.ID}, strings.NewReader("x")); !hiddenMatter(err) {
			t.Fatalf("add to a matter the adder may not see: %v", err)
		}
		if _, err := s.Add(ctx, f.users["lead"], auth.Client{}, AddInput{FileName: "x.txt", MatterID: 99}, strings.NewReader("x")); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("add to a missing matter: %v", err)
		}

		// The assigned assistant may see the linked item but not take it out
		// of its matter, nor move it; the lead lawyer may.
		for _, to := range []struct {
			id  int64
			ref string
		}{{0, ""}, {0, "别的案件"}} {
			if _, err := s.Assign(ctx, f.users["assigned"], auth.Client{}, f.linked.ID, to.id, to.ref); !errors.Is(err, auth.ErrForbidden) || errors.Is(err, auth.ErrHidden) {
				t.Fatalf("assistant unlinks evidence (%q): %v", to.ref, err)
			}
		}
		if it, err := s.Item(ctx, f.users["lead"], auth.Client{}, f.linked.ID); err != nil || it.MatterID != f.matter.ID {
			t.Fatalf("after refused unlinking the item is still linked: %+v, %v", it, err)
		}
		if ev, _ := db.FindAudit(ctx, store.AuditFilter{Action: "evidence.assign.denied"}); len(ev) != 2 {
			t.Fatalf("refused unlinking audited %d times, want 2", len(ev))
		}

		// Refusals are audited like refused matter views.
		denied, err := db.FindAudit(ctx, store.AuditFilter{Action: "evidence.view.denied"})
		if err != nil || len(denied) == 0 {
			t.Fatalf("denied audit: %d, %v", len(denied), err)
		}
		seen := map[string]bool{}
		for _, ev := range denied {
			seen[ev.Actor+" "+ev.Detail] = true
		}
		for _, want := range []string{"unassigned 无权访问，已拒绝：查看证据详情", "unassigned 无权访问，已拒绝：下载证据文件",
			"unassigned 无权访问，已拒绝：导出证据包", "unassigned 无权访问，已拒绝：指定案件"} {
			if !seen[want] {
				t.Errorf("no denied audit %q", want)
			}
		}
		if ev, _ := db.FindAudit(ctx, store.AuditFilter{Action: "matter.view.denied"}); len(ev) == 0 {
			t.Error("choosing an invisible matter was not audited")
		}
	})
}

// TestResolveMatter reads --matter text of the command line.
func TestResolveMatter(t *testing.T) {
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db, t.TempDir(), "", nil)
		f := newAccessFixture(t, db, s)
		twin := &model.Matter{Title: "王某诉李某借贷纠纷", Type: model.MatterCivil, Status: model.MatterConsulting, LeadLawyerID: f.users["lead"].User.ID}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, twin) }); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			in      string
			id      int64
			text    string
			invalid bool
		}{
			{"#1", f.matter.ID, "", false},
			{"＃1", f.matter.ID, "", false},
			{"#99", 0, "", true},
			{"（2026）京0105民初1号", f.matter.ID, "", false},
			{"(2026)京0105民初1号", f.matter.ID, "", false},
			{"（2026）京0105民初 1 号", f.matter.ID, "", false}, // normalised as matters store it
			{"王某诉李某借贷纠纷", 0, "", true},                    // two matters bear the title
			{"王某咨询", 0, "王某咨询", false},
			{"", 0, "", false},
			{"#1 改名", 0, "", true},
		} {
			id, text, err := s.ResolveMatter(ctx, c.in)
			if id != c.id || text != c.text || errors.Is(err, model.ErrInvalidInput) != c.invalid || (err != nil && !c.invalid) {
				t.Errorf("ResolveMatter(%q) = %d, %q, %v; want %d, %q, invalid=%v", c.in, id, text, err, c.id, c.text, c.invalid)
			}
		}
	})
}
