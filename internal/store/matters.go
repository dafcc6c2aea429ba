package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

const matterColumns = "id, title, type, case_number, court, status, engaged_on, closed_on, lead_lawyer_id, created_at"

func scanMatter(row interface{ Scan(...any) error }) (*model.Matter, error) {
	var m model.Matter
	var typ, status string
	var engaged, closed sql.NullTime
	err := row.Scan(&m.ID, &m.Title, &typ, &m.CaseNumber, &m.Court, &status, &engaged, &closed, &m.LeadLawyerID, &m.CreatedAt)
	if err != nil {
		return nil, notFound(err)
	}
	m.Type = model.MatterType(typ)
	m.Status = model.MatterStatus(status)
	if engaged.Valid {
		m.EngagedOn = engaged.Time.UTC()
	}
	if closed.Valid {
		m.ClosedOn = closed.Time.UTC()
	}
	m.CreatedAt = m.CreatedAt.UTC()
	return &m, nil
}

// CreateMatter saves a matter with its staff and parties, setting the IDs
// and CreatedAt.
func (tx *Tx) CreateMatter(ctx context.Context, m *model.Matter) error {
	m.CreatedAt = tx.db.Now()
	err := tx.c().queryRow(ctx, `INSERT INTO matters (title, type, case_number, court, status, engaged_on, closed_on,
		lead_lawyer_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.Title, string(m.Type), m.CaseNumber, m.Court, string(m.Status), nullTime(m.EngagedOn), nullTime(m.ClosedOn),
		m.LeadLawyerID, m.CreatedAt).Scan(&m.ID)
	if err != nil {
		return err
	}
	if err := tx.setStaff(ctx, m); err != nil {
		return err
	}
	for i := range m.Parties {
		m.Parties[i].MatterID = m.ID
		if err := tx.insertParty(ctx, &m.Parties[i]); err != nil {
			return err
		}
	}
	return tx.touchConflicts(ctx, 0, m.ID)
}

// UpdateMatter saves a matter's fields and staff (not its parties).
func (tx *Tx) UpdateMatter(ctx context.Context, m *model.Matter) error {
	res, err := tx.c().exec(ctx, `UPDATE matters SET title = ?, type = ?, case_number = ?, court = ?, status = ?,
		engaged_on = ?, closed_on = ?, lead_lawyer_id = ? WHERE id = ?`,
		m.Title, string(m.Type), m.CaseNumber, m.Court, string(m.Status), nullTime(m.EngagedOn), nullTime(m.ClosedOn),
		m.LeadLawyerID, m.ID)
	if err != nil {
		return err
	}
	if err := mustAffect(res); err != nil {
		return err
	}
	if err := tx.setStaff(ctx, m); err != nil {
		return err
	}
	// Titles appear in conflict reports.
	return tx.touchConflicts(ctx, 0, m.ID)
}

func (tx *Tx) setStaff(ctx context.Context, m *model.Matter) error {
	if _, err := tx.c().exec(ctx, "DELETE FROM matter_staff WHERE matter_id = ?", m.ID); err != nil {
		return err
	}
	add := func(ids []int64, role string) error {
		seen := map[int64]bool{}
		for _, id := range ids {
			if id == 0 || seen[id] {
				continue
			}
			seen[id] = true
			if _, err := tx.c().exec(ctx, "INSERT INTO matter_staff (matter_id, user_id, role) VALUES (?, ?, ?)", m.ID, id, role); err != nil {
				return err
			}
		}
		return nil
	}
	if err := add(m.AssistantIDs, "assistant"); err != nil {
		return err
	}
	return add(m.SharedWithIDs, "shared")
}

// AddParty adds a party to its matter and sets its ID.
func (tx *Tx) AddParty(ctx context.Context, p *model.Party) error {
	if err := tx.insertParty(ctx, p); err != nil {
		return err
	}
	return tx.touchConflicts(ctx, 0, p.MatterID)
}

func (tx *Tx) insertParty(ctx context.Context, p *model.Party) error {
	return tx.c().queryRow(ctx, `INSERT INTO matter_parties (matter_id, contact_id, name, kind, role, uscc, id_number, phone)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.MatterID, nullID(p.ContactID), p.Name, string(p.Kind), string(p.Role), p.USCC, p.IDNumber, p.Phone).Scan(&p.ID)
}

// UpdateParty saves a party's fields (its matter stays).
func (tx *Tx) UpdateParty(ctx context.Context, p *model.Party) error {
	res, err := tx.c().exec(ctx, `UPDATE matter_parties SET contact_id = ?, name = ?, kind = ?, role = ?, uscc = ?,
		id_number = ?, phone = ? WHERE id = ? AND matter_id = ?`,
		nullID(p.ContactID), p.Name, string(p.Kind), string(p.Role), p.USCC, p.IDNumber, p.Phone, p.ID, p.MatterID)
	if err != nil {
		return err
	}
	if err := mustAffect(res); err != nil {
		return err
	}
	return tx.touchConflicts(ctx, 0, p.MatterID)
}

// DeleteParty removes a party from its matter.
func (tx *Tx) DeleteParty(ctx context.Context, matterID, partyID int64) error {
	res, err := tx.c().exec(ctx, "DELETE FROM matter_parties WHERE id = ? AND matter_id = ?", partyID, matterID)
	if err != nil {
		return err
	}
	if err := mustAffect(res); err != nil {
		return err
	}
	return tx.touchConflicts(ctx, 0, matterID)
}

// MatterByID returns a matter with its staff and parties.
func (db *DB) MatterByID(ctx context.Context, id int64) (*model.Matter, error) {
	m, err := scanMatter(db.read().queryRow(ctx, "SELECT "+matterColumns+" FROM matters WHERE id = ?", id))
	if err != nil {
		return nil, err
	}
	if err := db.loadMatterDetails(ctx, []*model.Matter{m}); err != nil {
		return nil, err
	}
	return m, nil
}

// MatterFilter selects matters; zero fields do not filter.
type MatterFilter struct {
	// StaffUserID keeps matters the user leads, assists or has been shared.
	StaffUserID int64
	Status      model.MatterStatus
	ContactID   int64 // matters with a party linked to this contact
	Limit       int
}

// FindMatters lists matters with staff and parties, newest first.
func (db *DB) FindMatters(ctx context.Context, f MatterFilter) ([]*model.Matter, error) {
	q := "SELECT " + matterColumns + " FROM matters WHERE 1=1"
	var args []any
	if f.StaffUserID != 0 {
		q += " AND (lead_lawyer_id = ? OR id IN (SELECT matter_id FROM matter_staff WHERE user_id = ?))"
		args = append(args, f.StaffUserID, f.StaffUserID)
	}
	if f.Status != "" {
		q += " AND status = ?"
		args = append(args, string(f.Status))
	}
	if f.ContactID != 0 {
		q += " AND id IN (SELECT matter_id FROM matter_parties WHERE contact_id = ?)"
		args = append(args, f.ContactID)
	}
	q += " ORDER BY created_at DESC, id DESC"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	out, err := queryAll(ctx, db.read(), scanMatter, q, args...)
	if err != nil {
		return nil, err
	}
	return out, db.loadMatterDetails(ctx, out)
}

func (db *DB) loadMatterDetails(ctx context.Context, matters []*model.Matter) error {
	if len(matters) == 0 {
		return nil
	}
	byID := make(map[int64]*model.Matter, len(matters))
	ids := make([]any, len(matters))
	marks := make([]string, len(matters))
	for i, m := range matters {
		byID[m.ID] = m
		m.AssistantIDs, m.SharedWithIDs, m.Parties = nil, nil, nil
		ids[i] = m.ID
		marks[i] = "?"
	}
	in := " WHERE matter_id IN (" + strings.Join(marks, ",") + ")"
	if len(matters) > 500 {
		in, ids = "", nil
	}
	rows, err := db.read().query(ctx, "SELECT matter_id, user_id, role FROM matter_staff"+in+" ORDER BY matter_id, user_id", ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var matterID, userID int64
		var role string
		if err := rows.Scan(&matterID, &userID, &role); err != nil {
			rows.Close()
			return err
		}
		m := byID[matterID]
		switch {
		case m == nil:
		case role == "assistant":
			m.AssistantIDs = append(m.AssistantIDs, userID)
		default:
			m.SharedWithIDs = append(m.SharedWithIDs, userID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	parties, err := db.queryParties(ctx, "SELECT "+partyColumns+" FROM matter_parties"+in+" ORDER BY matter_id, id", ids...)
	if err != nil {
		return err
	}
	for _, p := range parties {
		if m := byID[p.MatterID]; m != nil {
			m.Parties = append(m.Parties, p)
		}
	}
	return nil
}

const partyColumns = "id, matter_id, contact_id, name, kind, role, uscc, id_number, phone"

func (db *DB) queryParties(ctx context.Context, q string, args ...any) ([]model.Party, error) {
	return queryAll(ctx, db.read(), func(row scanner) (model.Party, error) {
		var p model.Party
		var contact sql.NullInt64
		var kind, role string
		if err := row.Scan(&p.ID, &p.MatterID, &contact, &p.Name, &kind, &role, &p.USCC, &p.IDNumber, &p.Phone); err != nil {
			return p, err
		}
		p.ContactID = contact.Int64
		p.Kind = model.ContactKind(kind)
		p.Role = model.PartyRole(role)
		return p, nil
	}, q, args...)
}

// PartyByID returns one party of a matter.
func (db *DB) PartyByID(ctx context.Context, matterID, partyID int64) (*model.Party, error) {
	ps, err := db.queryParties(ctx, "SELECT "+partyColumns+" FROM matter_parties WHERE id = ? AND matter_id = ?", partyID, matterID)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, ErrNotFound
	}
	return &ps[0], nil
}

// MatterParty is a party with the title of its matter, for conflict checks.
type MatterParty struct {
	model.Party
	MatterTitle string
}

// AllMatterParties returns every party of every matter (the conflict
// check's second half, beside every contact).
func (db *DB) AllMatterParties(ctx context.Context) ([]MatterParty, error) {
	return queryAll(ctx, db.read(), func(row scanner) (MatterParty, error) {
		var p MatterParty
		var contact sql.NullInt64
		var kind, role string
		if err := row.Scan(&p.ID, &p.MatterID, &contact, &p.Name, &kind, &role, &p.USCC, &p.IDNumber, &p.Phone, &p.MatterTitle); err != nil {
			return p, err
		}
		p.ContactID = contact.Int64
		p.Kind = model.ContactKind(kind)
		p.Role = model.PartyRole(role)
		return p, nil
	}, `SELECT p.id, p.matter_id, p.contact_id, p.name, p.kind, p.role, p.uscc, p.id_number,
		p.phone, m.title FROM matter_parties p JOIN matters m ON m.id = p.matter_id ORDER BY p.matter_id, p.id`)
}

// ConflictCheck is one recorded conflict check and, once made, its decision.
type ConflictCheck struct {
	ID        int64
	MatterID  int64 // 0 for a check not tied to a matter (CLI, before intake)
	Query     string
	Hits      string // JSON report, as the workflow wrote it
	HitCount  int
	CheckedBy int64
	CheckedAt time.Time
	Decision  model.ConflictDecision // "" while undecided
	Reason    string
	DecidedBy int64
	DecidedAt time.Time
}

const checkColumns = "id, matter_id, query, hits, hit_count, checked_by, checked_at, decision, reason, decided_by, decided_at"

func scanCheck(row interface{ Scan(...any) error }) (*ConflictCheck, error) {
	var c ConflictCheck
	var matter, checker, decider sql.NullInt64
	var decided sql.NullTime
	var decision string
	if err := row.Scan(&c.ID, &matter, &c.Query, &c.Hits, &c.HitCount, &checker, &c.CheckedAt, &decision, &c.Reason,
		&decider, &decided); err != nil {
		return nil, notFound(err)
	}
	c.MatterID, c.CheckedBy, c.DecidedBy = matter.Int64, checker.Int64, decider.Int64
	c.CheckedAt = c.CheckedAt.UTC()
	c.Decision = model.ConflictDecision(decision)
	if decided.Valid {
		c.DecidedAt = decided.Time.UTC()
	}
	return &c, nil
}

// CreateConflictCheck records a check and sets ID and CheckedAt.
func (tx *Tx) CreateConflictCheck(ctx context.Context, c *ConflictCheck) error {
	c.CheckedAt = tx.db.Now()
	return tx.c().queryRow(ctx, `INSERT INTO conflict_checks (matter_id, query, hits, hit_count, checked_by, checked_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		nullID(c.MatterID), c.Query, c.Hits, c.HitCount, nullID(c.CheckedBy), c.CheckedAt).Scan(&c.ID)
}

// DecideConflictCheck records the decision on a check.
func (tx *Tx) DecideConflictCheck(ctx context.Context, id int64, d model.ConflictDecision, reason string, by int64) error {
	res, err := tx.c().exec(ctx, "UPDATE conflict_checks SET decision = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?",
		string(d), reason, nullID(by), tx.db.Now(), id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// ConflictCheckByID returns one check.
func (db *DB) ConflictCheckByID(ctx context.Context, id int64) (*ConflictCheck, error) {
	return scanCheck(db.read().queryRow(ctx, "SELECT "+checkColumns+" FROM conflict_checks WHERE id = ?", id))
}

// ConflictChecksOf lists the checks of a matter, newest first.
func (db *DB) ConflictChecksOf(ctx context.Context, matterID int64) ([]*ConflictCheck, error) {
	return queryAll(ctx, db.read(), scanCheck, "SELECT "+checkColumns+" FROM conflict_checks WHERE matter_id = ? ORDER BY id DESC", matterID)
}
