package archive_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestVisibleMatchesTheRule: the visible set Visible computes in SQL for a
// user is exactly what access.ViewChat decides conversation by
// conversation, on random firms: lawyers, assistants, administrators and a
// disabled lawyer; matters with lead, assisting and shared staff;
// conversations fed by several imports, linked to a matter, to none, or to
// a matter that does not exist.
func TestVisibleMatchesTheRule(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		for seed := range uint64(4) {
			rng := rand.New(rand.NewPCG(seed, 17))
			var users []*model.User
			var matters []*model.Matter
			err := db.Update(ctx, func(tx *store.Tx) error {
				roles := []model.Role{model.RoleLawyer, model.RoleLawyer, model.RoleLawyer, model.RoleAssistant, model.RoleAssistant, model.RoleAdmin}
				for i := range 9 {
					u := &model.User{Username: fmt.Sprintf("u%d-%d", seed, i), DisplayName: fmt.Sprintf("用户%d", i),
						Role: roles[rng.IntN(len(roles))], PasswordHash: "x", Disabled: i == 8}
					if err := tx.CreateUser(ctx, u); err != nil {
						return err
					}
					users = append(users, u)
				}
				pick := func() []int64 {
					var ids []int64
					for _, u := range users {
						if rng.IntN(5) == 0 {
							ids = append(ids, u.ID)
						}
					}
					return ids
				}
				for i := range 12 {
					m := &model.Matter{Title: fmt.Sprintf("案件%d-%d", seed, i), Type: model.MatterCivil, Status: model.MatterInProgress,
						LeadLawyerID: users[rng.IntN(len(users))].ID, AssistantIDs: pick(), SharedWithIDs: pick()}
					if err := tx.CreateMatter(ctx, m); err != nil {
						return err
					}
					matters = append(matters, m)
				}
				for i := range 25 {
					var matterID int64
					switch r := rng.IntN(10); {
					case r < 5:
						matterID = matters[rng.IntN(len(matters))].ID
					case r == 5 && seed >= 2: // seeds 0 and 1: no damaged link (administrators see all)
						matterID = 900000 + int64(i) // a matter that does not exist
					}
					importer := users[rng.IntN(len(users))].Username
					if rng.IntN(6) == 0 {
						importer = "命令行"
					}
					imp := &model.ChatImport{FileName: "x.csv", Format: "wechatmsg", SHA256: "00", MatterID: matterID, ImportedBy: importer}
					if err := tx.CreateChatImport(ctx, imp); err != nil {
						return err
					}
					// Conversations are shared between imports through a
					// common scope, so one conversation has several sources
					// with different matters and importers.
					for range 1 + rng.IntN(3) {
						c := &model.Conversation{Key: fmt.Sprintf("k%d", rng.IntN(15)), Kind: model.ConversationDirect, Title: "会话"}
						if _, err := tx.EnsureConversation(ctx, c, store.ConversationOrigin{Scope: fmt.Sprintf("s%d", seed), MatterID: matterID, ImportID: imp.ID}); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			all, err := db.ConversationMatters(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range users {
				p := &auth.Principal{User: u}
				got, err := s.Visible(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				want, err := archive.VisibleRowByRow(s, ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(expand(got, all), expand(want, all)) {
					t.Fatalf("seed %d, %s (%s, disabled %v): SQL sees %v, the rule %v", seed, u.Username, u.Role, u.Disabled,
						expand(got, all), expand(want, all))
				}
			}
		}
	})
}

// expand lists a set's conversations (All: every one).
func expand(set *store.ConversationSet, all []store.ConversationMatter) []int64 {
	if !set.All {
		return set.IDs
	}
	var ids []int64
	for _, c := range all {
		ids = append(ids, c.ID)
	}
	return ids
}
