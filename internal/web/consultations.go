package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

type consultationsView struct {
	Consultations []*model.Consultation
	Contacts      map[int64]string
	Names         map[int64]string
	Report        any
	LimitMinutes  int
	IsAdmin       bool
}

func (s *Server) consultationsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	ctx := r.Context()
	list, err := s.book().Consultations(ctx, p, store.ConsultationFilter{Limit: 200})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.book().Report(ctx, p, time.Time{}, time.Time{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := s.book().FreeLimit(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := consultationsView{Consultations: list, Report: rep, LimitMinutes: int(limit / time.Minute), IsAdmin: access.IsAdmin(p.Actor()),
		Contacts: map[int64]string{}}
	for _, c := range list {
		if _, ok := view.Contacts[c.ContactID]; !ok {
			if ct, err := s.cfg.DB.ContactByID(ctx, c.ContactID); err == nil {
				view.Contacts[c.ContactID] = ct.Name
			}
		}
	}
	if view.Names, _, err = s.userNames(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "consultations", page{Title: "线上咨询", Active: "/clients", Data: view})
}

func (s *Server) startConsultation(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	f := r.PostFormValue
	contactID, _ := strconv.ParseInt(f("contact_id"), 10, 64)
	ago, _ := strconv.Atoi(f("started_minutes_ago"))
	if ago < 0 || ago > 600 {
		s.fail(w, r, fmt.Errorf("%w：开始时间应在 0 到 600 分钟前", model.ErrInvalidInput))
		return
	}
	c := model.Consultation{ContactID: contactID, Channel: f("channel"), Topic: f("topic"), Source: f("source"),
		Free: f("free") == "on", StartedAt: s.cfg.Now().Add(-time.Duration(ago) * time.Minute)}
	c.MatterID, _ = strconv.ParseInt(f("matter_id"), 10, 64) // started from a matter page
	if err := s.book().StartConsultation(r.Context(), p, &c); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/consultations/%d", c.ID), http.StatusSeeOther)
}

type consultationView struct {
	Consultation *model.Consultation
	Contact      *model.Contact
	Lawyer       string
	LimitSeconds int
	LimitMinutes int
	StartedMS    int64
	Elapsed      string
	Types        []model.MatterType
}

func (s *Server) consultationPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	ctx := r.Context()
	c, err := s.book().Consultation(ctx, p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	contact, err := s.cfg.DB.ContactByID(ctx, c.ContactID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := s.book().FreeLimit(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, _, err := s.userNames(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	end := c.EndedAt
	if end.IsZero() {
		end = s.cfg.Now()
	}
	view := consultationView{Consultation: c, Contact: contact, Lawyer: names[c.LawyerID], LimitSeconds: int(limit / time.Second),
		LimitMinutes: int(limit / time.Minute), StartedMS: c.StartedAt.UnixMilli(), Elapsed: clock(end.Sub(c.StartedAt)),
		Types: model.MatterTypes}
	s.render(w, r, http.StatusOK, "consultations_consultation", page{Title: "咨询：" + c.Topic, Active: "/clients", Data: view})
}

// clock formats a duration as mm:ss (or h:mm:ss).
func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	sec := int(d / time.Second)
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%02d:%02d", sec/60, sec%60)
}

func (s *Server) stopConsultation(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.book().StopConsultation(r.Context(), p, id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/consultations/%d?done=saved", id), http.StatusSeeOther)
}

func (s *Server) convertConsultation(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	m := model.Matter{Title: r.PostFormValue("title"), Type: model.MatterType(r.PostFormValue("type"))}
	if _, err := s.book().Convert(r.Context(), p, id, &m); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/matters/%d?done=saved#checks", m.ID), http.StatusSeeOther)
}

func (s *Server) setFreeLimit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	minutes, err := strconv.Atoi(r.PostFormValue("minutes"))
	if err != nil {
		s.fail(w, r, fmt.Errorf("%w：请填写分钟数", model.ErrInvalidInput))
		return
	}
	if err := s.book().SetFreeLimit(r.Context(), p, minutes); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/consultations?done=saved", http.StatusSeeOther)
}

type conversionView struct {
	Report   *clientbook.ConversionReport
	From, To string // YYYY-MM, as entered
	IsAdmin  bool
}

// monthStart parses a YYYY-MM month as its first instant in Asia/Shanghai;
// ok is false for a malformed month, zero time for an empty one.
func monthStart(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.ParseInLocation("2006-01", v, shanghai)
	return t, err == nil
}

// conversionReportPage shows consultations, conversions and the conversion
// rate per month, per lawyer and per source, over an optional month range.
func (s *Server) conversionReportPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := r.URL.Query()
	view := conversionView{From: q.Get("from"), To: q.Get("to"), IsAdmin: access.IsAdmin(p.Actor())}
	from, okFrom := monthStart(view.From)
	to, okTo := monthStart(view.To)
	if !okFrom || !okTo {
		s.fail(w, r, fmt.Errorf("%w：月份格式应为 2024-05", model.ErrInvalidInput))
		return
	}
	if !to.IsZero() {
		to = to.AddDate(0, 1, 0) // the end month is included
	}
	rep, err := s.book().Report(r.Context(), p, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view.Report = rep
	s.render(w, r, http.StatusOK, "consultations_report", page{Title: "咨询转化报告", Active: "/clients", Data: view})
}
