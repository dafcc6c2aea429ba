package clientbook

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/casenum"
	"github.com/lvxin/lvxin/internal/contactio"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
)

// DissolutionRule is the deadline handed to the deadline engine when a
// matter closes: the case group (案件群) is dissolved within 15 working days.
const DissolutionRule = "group-dissolution"

// NormalizeParty trims and checks a party.
func NormalizeParty(pt *model.Party) error {
	for _, f := range []*string{&pt.Name, &pt.USCC, &pt.IDNumber, &pt.Phone} {
		*f = trim(*f)
	}
	if pt.Name == "" {
		return invalid("当事人名称不能为空")
	}
	if err := checkLen("当事人名称", pt.Name, 200); err != nil {
		return err
	}
	if pt.Kind == "" {
		pt.Kind = model.ContactPerson
	}
	if !pt.Kind.Valid() {
		return invalid("当事人类型应为个人或机构")
	}
	if !pt.Role.Valid() {
		return invalid("当事人“%s”的角色应为委托人、对方当事人、第三人或其他", pt.Name)
	}
	if pt.USCC != "" {
		if err := contactio.ValidUSCC(pt.USCC); err != nil {
			return fmt.Errorf("%w：当事人“%s”：%w", model.ErrInvalidInput, pt.Name, err)
		}
	}
	if pt.IDNumber != "" {
		if err := contactio.ValidIDNumber(pt.IDNumber); err != nil {
			return fmt.Errorf("%w：当事人“%s”：%w", model.ErrInvalidInput, pt.Name, err)
		}
	}
	return checkLen("电话", pt.Phone, 40)
}

// normalizeMatter trims and checks a matter's own fields and parties.
func normalizeMatter(m *model.Matter) error {
	m.Title, m.CaseNumber, m.Court = trim(m.Title), trim(m.CaseNumber), trim(m.Court)
	if m.Title == "" {
		return invalid("案件名称不能为空")
	}
	if err := checkLen("案件名称", m.Title, 200); err != nil {
		return err
	}
	if err := checkLen("法院或仲裁机构", m.Court, 200); err != nil {
		return err
	}
	if !m.Type.Valid() {
		return invalid("案件类型应为民事、商事、劳动、行政、刑事、非诉或常年法律顾问")
	}
	if m.Status == "" {
		m.Status = model.MatterConsulting
	}
	if !m.Status.Valid() {
		return invalid("案件状态不正确")
	}
	if m.CaseNumber != "" {
		n, err := casenum.Normalize(m.CaseNumber)
		if err != nil {
			return fmt.Errorf("%w：案号 %q：%w", model.ErrInvalidInput, m.CaseNumber, err)
		}
		m.CaseNumber = n
	}
	for i := range m.Parties {
		if err := NormalizeParty(&m.Parties[i]); err != nil {
			return err
		}
	}
	return nil
}

// checkStaff validates the lead lawyer, assistants and lawyers shared with.
func (s *Service) checkStaff(ctx context.Context, m *model.Matter) error {
	role, err := s.userRole(ctx, m.LeadLawyerID)
	if err != nil {
		return err
	}
	if role != model.RoleLawyer && role != model.RoleAdmin {
		return invalid("承办律师必须是律师或管理员")
	}
	for _, id := range m.AssistantIDs {
		if _, err := s.userRole(ctx, id); err != nil {
			return err
		}
	}
	for _, id := range m.SharedWithIDs {
		role, err := s.userRole(ctx, id)
		if err != nil {
			return err
		}
		if role == model.RoleAssistant {
			return invalid("案件只能共享给律师；助理请设为协办人员")
		}
	}
	return nil
}

// CreateMatter opens a matter: its parties are checked against every contact
// and every party of every matter first, and the check is recorded with the
// matter in the same transaction. The lead lawyer defaults to p.
func (s *Service) CreateMatter(ctx context.Context, p *auth.Principal, m *model.Matter) (Report, error) {
	if err := access.CreateMatter(p.Actor()); err != nil {
		return Report{}, err
	}
	if m.LeadLawyerID == 0 && p != nil {
		m.LeadLawyerID = p.User.ID
	}
	if err := normalizeMatter(m); err != nil {
		return Report{}, err
	}
	if err := s.checkStaff(ctx, m); err != nil {
		return Report{}, err
	}
	if m.Status.Rank() >= model.MatterEngaged.Rank() && m.EngagedOn.IsZero() {
		m.EngagedOn = s.today()
	}
	if err := s.linkNewParties(ctx, m.Parties); err != nil {
		return Report{}, err
	}
	rep, err := s.Check(ctx, queriesOf(m.Parties), 0)
	if err != nil {
		return Report{}, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateMatter(ctx, m); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, audit(p, "matter.create", fmt.Sprintf("matter/%d", m.ID), m.Title)); err != nil {
			return err
		}
		if err := s.postAssigned(ctx, tx, p, nil, m); err != nil {
			return err
		}
		if len(rep.Names) == 0 {
			return nil
		}
		return s.record(ctx, tx, p, m.ID, &rep)
	})
	return rep, err
}

// today is the current date in Asia/Shanghai, as midnight UTC of that date
// (how matter dates are stored).
func (s *Service) today() time.Time {
	t := s.now().In(calendar.Shanghai)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Matter returns a matter p may see and writes the view to the audit log. A
// refused view is audited too.
func (s *Service) Matter(ctx context.Context, p *auth.Principal, id int64) (*model.Matter, error) {
	m, err := s.db.MatterByID(ctx, id)
	if err != nil {
		return nil, err
	}
	target := fmt.Sprintf("matter/%d", id)
	if err := access.ViewMatter(p.Actor(), m); err != nil {
		if aerr := s.db.Audit(ctx, audit(p, "matter.view.denied", target, "")); aerr != nil {
			return nil, aerr
		}
		return nil, auth.Audited(err)
	}
	if err := s.db.Audit(ctx, audit(p, "matter.view", target, m.Title)); err != nil {
		return nil, err
	}
	return m, nil
}

// Matters lists the matters p may see, newest first; status "" lists all.
func (s *Service) Matters(ctx context.Context, p *auth.Principal, status model.MatterStatus) ([]*model.Matter, error) {
	f := store.MatterFilter{Status: status}
	if p != nil && p.User.Role != model.RoleAdmin {
		// Only narrows the rows read; access.ViewMatter decides.
		f.StaffUserID = p.User.ID
	}
	all, err := s.db.FindMatters(ctx, f)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, m := range all {
		if access.ViewMatter(p.Actor(), m) == nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// editable loads a matter p may change.
func (s *Service) editable(ctx context.Context, p *auth.Principal, id int64) (*model.Matter, error) {
	m, err := s.db.MatterByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := access.ViewMatter(p.Actor(), m); err != nil {
		return nil, err
	}
	return m, access.EditMatter(p.Actor(), m)
}

// UpdateMatter saves a matter's title, type, case number, court and staff
// (status and parties have their own workflows).
func (s *Service) UpdateMatter(ctx context.Context, p *auth.Principal, in *model.Matter) error {
	m, err := s.editable(ctx, p, in.ID)
	if err != nil {
		return err
	}
	before := *m
	m.Title, m.Type, m.CaseNumber, m.Court = in.Title, in.Type, in.CaseNumber, in.Court
	m.AssistantIDs, m.SharedWithIDs = in.AssistantIDs, in.SharedWithIDs
	if in.LeadLawyerID != 0 {
		m.LeadLawyerID = in.LeadLawyerID
	}
	parties := m.Parties
	m.Parties = nil
	if err := normalizeMatter(m); err != nil {
		return err
	}
	m.Parties = parties
	if err := s.checkStaff(ctx, m); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateMatter(ctx, m); err != nil {
			return err
		}
		if err := s.postAssigned(ctx, tx, p, &before, m); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "matter.update", fmt.Sprintf("matter/%d", m.ID), m.Title))
	})
}

// AddParty adds a party to a matter; the party is checked for conflicts
// (the matter's own parties left out) and the check is recorded.
func (s *Service) AddParty(ctx context.Context, p *auth.Principal, matterID int64, pt *model.Party) (Report, error) {
	m, err := s.editable(ctx, p, matterID)
	if err != nil {
		return Report{}, err
	}
	if err := NormalizeParty(pt); err != nil {
		return Report{}, err
	}
	pt.MatterID = m.ID
	one := []model.Party{*pt}
	if err := s.linkNewParties(ctx, one); err != nil {
		return Report{}, err
	}
	pt.ContactID = one[0].ContactID
	rep, err := s.Check(ctx, queriesOf([]model.Party{*pt}), m.ID)
	if err != nil {
		return Report{}, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddParty(ctx, pt); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, audit(p, "matter.party.add", fmt.Sprintf("matter/%d", m.ID),
			pt.Name+"（"+pt.Role.Label()+"）")); err != nil {
			return err
		}
		return s.record(ctx, tx, p, m.ID, &rep)
	})
	return rep, err
}

// ChangePartyRole changes a party's role; a party whose role changes is
// checked again and the new check recorded. The report is empty when the
// role did not change.
func (s *Service) ChangePartyRole(ctx context.Context, p *auth.Principal, matterID, partyID int64, role model.PartyRole) (Report, error) {
	m, err := s.editable(ctx, p, matterID)
	if err != nil {
		return Report{}, err
	}
	i := slices.IndexFunc(m.Parties, func(pt model.Party) bool { return pt.ID == partyID })
	if i < 0 {
		return Report{}, store.ErrNotFound
	}
	pt := m.Parties[i]
	if !role.Valid() {
		return Report{}, invalid("当事人角色不正确")
	}
	if pt.Role == role {
		return Report{}, nil
	}
	old := pt.Role
	pt.Role = role
	rep, err := s.Check(ctx, queriesOf([]model.Party{pt}), m.ID)
	if err != nil {
		return Report{}, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateParty(ctx, &pt); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, audit(p, "matter.party.role", fmt.Sprintf("matter/%d", m.ID),
			fmt.Sprintf("%s：%s → %s", pt.Name, old.Label(), role.Label()))); err != nil {
			return err
		}
		return s.record(ctx, tx, p, m.ID, &rep)
	})
	return rep, err
}

// RemoveParty removes a party from a matter.
func (s *Service) RemoveParty(ctx context.Context, p *auth.Principal, matterID, partyID int64) error {
	m, err := s.editable(ctx, p, matterID)
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteParty(ctx, m.ID, partyID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "matter.party.remove", fmt.Sprintf("matter/%d", m.ID), fmt.Sprintf("party/%d", partyID)))
	})
}

// ErrBackwards refuses moving a matter back in its life cycle.
var ErrBackwards = fmt.Errorf("%w：案件状态只能向后推进（咨询 → 委托 → 办理中 → 结案 → 归档）", model.ErrInvalidInput)

// StatusChange is what SetStatus did.
type StatusChange struct {
	// Changed is false when the matter already had the status.
	Changed bool
	// Deadline is the group-dissolution deadline saved on closing; nil
	// when none was.
	Deadline *model.Deadline
}

// SetStatus moves a matter forward in its life cycle. Engaging records the
// engagement date; closing records the closing date (on, or today when
// zero) and hands the group-dissolution deadline to the deadline engine,
// owned by the lead lawyer, and returns it in the change.
func (s *Service) SetStatus(ctx context.Context, p *auth.Principal, id int64, status model.MatterStatus, on time.Time) (StatusChange, error) {
	m, err := s.editable(ctx, p, id)
	if err != nil {
		return StatusChange{}, err
	}
	if !status.Valid() {
		return StatusChange{}, invalid("案件状态不正确")
	}
	if status.Rank() < m.Status.Rank() {
		return StatusChange{}, ErrBackwards
	}
	if status == m.Status {
		return StatusChange{}, nil
	}
	if on.IsZero() {
		on = s.today()
	}
	on = time.Date(on.Year(), on.Month(), on.Day(), 0, 0, 0, 0, time.UTC)
	if status.Rank() >= model.MatterEngaged.Rank() && m.EngagedOn.IsZero() {
		m.EngagedOn = on
	}
	closing := status.Rank() >= model.MatterClosed.Rank() && m.ClosedOn.IsZero()
	if closing {
		if on.Before(m.EngagedOn) {
			return StatusChange{}, invalid("结案日期不能早于委托日期")
		}
		m.ClosedOn = on
	}
	old := m.Status
	m.Status = status
	var lead *model.User
	if closing && s.sched != nil {
		if lead, err = s.db.UserByID(ctx, m.LeadLawyerID); err != nil {
			return StatusChange{}, err
		}
	}
	// The status change and the group-dissolution deadline land together
	// or not at all: a closed matter never lacks its deadline.
	var d *model.Deadline
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateMatter(ctx, m); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, audit(p, "matter.status", fmt.Sprintf("matter/%d", m.ID),
			fmt.Sprintf("%s → %s", old.Label(), status.Label()))); err != nil {
			return err
		}
		if lead == nil {
			return nil
		}
		var err error
		d, err = s.sched.SaveTx(ctx, tx, &auth.Principal{User: lead}, schedule.SaveInput{
			Title:     "解散案件群：" + m.Title,
			MatterID:  m.ID,
			MatterRef: m.Ref(),
			RuleID:    DissolutionRule,
			From:      m.ClosedOn.Format("2006-01-02"),
		})
		if err != nil {
			return fmt.Errorf("解散案件群的期限无法计算，案件未结案：%w", err)
		}
		return nil
	})
	if err != nil {
		return StatusChange{}, err
	}
	return StatusChange{Changed: true, Deadline: d}, nil
}
