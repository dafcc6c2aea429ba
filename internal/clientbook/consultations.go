package clientbook

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// FreeLimitKey is the firm setting with the free-consultation limit in
// minutes.
const FreeLimitKey = "consultation_free_minutes"

// DefaultFreeLimit is the free-consultation limit when the firm set none.
const DefaultFreeLimit = 15 * time.Minute

// Channels offered for a consultation.
var Channels = []string{"微信", "企业微信", "电话", "面谈", "视频"}

// FreeLimit is the firm's free-consultation limit.
func (s *Service) FreeLimit(ctx context.Context) (time.Duration, error) {
	v, err := s.db.Setting(ctx, FreeLimitKey)
	if errors.Is(err, store.ErrNotFound) {
		return DefaultFreeLimit, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return DefaultFreeLimit, nil
	}
	return time.Duration(n) * time.Minute, nil
}

// SetFreeLimit sets the firm's free-consultation limit (admins only).
func (s *Service) SetFreeLimit(ctx context.Context, p *auth.Principal, minutes int) error {
	if err := access.Administer(p.Actor()); err != nil {
		return err
	}
	if minutes < 1 || minutes > 600 {
		return invalid("免费咨询时限应在 1 到 600 分钟之间")
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetSetting(ctx, FreeLimitKey, strconv.Itoa(minutes)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "settings.consultation", FreeLimitKey, strconv.Itoa(minutes)))
	})
}

// StartConsultation logs a consultation that starts now (or at c.StartedAt)
// with the contact; the lawyer defaults to p.
func (s *Service) StartConsultation(ctx context.Context, p *auth.Principal, c *model.Consultation) error {
	c.Channel, c.Topic, c.Source = trim(c.Channel), trim(c.Topic), trim(c.Source)
	if c.LawyerID == 0 && p != nil {
		c.LawyerID = p.User.ID
	}
	if c.Channel == "" {
		return invalid("请选择咨询渠道")
	}
	if c.Topic == "" {
		return invalid("请填写咨询事项")
	}
	for _, f := range []struct{ label, v string }{{"渠道", c.Channel}, {"咨询事项", c.Topic}, {"来源", c.Source}} {
		if err := checkLen(f.label, f.v, 200); err != nil {
			return err
		}
	}
	contact, err := s.db.ContactByID(ctx, c.ContactID)
	if errors.Is(err, store.ErrNotFound) {
		return invalid("联系人 #%d 不存在", c.ContactID)
	}
	if err != nil {
		return err
	}
	if _, err := s.userRole(ctx, c.LawyerID); err != nil {
		return err
	}
	if c.MatterID != 0 {
		// Started from a matter page: the matter must be one p may see;
		// one p may not see answers like a missing one (and is audited).
		m, err := s.db.MatterByID(ctx, c.MatterID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err == nil && access.ViewMatter(p.Actor(), m) != nil {
			if aerr := s.db.Audit(ctx, audit(p, "matter.view.denied", fmt.Sprintf("matter/%d", c.MatterID), "咨询关联无权查看的案件")); aerr != nil {
				return aerr
			}
			err = store.ErrNotFound
		}
		if err != nil {
			return invalid("案件 #%d 不存在", c.MatterID)
		}
	}
	if c.Source == "" {
		c.Source = contact.Source
	}
	if c.StartedAt.IsZero() {
		c.StartedAt = s.now()
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateConsultation(ctx, c); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "consultation.start", fmt.Sprintf("consultation/%d", c.ID), contact.Name+"："+c.Topic))
	})
}

// Consultation returns one consultation p may see.
func (s *Service) Consultation(ctx context.Context, p *auth.Principal, id int64) (*model.Consultation, error) {
	c, err := s.db.ConsultationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return c, access.ViewConsultation(p.Actor(), c)
}

// StopConsultation records the end of an ongoing consultation.
func (s *Service) StopConsultation(ctx context.Context, p *auth.Principal, id int64) error {
	c, err := s.Consultation(ctx, p, id)
	if err != nil {
		return err
	}
	if !c.EndedAt.IsZero() {
		return invalid("该咨询已结束")
	}
	at := s.now()
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.EndConsultation(ctx, id, at); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "consultation.stop", fmt.Sprintf("consultation/%d", id),
			fmt.Sprintf("%d 分钟", int(at.Sub(c.StartedAt).Minutes()))))
	})
}

// Consultations lists what p may see: admins everything, others their own.
func (s *Service) Consultations(ctx context.Context, p *auth.Principal, f store.ConsultationFilter) ([]*model.Consultation, error) {
	if p != nil && !access.IsAdmin(p.Actor()) {
		f.LawyerID = p.User.ID
	}
	return s.db.FindConsultations(ctx, f)
}

// Convert turns a consultation into a matter (委托): the matter is created
// (engaged, the consulting contact as 委托人 unless parties are given, with
// the conflict check recorded) and linked to the consultation.
func (s *Service) Convert(ctx context.Context, p *auth.Principal, id int64, m *model.Matter) (Report, error) {
	c, err := s.Consultation(ctx, p, id)
	if err != nil {
		return Report{}, err
	}
	if c.MatterID != 0 {
		return Report{}, invalid("该咨询已转为案件 #%d", c.MatterID)
	}
	contact, err := s.db.ContactByID(ctx, c.ContactID)
	if err != nil {
		return Report{}, err
	}
	if len(m.Parties) == 0 {
		m.Parties = []model.Party{{ContactID: contact.ID, Name: contact.Name, Kind: contact.Kind, Role: model.PartyClient,
			USCC: contact.USCC, IDNumber: contact.IDNumber, Phone: contact.Phone}}
	}
	if m.Status == "" {
		m.Status = model.MatterEngaged
	}
	if m.Title == "" {
		m.Title = contact.Name + "：" + c.Topic
	}
	if m.LeadLawyerID == 0 {
		m.LeadLawyerID = c.LawyerID
	}
	rep, err := s.CreateMatter(ctx, p, m)
	if err != nil {
		return Report{}, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.LinkConsultation(ctx, c.ID, m.ID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "consultation.convert", fmt.Sprintf("consultation/%d", c.ID), fmt.Sprintf("matter/%d", m.ID)))
	})
	return rep, err
}

// ReportRow is one line of the conversion report.
type ReportRow struct {
	Key           string
	Consultations int
	Converted     int
}

// Rate is the conversion rate in percent.
func (r ReportRow) Rate() float64 {
	if r.Consultations == 0 {
		return 0
	}
	return 100 * float64(r.Converted) / float64(r.Consultations)
}

// RateText is the rate for display, e.g. "33.3%".
func (r ReportRow) RateText() string { return strconv.FormatFloat(r.Rate(), 'f', 1, 64) + "%" }

// ConversionReport counts consultations and conversions per month (in
// Asia/Shanghai), per lawyer and per source.
type ConversionReport struct {
	Total    ReportRow
	ByMonth  []ReportRow // oldest month first
	ByLawyer []ReportRow // by lawyer's display name
	BySource []ReportRow
}

// Report computes the conversion report over consultations started in
// [from, to) that p may see (zero bounds do not limit).
func (s *Service) Report(ctx context.Context, p *auth.Principal, from, to time.Time) (*ConversionReport, error) {
	list, err := s.Consultations(ctx, p, store.ConsultationFilter{From: from, To: to})
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	month, lawyer, source := map[string]*ReportRow{}, map[string]*ReportRow{}, map[string]*ReportRow{}
	rep := &ConversionReport{Total: ReportRow{Key: "合计"}}
	add := func(m map[string]*ReportRow, key string, converted bool) {
		r := m[key]
		if r == nil {
			r = &ReportRow{Key: key}
			m[key] = r
		}
		r.Consultations++
		if converted {
			r.Converted++
		}
	}
	for _, c := range list {
		name, ok := names[c.LawyerID]
		if !ok {
			name = fmt.Sprintf("用户 #%d", c.LawyerID)
			if u, err := s.db.UserByID(ctx, c.LawyerID); err == nil {
				name = u.DisplayName
			}
			names[c.LawyerID] = name
		}
		src := c.Source
		if src == "" {
			src = "未注明"
		}
		conv := c.MatterID != 0
		add(month, c.StartedAt.In(calendar.Shanghai).Format("2006-01"), conv)
		add(lawyer, name, conv)
		add(source, src, conv)
		rep.Total.Consultations++
		if conv {
			rep.Total.Converted++
		}
	}
	rep.ByMonth, rep.ByLawyer, rep.BySource = sorted(month), sorted(lawyer), sorted(source)
	return rep, nil
}

func sorted(m map[string]*ReportRow) []ReportRow {
	out := make([]ReportRow, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
