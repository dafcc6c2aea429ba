package inbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/casenum"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// DissolutionRule is the deadline rule clientbook saves when a matter
// closes (解散案件群, 15 working days).
const DissolutionRule = "group-dissolution"

// SyncGroup stores a group as WeCom's groupchat/get describes it (the
// wecom connector calls it): name, owner, members. The owner's lvxin user
// becomes the group's lawyer; a group whose name starts with a matter's
// case number is linked to that matter when exactly one matter has it.
func (s *Service) SyncGroup(ctx context.Context, g model.CaseGroup) error {
	if strings.TrimSpace(g.ChatID) == "" {
		return invalid("客户群缺少 chat_id")
	}
	if g.Members == nil {
		g.Members = []model.CaseGroupMember{}
	}
	for i, m := range g.Members {
		if m.Type != model.MemberStaff && m.Type != model.MemberExternal {
			return invalid("客户群 %s 的第 %d 个成员类型 %q 无效", g.ChatID, i+1, m.Type)
		}
	}
	if s.cfg.Directory != nil && g.OwnerUserID != "" {
		g.LawyerID, _ = s.cfg.Directory.UserIDByWeCom(ctx, g.OwnerUserID)
	}
	if g.MatterID == 0 {
		id, err := s.matterByGroupName(ctx, g.Name)
		if err != nil {
			return err
		}
		g.MatterID = id
	}
	return s.db.Update(ctx, func(tx *store.Tx) error { return tx.UpsertCaseGroup(ctx, &g) })
}

// SyncGroups stores every group of a groupchat/list + groupchat/get pass;
// it stops at the first group it cannot store and says which.
func (s *Service) SyncGroups(ctx context.Context, groups []model.CaseGroup) error {
	for _, g := range groups {
		if err := s.SyncGroup(ctx, g); err != nil {
			return fmt.Errorf("同步客户群 %s（%s）失败：%w", g.ChatID, g.Name, err)
		}
	}
	return nil
}

// matterByGroupName finds the one matter whose case number opens name.
func (s *Service) matterByGroupName(ctx context.Context, name string) (int64, error) {
	i := strings.Index(name, "号")
	if i < 0 {
		return 0, nil
	}
	cn, err := casenum.Normalize(name[:i+len("号")])
	if err != nil {
		return 0, nil
	}
	all, err := s.db.FindMatters(ctx, store.MatterFilter{})
	if err != nil {
		return 0, err
	}
	var found int64
	for _, m := range all {
		if m.CaseNumber == cn {
			if found != 0 {
				return 0, nil // ambiguous: the lawyer links it
			}
			found = m.ID
		}
	}
	return found, nil
}

// GroupEvent handles a customer group change: a dissolved group is marked
// so; a new or changed group gets a row until SyncGroup fills its name
// and members.
func (s *Service) GroupEvent(ctx context.Context, e model.GroupEvent) error {
	if strings.TrimSpace(e.ChatID) == "" {
		return invalid("客户群事件缺少 chat_id")
	}
	at := e.At
	if at.IsZero() {
		at = s.cfg.Now()
	}
	switch e.Change {
	case "dismiss":
		return s.db.Update(ctx, func(tx *store.Tx) error { return tx.DismissCaseGroup(ctx, e.ChatID, at) })
	case "create", "update":
		if _, err := s.db.CaseGroupByChatID(ctx, e.ChatID); err == nil || !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return s.db.Update(ctx, func(tx *store.Tx) error {
			return tx.UpsertCaseGroup(ctx, &model.CaseGroup{ChatID: e.ChatID})
		})
	}
	return nil
}

// Dissolution is where a group stands after its matter closed.
type Dissolution struct {
	Due     string // YYYY-MM-DD, "" when no deadline was saved
	Overdue bool
}

// GroupRow is a group as the list shows it.
type GroupRow struct {
	Group       *model.CaseGroup
	Matter      *model.Matter // nil when not linked (or hidden)
	Name        NameCheck
	Dissolve    *Dissolution // nil while the matter is open or the group dissolved
	MemberCount int          // how many members the group has
	Flagged     int          // members the review lists for removal
}

// Groups lists the case groups p may see, with the name check, the
// dissolution state and the member review's count. It reads no group's
// full member list: the store counts the members and returns only those
// the review must still decide on (not kept, and not an external member
// whose contact is a party of the matter), for the visible groups only.
func (s *Service) Groups(ctx context.Context, p *auth.Principal) ([]GroupRow, error) {
	return s.groups(ctx, p, true)
}

// groups lists the groups p may see; review adds the member counts.
func (s *Service) groups(ctx context.Context, p *auth.Principal, review bool) ([]GroupRow, error) {
	all, err := s.db.FindCaseGroups(ctx, 0)
	if err != nil {
		return nil, err
	}
	ids := []int64{}
	for _, g := range all {
		if g.MatterID != 0 {
			ids = append(ids, g.MatterID)
		}
	}
	matters, err := s.db.MattersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	var visible []*model.CaseGroup
	var groupIDs []int64
	for _, g := range all {
		if access.ViewCaseGroup(p.Actor(), g, matters[g.MatterID]) == nil {
			visible = append(visible, g)
			groupIDs = append(groupIDs, g.ID)
		}
	}
	counts, candidates := map[int64]int{}, map[int64][]model.CaseGroupMember{}
	if review {
		if counts, err = s.db.CaseGroupMemberCounts(ctx, groupIDs); err != nil {
			return nil, err
		}
		if candidates, err = s.db.CaseGroupReviewCandidates(ctx, groupIDs); err != nil {
			return nil, err
		}
	}
	dir := newDirectoryMemo(s.cfg.Directory)
	var out []GroupRow
	for _, g := range visible {
		m := matters[g.MatterID]
		row, err := s.groupRow(ctx, g, m)
		if err != nil {
			return nil, err
		}
		if !review {
			out = append(out, row)
			continue
		}
		row.MemberCount = counts[g.ID]
		pending := *g
		pending.Members = candidates[g.ID]
		for _, r := range s.review(ctx, dir, &pending, m) {
			if !r.OK {
				row.Flagged++
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// OverdueGroups lists the groups p may see whose matter closed and whose
// dissolution deadline has passed (for the dashboard), without the member
// review (the rows' MemberCount and Flagged are zero).
func (s *Service) OverdueGroups(ctx context.Context, p *auth.Principal) ([]GroupRow, error) {
	rows, err := s.groups(ctx, p, false)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(rows, func(r GroupRow) bool { return r.Dissolve == nil || !r.Dissolve.Overdue }), nil
}

func (s *Service) groupRow(ctx context.Context, g *model.CaseGroup, m *model.Matter) (GroupRow, error) {
	row := GroupRow{Group: g, Matter: m, Name: CheckGroupName(g.Name, m)}
	if m == nil || !g.DismissedAt.IsZero() || m.Status.Rank() < model.MatterClosed.Rank() {
		return row, nil
	}
	row.Dissolve = &Dissolution{}
	ds, err := s.db.FindDeadlines(ctx, store.DeadlineFilter{MatterID: m.ID})
	if err != nil {
		return row, err
	}
	for _, d := range ds {
		if d.RuleID == DissolutionRule {
			row.Dissolve.Due = d.DueDate
		}
	}
	today := calendar.DateOf(s.cfg.Now().In(calendar.Shanghai)).String()
	row.Dissolve.Overdue = row.Dissolve.Due != "" && today > row.Dissolve.Due
	return row, nil
}

// MemberReview is the review of one member.
type MemberReview struct {
	Member model.CaseGroupMember
	OK     bool
	Why    string // why it is listed for removal, or who it is
}

// review decides for each member whether it belongs: a party (by the
// client book's external user id or by name), a member the lawyer kept
// (representatives), or firm staff on the matter; everyone else is listed
// for removal.
func (s *Service) review(ctx context.Context, dir Directory, g *model.CaseGroup, m *model.Matter) []MemberReview {
	out := make([]MemberReview, 0, len(g.Members))
	for _, mem := range g.Members {
		r := MemberReview{Member: mem}
		switch {
		case mem.Kept:
			r.OK, r.Why = true, "律师已确认保留"
		case mem.Type == model.MemberStaff:
			r.OK, r.Why = reviewStaff(ctx, dir, mem, m, g)
		case m == nil:
			r.Why = "群未关联案件，无法核对当事人"
		default:
			r.OK, r.Why = s.reviewExternal(ctx, mem, m)
		}
		out = append(out, r)
	}
	return out
}

func reviewStaff(ctx context.Context, dir Directory, mem model.CaseGroupMember, m *model.Matter, g *model.CaseGroup) (bool, string) {
	if dir == nil {
		return false, "无法识别的本所企业微信账号（未关联律信用户）"
	}
	uid, ok := dir.UserIDByWeCom(ctx, mem.MemberID)
	if !ok {
		return false, "无法识别的本所企业微信账号（未关联律信用户）"
	}
	if m == nil {
		if uid == g.LawyerID {
			return true, "群主"
		}
		return false, "群未关联案件，无法核对承办人员"
	}
	if uid == m.LeadLawyerID || slices.Contains(m.AssistantIDs, uid) || slices.Contains(m.SharedWithIDs, uid) {
		return true, "本案承办人员"
	}
	return false, "本所人员，但不是本案承办人员"
}

func (s *Service) reviewExternal(ctx context.Context, mem model.CaseGroupMember, m *model.Matter) (bool, string) {
	if c, err := s.db.ContactByExternalUserID(ctx, mem.MemberID); err == nil {
		for _, p := range m.Parties {
			if p.ContactID == c.ID {
				return true, "本案" + p.Role.Label() + "：" + p.Name
			}
		}
	}
	for _, p := range m.Parties {
		if p.Name != "" && strings.TrimSpace(mem.Name) == p.Name {
			return true, "本案" + p.Role.Label() + "：" + p.Name + "（按名称核对）"
		}
	}
	return false, "不是本案当事人、其代理人或本所承办人员"
}

// GroupDetail is one group's page.
type GroupDetail struct {
	GroupRow
	Members    []MemberReview
	Notices    []*model.GroupNotice
	NoticeText string // the firm's notice template filled for this group
}

// authorizeGroup loads a group p may see; a refusal is audited as
// group.view.denied and answers like a missing group.
func (s *Service) authorizeGroup(ctx context.Context, p *auth.Principal, id int64, what string) (*model.CaseGroup, *model.Matter, error) {
	g, err := s.db.CaseGroupByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.checkLinked(ctx, p, g.MatterID, func(m *model.Matter) error { return access.ViewCaseGroup(p.Actor(), g, m) },
		"group.view.denied", target("group", id), what)
	if err != nil {
		return nil, nil, err
	}
	return g, m, nil
}

// Group opens a group for p: member review, notices with who confirmed
// them and when (the view is audited), and the notice template.
func (s *Service) Group(ctx context.Context, p *auth.Principal, id int64) (*GroupDetail, error) {
	g, m, err := s.authorizeGroup(ctx, p, id, "查看案件群")
	if err != nil {
		return nil, err
	}
	row, err := s.groupRow(ctx, g, m)
	if err != nil {
		return nil, err
	}
	row.MemberCount = len(g.Members)
	d := &GroupDetail{GroupRow: row, Members: s.review(ctx, s.cfg.Directory, g, m)}
	for _, r := range d.Members {
		if !r.OK {
			d.Flagged++
		}
	}
	if d.Notices, err = s.db.GroupNotices(ctx, g.ID); err != nil {
		return nil, err
	}
	if d.NoticeText, err = s.NoticeText(ctx, g, m); err != nil {
		return nil, err
	}
	return d, s.db.Audit(ctx, audit(p, "group.view", target("group", g.ID), g.Name))
}

// NoticeText fills the firm's group notice template for a group.
func (s *Service) NoticeText(ctx context.Context, g *model.CaseGroup, m *model.Matter) (string, error) {
	settings, err := s.Settings(ctx)
	if err != nil {
		return "", err
	}
	lawyer := g.LawyerID
	values := map[string]string{PhCaseNo: NoCaseNumber, PhParties: "", PhCause: ""}
	if m != nil {
		lawyer = m.LeadLawyerID
		values[PhCaseNo], values[PhParties], values[PhCause] = caseNumberText(m), partiesText(m), causeText(m)
	}
	hours := ""
	if s.cfg.Schedule != nil {
		pol, err := s.cfg.Schedule.Policy(ctx, lawyer)
		if err != nil {
			return "", err
		}
		hours = HoursText(pol)
	}
	values[PhLawyer], values[PhPhone], values[PhHours] = s.lawyerName(ctx, lawyer), s.phone(ctx, lawyer), hours
	return Render(settings.GroupNotice, values), nil
}

// LinkGroupMatter links a group to a matter p may see (0 unlinks; not
// for assistants once linked, as with conversations).
func (s *Service) LinkGroupMatter(ctx context.Context, p *auth.Principal, id, matterID int64) error {
	g, _, err := s.authorizeGroup(ctx, p, id, "关联案件")
	if err != nil {
		return err
	}
	if err := access.MoveInboxConversation(p.Actor(), &model.InboxConversation{MatterID: g.MatterID}, matterID); err != nil {
		return err
	}
	if matterID != 0 {
		m, err := s.db.MatterByID(ctx, matterID)
		if err != nil {
			return err
		}
		if err := access.ViewMatter(p.Actor(), m); err != nil {
			return err
		}
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.LinkCaseGroupMatter(ctx, g.ID, matterID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "group.matter", target("group", g.ID), target("matter", matterID)))
	})
}

// KeepMember records that a member belongs in the group (e.g. a party's
// representative), so the review no longer lists it.
func (s *Service) KeepMember(ctx context.Context, p *auth.Principal, id int64, memberID string) error {
	g, _, err := s.authorizeGroup(ctx, p, id, "保留群成员")
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.KeepCaseGroupMember(ctx, g.ID, memberID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "group.member.keep", target("group", g.ID), memberID))
	})
}

// MatterGroups is the matter page's case group panel: the generated name
// and the groups linked to the matter (p must see the matter).
func (s *Service) MatterGroups(ctx context.Context, p *auth.Principal, matterID int64) (string, []GroupRow, error) {
	m, err := s.db.MatterByID(ctx, matterID)
	if err != nil {
		return "", nil, err
	}
	if err := access.ViewMatter(p.Actor(), m); err != nil {
		if aerr := s.db.Audit(ctx, audit(p, "matter.view.denied", target("matter", matterID), "案件群")); aerr != nil {
			return "", nil, aerr
		}
		return "", nil, auth.Audited(err)
	}
	groups, err := s.db.FindCaseGroups(ctx, matterID)
	if err != nil {
		return "", nil, err
	}
	var rows []GroupRow
	for _, g := range groups {
		row, err := s.groupRow(ctx, g, m)
		if err != nil {
			return "", nil, err
		}
		rows = append(rows, row)
	}
	return GroupName(m), rows, nil
}

// directoryMemo answers each WeCom userid once per list: the same lawyers
// sit in many groups.
type directoryMemo struct {
	Directory
	users map[string]memoUser
}

type memoUser struct {
	id int64
	ok bool
}

// newDirectoryMemo wraps d (nil stays nil, which knows no one).
func newDirectoryMemo(d Directory) Directory {
	if d == nil {
		return nil
	}
	return &directoryMemo{Directory: d, users: map[string]memoUser{}}
}

// UserIDByWeCom implements Directory.
func (d *directoryMemo) UserIDByWeCom(ctx context.Context, weComUserID string) (int64, bool) {
	if u, ok := d.users[weComUserID]; ok {
		return u.id, u.ok
	}
	id, ok := d.Directory.UserIDByWeCom(ctx, weComUserID)
	d.users[weComUserID] = memoUser{id, ok}
	return id, ok
}
