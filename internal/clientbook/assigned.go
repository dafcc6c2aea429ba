package clientbook

import (
	"context"
	"fmt"
	"slices"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Poster posts a notification inside a workflow's transaction
// (*notify.Service is one); the client book tells staff they were
// assigned to a matter through it.
type Poster interface {
	PostTx(ctx context.Context, tx *store.Tx, n model.Notification) error
}

// SetPoster makes the service post notifications through p (nil: none).
// Call it before the service is used.
func (s *Service) SetPoster(p Poster) { s.poster = p }

// postAssigned tells, inside tx, each person newly put on matter m (as lead
// lawyer, assisting staff or a lawyer it is shared with) that it is theirs
// now; before is the matter as it was (nil for a new matter). Whoever made
// the change is not told about their own doing.
func (s *Service) postAssigned(ctx context.Context, tx *store.Tx, p *auth.Principal, before, m *model.Matter) error {
	if s.poster == nil {
		return nil
	}
	actorID, _ := actor(p)
	had := func(id int64, ids []int64, lead bool) bool {
		if before == nil {
			return false
		}
		if lead {
			return before.LeadLawyerID == id
		}
		return slices.Contains(ids, id)
	}
	told := map[int64]bool{}
	post := func(id int64, role string, already bool) error {
		if id == 0 || id == actorID || already || told[id] {
			return nil
		}
		told[id] = true
		return s.poster.PostTx(ctx, tx, model.Notification{UserID: id, Kind: model.NotifyAssigned,
			Title: fmt.Sprintf("分配给我：%s", m.Ref()), Body: "您被设为该案件的" + role + "。",
			Link: fmt.Sprintf("/matters/%d", m.ID), MatterID: m.ID})
	}
	if err := post(m.LeadLawyerID, "承办律师", had(m.LeadLawyerID, nil, true)); err != nil {
		return err
	}
	for _, id := range m.AssistantIDs {
		var old []int64
		if before != nil {
			old = before.AssistantIDs
		}
		if err := post(id, "协办人员", had(id, old, false)); err != nil {
			return err
		}
	}
	for _, id := range m.SharedWithIDs {
		var old []int64
		if before != nil {
			old = before.SharedWithIDs
		}
		if err := post(id, "共享律师", had(id, old, false)); err != nil {
			return err
		}
	}
	return nil
}
