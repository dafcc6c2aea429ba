package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// matterHub fills in what else belongs to the matter page: the matter's
// deadlines and consultations, each list through its own access rule (a
// lawyer sees the deadlines they own and the consultations they held, an
// admin all), and what the add actions need.
func (s *Server) matterHub(r *http.Request, p *auth.Principal, m *model.Matter, view *matterView) error {
	ctx := r.Context()
	deadlines, err := s.cfg.DB.FindDeadlines(ctx, store.DeadlineFilter{MatterID: m.ID, Limit: 200})
	if err != nil {
		return err
	}
	for _, d := range deadlines {
		if access.ViewDeadline(p.Actor(), d) == nil {
			view.Deadlines = append(view.Deadlines, d)
		}
	}
	consultations, err := s.cfg.DB.FindConsultations(ctx, store.ConsultationFilter{MatterID: m.ID, Limit: 100})
	if err != nil {
		return err
	}
	view.Contacts = map[int64]string{}
	for _, c := range consultations {
		if access.ViewConsultation(p.Actor(), c) != nil {
			continue
		}
		view.Consultations = append(view.Consultations, c)
		if _, ok := view.Contacts[c.ContactID]; !ok {
			if ct, err := s.cfg.DB.ContactByID(ctx, c.ContactID); err == nil {
				view.Contacts[c.ContactID] = ct.Name
			}
		}
	}
	seen := map[int64]bool{}
	for _, pt := range m.Parties {
		if pt.ContactID != 0 && !seen[pt.ContactID] {
			seen[pt.ContactID] = true
			view.ConsultWith = append(view.ConsultWith, pt)
		}
	}
	view.Channels = clientbook.Channels
	view.IsClosed = m.Status.Rank() >= model.MatterClosed.Rank()
	view.CanReopen = view.IsClosed && access.IsAdmin(p.Actor())
	view.DeadlineNew = "/deadlines?" + url.Values{"matter": {m.Ref()}, "matter_id": {strconv.FormatInt(m.ID, 10)}}.Encode() + "#compute-form"
	return nil
}
