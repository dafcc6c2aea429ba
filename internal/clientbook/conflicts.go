package clientbook

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/conflict"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// HitView is one conflict hit as the report, the page and the CLI's JSON
// show it: the contact or the matter it names, the role the name had there,
// and why it matched.
type HitView struct {
	Source      string `json:"source"` // "contact" or "matter"
	ContactID   int64  `json:"contact_id,omitempty"`
	MatterID    int64  `json:"matter_id,omitempty"`
	Matter      string `json:"matter,omitempty"` // matter title
	Name        string `json:"name"`             // the name as the firm has it
	Role        string `json:"role"`             // 委托人 / 对方当事人 / 第三人 / 其他, or 通讯录联系人
	RoleCode    string `json:"role_code,omitempty"`
	Reason      string `json:"reason"`
	Strength    string `json:"strength"`
	StrengthNum int    `json:"-"`
}

// NameReport is the result for one checked party.
type NameReport struct {
	Name     string    `json:"name"`
	USCC     string    `json:"uscc,omitempty"`
	IDNumber string    `json:"id_number,omitempty"`
	Phone    string    `json:"phone,omitempty"`
	Role     string    `json:"role,omitempty"` // the checked party's role in its new matter
	Hits     []HitView `json:"hits"`
}

// Report is one conflict check: a report per party and, once recorded, the
// check's id.
type Report struct {
	CheckID int64        `json:"check_id,omitempty"`
	Names   []NameReport `json:"names"`
}

// HitCount is the number of hits over all names.
func (r Report) HitCount() int {
	n := 0
	for _, nr := range r.Names {
		n += len(nr.Hits)
	}
	return n
}

// maxIncremental is the most changes applied to a cached index; beyond it
// (a large import) the index is rebuilt.
const maxIncremental = 5000

// Index returns the conflict index over every contact and every party of
// every matter. It is built once; afterwards only the contacts and matters
// changed since (the store's change log, written by the server and the CLI
// alike) are re-read and replaced in it.
func (s *Service) Index(ctx context.Context) (*conflict.Index, error) {
	seq, err := s.db.ConflictSeq(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.index != nil && s.indexSeq == seq {
		return s.index, nil
	}
	if s.index != nil && seq > s.indexSeq {
		ch, err := s.db.ConflictChangesSince(ctx, s.indexSeq, maxIncremental)
		if err != nil {
			return nil, err
		}
		if ch.Complete {
			rows, err := s.db.ConflictRows(ctx, false, ch.ContactIDs, ch.MatterIDs)
			if err != nil {
				return nil, err
			}
			s.index.Replace(ch.ContactIDs, ch.MatterIDs, candidates(rows))
			s.indexSeq = max(seq, ch.Last)
			return s.index, nil
		}
	}
	// Rows read after seq reflect at least the changes up to seq; a change
	// read twice is replaced twice, which is harmless.
	cands, err := LoadCandidates(ctx, s.db)
	if err != nil {
		return nil, err
	}
	s.index, s.indexSeq = conflict.NewIndex(cands), seq
	return s.index, nil
}

// LoadCandidates reads every contact and every matter party as conflict
// candidates (only the columns the check uses).
func LoadCandidates(ctx context.Context, db *store.DB) ([]conflict.Candidate, error) {
	rows, err := db.ConflictRows(ctx, true, nil, nil)
	if err != nil {
		return nil, err
	}
	return candidates(rows), nil
}

func candidates(rows []store.ConflictRow) []conflict.Candidate {
	out := make([]conflict.Candidate, len(rows))
	for i, r := range rows {
		out[i] = conflict.Candidate{Name: r.Name, Kind: r.Kind, USCC: r.USCC, IDNumber: r.IDNumber, Phone: r.Phone,
			ContactID: r.ContactID, MatterID: r.MatterID, MatterTitle: r.MatterTitle, Role: r.Role}
	}
	return out
}

// viewHit turns a conflict hit into its view.
func viewHit(h conflict.Hit) HitView {
	c := h.Candidate
	v := HitView{Name: c.Name, Reason: h.Reason, Strength: h.Strength.Label(), StrengthNum: int(h.Strength)}
	if c.MatterID != 0 {
		v.Source, v.MatterID, v.Matter, v.Role, v.RoleCode = "matter", c.MatterID, c.MatterTitle, c.Role.Label(), string(c.Role)
	} else {
		v.Source, v.ContactID, v.Role = "contact", c.ContactID, "通讯录联系人"
	}
	return v
}

// Query is one party to check, with its role in the new matter (optional).
type Query struct {
	conflict.Query
	Role model.PartyRole
}

// Check runs the conflict check of the queries against every contact and
// every party of every matter; hits on excludeMatter's own parties (the
// matter being checked) are left out. Nothing is recorded.
func (s *Service) Check(ctx context.Context, queries []Query, excludeMatter int64) (Report, error) {
	ix, err := s.Index(ctx)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	for _, q := range queries {
		nr := NameReport{Name: q.Name, USCC: q.USCC, IDNumber: q.IDNumber, Phone: q.Phone, Hits: []HitView{}}
		if q.Role != "" {
			nr.Role = q.Role.Label()
		}
		for _, h := range ix.Check(q.Query) {
			if excludeMatter != 0 && h.Candidate.MatterID == excludeMatter {
				continue
			}
			nr.Hits = append(nr.Hits, viewHit(h))
		}
		rep.Names = append(rep.Names, nr)
	}
	return rep, nil
}

// CheckNames checks bare names (the CLI and the quick-check form) and records
// the check, not tied to a matter.
func (s *Service) CheckNames(ctx context.Context, p *auth.Principal, names []string) (Report, error) {
	var qs []Query
	for _, n := range names {
		if n = trim(n); n != "" {
			if err := checkLen("名称", n, 200); err != nil {
				return Report{}, err
			}
			qs = append(qs, Query{Query: conflict.Query{Name: n}})
		}
	}
	if len(qs) == 0 {
		return Report{}, invalid("请至少输入一个要检索的名称")
	}
	rep, err := s.Check(ctx, qs, 0)
	if err != nil {
		return Report{}, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error { return s.record(ctx, tx, p, 0, &rep) })
	return rep, err
}

// record stores a check (and its audit row) inside tx and sets rep.CheckID.
func (s *Service) record(ctx context.Context, tx *store.Tx, p *auth.Principal, matterID int64, rep *Report) error {
	hits, err := json.Marshal(rep.Names)
	if err != nil {
		return err
	}
	var names []string
	for _, n := range rep.Names {
		names = append(names, n.Name)
	}
	uid, _ := actor(p)
	chk := &store.ConflictCheck{MatterID: matterID, Query: strings.Join(names, "、"), Hits: string(hits),
		HitCount: rep.HitCount(), CheckedBy: uid}
	if err := tx.CreateConflictCheck(ctx, chk); err != nil {
		return err
	}
	rep.CheckID = chk.ID
	target := fmt.Sprintf("conflict-check/%d", chk.ID)
	if matterID != 0 {
		target = fmt.Sprintf("matter/%d", matterID)
	}
	return tx.AppendAudit(ctx, audit(p, "conflict.check", target, fmt.Sprintf("%s：%d 处命中", chk.Query, chk.HitCount)))
}

// queriesOf makes the queries of a matter's parties.
func queriesOf(parties []model.Party) []Query {
	qs := make([]Query, 0, len(parties))
	for _, pt := range parties {
		qs = append(qs, Query{Query: conflict.Query{Name: pt.Name, USCC: pt.USCC, IDNumber: pt.IDNumber, Phone: pt.Phone}, Role: pt.Role})
	}
	return qs
}

// CheckRecord is a recorded check with its report decoded.
type CheckRecord struct {
	*store.ConflictCheck
	Names []NameReport
}

// Checks lists the recorded checks of a matter p may see, newest first.
func (s *Service) Checks(ctx context.Context, p *auth.Principal, m *model.Matter) ([]CheckRecord, error) {
	if err := access.ViewMatter(p.Actor(), m); err != nil {
		return nil, err
	}
	rows, err := s.db.ConflictChecksOf(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	out := make([]CheckRecord, 0, len(rows))
	for _, r := range rows {
		rec := CheckRecord{ConflictCheck: r}
		if err := json.Unmarshal([]byte(r.Hits), &rec.Names); err != nil {
			return nil, fmt.Errorf("冲突检索记录 #%d 无法解析：%w", r.ID, err)
		}
		out = append(out, rec)
	}
	return out, nil
}

// Decide records the lawyer's decision on a check: no conflict, conflict
// waived (with a written reason) or declined. A check tied to a matter may be
// decided by whoever may change the matter.
func (s *Service) Decide(ctx context.Context, p *auth.Principal, checkID int64, d model.ConflictDecision, reason string) error {
	reason = trim(reason)
	if !d.Valid() {
		return invalid("请选择检索结论")
	}
	if d.NeedsReason() && reason == "" {
		return invalid("豁免利益冲突必须写明理由")
	}
	if err := checkLen("理由", reason, 2000); err != nil {
		return err
	}
	chk, err := s.db.ConflictCheckByID(ctx, checkID)
	if err != nil {
		return err
	}
	var m *model.Matter
	if chk.MatterID != 0 {
		if m, err = s.db.MatterByID(ctx, chk.MatterID); err != nil {
			return err
		}
		if err := access.ViewMatter(p.Actor(), m); err != nil {
			return err
		}
	}
	if err := access.DecideConflict(p.Actor(), m); err != nil {
		return err
	}
	uid, _ := actor(p)
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.DecideConflictCheck(ctx, checkID, d, reason, uid); err != nil {
			return err
		}
		target := fmt.Sprintf("conflict-check/%d", checkID)
		if chk.MatterID != 0 {
			target = fmt.Sprintf("matter/%d", chk.MatterID)
		}
		return tx.AppendAudit(ctx, audit(p, "conflict.decide", target, d.Label()+" "+reason))
	})
}
