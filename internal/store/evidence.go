package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

const evidenceColumns = `id, log_index, title, matter_id, matter_ref, source_provider, source_method, collected_at, source_device,
	purpose, formed_at, file_name, media_type, sha256, sm3, size, warnings, added_by_id, added_by, added_at`

func scanEvidence(row interface{ Scan(...any) error }) (*model.EvidenceItem, error) {
	var e model.EvidenceItem
	var warnings string
	var addedBy, matterID sql.NullInt64
	err := row.Scan(&e.ID, &e.LogIndex, &e.Title, &matterID, &e.MatterRef, &e.SourceProvider, &e.SourceMethod, &e.CollectedAt,
		&e.SourceDevice, &e.Purpose, &e.FormedAt, &e.FileName, &e.MediaType, &e.SHA256, &e.SM3, &e.Size, &warnings,
		&addedBy, &e.AddedBy, &e.AddedAt)
	if err != nil {
		return nil, notFound(err)
	}
	if err := json.Unmarshal([]byte(warnings), &e.Warnings); err != nil {
		return nil, err
	}
	e.AddedByID, e.MatterID = addedBy.Int64, matterID.Int64
	e.AddedAt = e.AddedAt.UTC()
	return &e, nil
}

// CreateEvidenceItem records a preserved file whose log entry is stored in
// the same transaction, and sets its ID.
func (tx *Tx) CreateEvidenceItem(ctx context.Context, e *model.EvidenceItem) error {
	if e.AddedAt.IsZero() {
		e.AddedAt = tx.db.Now()
	}
	warnings, err := json.Marshal(e.Warnings)
	if err != nil {
		return err
	}
	if e.Warnings == nil {
		warnings = []byte("[]")
	}
	var addedBy sql.NullInt64
	if e.AddedByID != 0 {
		addedBy = sql.NullInt64{Int64: e.AddedByID, Valid: true}
	}
	return tx.c().queryRow(ctx, `INSERT INTO evidence_items (log_index, title, matter_id, matter_ref, source_provider,
		source_method, collected_at, source_device, purpose, formed_at, file_name, media_type, sha256, sm3, size, warnings,
		added_by_id, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.LogIndex, e.Title, nullID(e.MatterID), e.MatterRef, e.SourceProvider, e.SourceMethod, e.CollectedAt, e.SourceDevice, e.Purpose,
		e.FormedAt, e.FileName, e.MediaType, e.SHA256, e.SM3, e.Size, string(warnings), addedBy, e.AddedBy,
		e.AddedAt.UTC()).Scan(&e.ID)
}

// EvidenceItem returns one item with its submissions.
func (db *DB) EvidenceItem(ctx context.Context, id int64) (*model.EvidenceItem, error) {
	e, err := scanEvidence(db.read().queryRow(ctx, "SELECT "+evidenceColumns+" FROM evidence_items WHERE id = ?", id))
	if err != nil {
		return nil, err
	}
	e.Submissions, err = db.evidenceSubmissions(ctx, id)
	return e, err
}

// EvidenceFilter selects evidence items; zero fields do not filter.
type EvidenceFilter struct {
	MatterID  int64  // items linked to this matter
	MatterRef string // items whose matter text is exactly this
	IDs       []int64
	SHA256    string
	Limit     int
}

// FindEvidence lists evidence items in log order.
func (db *DB) FindEvidence(ctx context.Context, f EvidenceFilter) ([]*model.EvidenceItem, error) {
	return findEvidence(ctx, db.read(), f)
}

// FindEvidence lists evidence items inside the transaction (for duplicate
// checks that must see rows committed by other processes).
func (tx *Tx) FindEvidence(ctx context.Context, f EvidenceFilter) ([]*model.EvidenceItem, error) {
	return findEvidence(ctx, tx.c(), f)
}

func findEvidence(ctx context.Context, c conn, f EvidenceFilter) ([]*model.EvidenceItem, error) {
	q := "SELECT " + evidenceColumns + " FROM evidence_items WHERE 1=1"
	var args []any
	if f.MatterID != 0 {
		q += " AND matter_id = ?"
		args = append(args, f.MatterID)
	}
	if f.MatterRef != "" {
		q += " AND matter_ref = ?"
		args = append(args, f.MatterRef)
	}
	if f.SHA256 != "" {
		q += " AND sha256 = ?"
		args = append(args, f.SHA256)
	}
	if len(f.IDs) > 0 {
		q += " AND id IN (?" + strings.Repeat(", ?", len(f.IDs)-1) + ")"
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	q += " ORDER BY log_index"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*model.EvidenceItem
	for rows.Next() {
		e, err := scanEvidence(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EvidenceMatters lists the distinct matter references of evidence items.
func (db *DB) EvidenceMatters(ctx context.Context) ([]string, error) {
	rows, err := db.read().query(ctx, "SELECT DISTINCT matter_ref FROM evidence_items WHERE matter_ref <> '' ORDER BY matter_ref")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddEvidenceSubmission records a submission to a 存证 platform or notary.
func (tx *Tx) AddEvidenceSubmission(ctx context.Context, s *model.EvidenceSubmission) error {
	if s.RecordedAt.IsZero() {
		s.RecordedAt = tx.db.Now()
	}
	return tx.c().queryRow(ctx, `INSERT INTO evidence_submissions (item_id, platform, submitted_on, reference, recorded_by,
		recorded_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		s.ItemID, s.Platform, s.SubmittedOn, s.Reference, s.RecordedBy, s.RecordedAt.UTC()).Scan(&s.ID)
}

func (db *DB) evidenceSubmissions(ctx context.Context, itemID int64) ([]model.EvidenceSubmission, error) {
	rows, err := db.read().query(ctx, `SELECT id, item_id, platform, submitted_on, reference, recorded_by, recorded_at
		FROM evidence_submissions WHERE item_id = ? ORDER BY id`, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.EvidenceSubmission
	for rows.Next() {
		var s model.EvidenceSubmission
		if err := rows.Scan(&s.ID, &s.ItemID, &s.Platform, &s.SubmittedOn, &s.Reference, &s.RecordedBy, &s.RecordedAt); err != nil {
			return nil, err
		}
		s.RecordedAt = s.RecordedAt.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// EvidenceMatterChange records that an item's matter was assigned or changed
// after preservation (the log entry keeps the matter it was preserved under).
type EvidenceMatterChange struct {
	ID           int64
	ItemID       int64
	From, To     string // "" when none
	FromID, ToID int64  // the linked matters; 0 when none
	ChangedBy    string
	ChangedAt    time.Time
}

// SetEvidenceMatter changes an item's current matter from c.From (linked
// to c.FromID) to c.To (linked to c.ToID) and records the change.
// ErrNotFound when the item does not exist, ErrConflict when its matter is
// no longer c.From and c.FromID (changed concurrently).
func (tx *Tx) SetEvidenceMatter(ctx context.Context, c *EvidenceMatterChange) error {
	if c.ChangedAt.IsZero() {
		c.ChangedAt = tx.db.Now()
	}
	res, err := tx.c().exec(ctx, `UPDATE evidence_items SET matter_ref = ?, matter_id = ?
		WHERE id = ? AND matter_ref = ? AND COALESCE(matter_id, 0) = ?`, c.To, nullID(c.ToID), c.ItemID, c.From, c.FromID)
	if err != nil {
		return err
	}
	if err := mustAffect(res); err != nil {
		var exists int
		if err := tx.c().queryRow(ctx, "SELECT 1 FROM evidence_items WHERE id = ?", c.ItemID).Scan(&exists); err != nil {
			return notFound(err)
		}
		return fmt.Errorf("%w：证据 %d 的案件已被他人修改，请刷新后重试", ErrConflict, c.ItemID)
	}
	return tx.c().queryRow(ctx, `INSERT INTO evidence_matter_changes (item_id, from_ref, to_ref, from_matter_id,
		to_matter_id, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ItemID, c.From, c.To,
		nullID(c.FromID), nullID(c.ToID), c.ChangedBy, c.ChangedAt.UTC()).Scan(&c.ID)
}

// EvidenceMatterChanges lists an item's matter changes, oldest first.
func (db *DB) EvidenceMatterChanges(ctx context.Context, itemID int64) ([]EvidenceMatterChange, error) {
	rows, err := db.read().query(ctx, `SELECT id, item_id, from_ref, to_ref, from_matter_id, to_matter_id, changed_by,
		changed_at FROM evidence_matter_changes WHERE item_id = ? ORDER BY id`, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EvidenceMatterChange
	for rows.Next() {
		var c EvidenceMatterChange
		var fromID, toID sql.NullInt64
		if err := rows.Scan(&c.ID, &c.ItemID, &c.From, &c.To, &fromID, &toID, &c.ChangedBy, &c.ChangedAt); err != nil {
			return nil, err
		}
		c.FromID, c.ToID = fromID.Int64, toID.Int64
		c.ChangedAt = c.ChangedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// MatterIDsNamed returns the matters whose case number or title is exactly
// name, lowest id first (for resolving `evidence add --matter` text).
func (db *DB) MatterIDsNamed(ctx context.Context, name string) ([]int64, error) {
	if name == "" {
		return nil, nil
	}
	rows, err := db.read().query(ctx, "SELECT id FROM matters WHERE case_number = ? OR title = ? ORDER BY id", name, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
