package archive_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestVisibleSaysAll: Visible never answers nil; the command line (and an
// administrator) gets a set marked All, one who sees none an empty set.
func TestVisibleSaysAll(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		authSvc := auth.New(db, nil)
		users := map[string]*model.User{}
		for name, role := range map[string]model.Role{"zhang": model.RoleLawyer, "zhao": model.RoleAssistant} {
			u, err := authSvc.CreateUser(ctx, nil, auth.NewUser{Username: name, DisplayName: name, Role: role, Password: "correct horse battery 9"}, auth.Client{IP: "cli"})
			if err != nil {
				t.Fatal(err)
			}
			users[name] = u
		}
		m := &model.Matter{Title: "案件", Type: model.MatterCivil, Status: model.MatterInProgress, LeadLawyerID: users["zhang"].ID}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportFile(ctx, fixture("wechatmsg.csv"), archive.ImportOptions{MatterID: m.ID}, cli); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			who  string
			p    *auth.Principal
			all  bool
			list int
		}{
			{"command line", nil, true, 1},
			// A user who is not an administrator gets the ids (computed
			// from their own matters), even when they are every one.
			{"lead lawyer", &auth.Principal{User: users["zhang"]}, false, 1},
			{"assistant not on the matter", &auth.Principal{User: users["zhao"]}, false, 0},
		} {
			set, err := s.Visible(ctx, tc.p)
			if err != nil || set == nil || set.All != tc.all || (!tc.all && len(set.IDs) != tc.list) {
				t.Fatalf("%s: got %+v, %v; want All=%v", tc.who, set, err, tc.all)
			}
			list, err := db.VisibleConversations(ctx, set, store.ConversationPage{})
			if err != nil || len(list) != tc.list {
				t.Fatalf("%s lists %d conversations (%v), want %d", tc.who, len(list), err, tc.list)
			}
		}
	})
}

// TestRunAutoArchiveReportsOnlyWhatHappened: a run with nothing to do
// reports nothing; a due month is archived and reported once.
func TestRunAutoArchiveReportsOnlyWhatHappened(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		if _, err := s.ImportFile(ctx, fixture("wechatmsg.csv"), archive.ImportOptions{}, cli); err != nil { // March 2024
			t.Fatal(err)
		}
		// run lets the loop run until it has reported want times (at most
		// 20 s, for a loaded machine) or, when want is 0, for 50 ms.
		run := func(now time.Time, want int) []error {
			var mu sync.Mutex
			var reports []error
			runCtx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() {
				defer close(done)
				s.RunAutoArchive(runCtx, time.Millisecond, func() time.Time { return now }, func(a *model.ChatArchive, err error) {
					if errors.Is(err, context.Canceled) {
						return // the run ending mid-check
					}
					mu.Lock()
					defer mu.Unlock()
					if err == nil && a == nil {
						err = errors.New("reported neither an archive nor an error")
					}
					reports = append(reports, err)
				})
			}()
			time.Sleep(50 * time.Millisecond)
			for deadline := time.Now().Add(20 * time.Second); want > 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				mu.Lock()
				n := len(reports)
				mu.Unlock()
				if n >= want {
					break
				}
			}
			cancel()
			<-done
			mu.Lock()
			defer mu.Unlock()
			return reports
		}
		if got := run(time.Date(2024, 4, 2, 1, 0, 0, 0, time.UTC), 0); len(got) != 0 {
			t.Fatalf("unconfigured: reported %v", got)
		}
		id, _ := age.GenerateX25519Identity()
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.SetSetting(ctx, archive.SettingRecipients, id.Recipient().String())
		}); err != nil {
			t.Fatal(err)
		}
		if got := run(time.Date(2024, 4, 20, 1, 0, 0, 0, time.UTC), 0); len(got) != 0 {
			t.Fatalf("too late in the month: reported %v", got)
		}
		if got := run(time.Date(2024, 4, 2, 1, 0, 0, 0, time.UTC), 1); len(got) != 1 || got[0] != nil {
			t.Fatalf("due month: reported %v, want one archive", got)
		}
		archives, err := db.ChatArchives(ctx)
		if err != nil || len(archives) != 1 || archives[0].Month != "2024-03" {
			t.Fatalf("archives: %+v, %v", archives, err)
		}
	})
}
