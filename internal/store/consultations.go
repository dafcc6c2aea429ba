package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

const consultationColumns = "id, contact_id, lawyer_id, channel, topic, source, free, started_at, ended_at, matter_id"

func scanConsultation(row interface{ Scan(...any) error }) (*model.Consultation, error) {
	var c model.Consultation
	var ended sql.NullTime
	var matter sql.NullInt64
	if err := row.Scan(&c.ID, &c.ContactID, &c.LawyerID, &c.Channel, &c.Topic, &c.Source, &c.Free, &c.StartedAt,
		&ended, &matter); err != nil {
		return nil, notFound(err)
	}
	c.StartedAt = c.StartedAt.UTC()
	if ended.Valid {
		c.EndedAt = ended.Time.UTC()
	}
	c.MatterID = matter.Int64
	return &c, nil
}

// CreateConsultation saves a consultation and sets its ID; a zero StartedAt
// means now.
func (tx *Tx) CreateConsultation(ctx context.Context, c *model.Consultation) error {
	if c.StartedAt.IsZero() {
		c.StartedAt = tx.db.Now()
	}
	c.StartedAt = c.StartedAt.UTC().Truncate(time.Microsecond)
	return tx.c().queryRow(ctx, `INSERT INTO consultations (contact_id, lawyer_id, channel, topic, source, free, started_at,
		ended_at, matter_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.ContactID, c.LawyerID, c.Channel, c.Topic, c.Source, c.Free, c.StartedAt, nullTime(c.EndedAt.Truncate(time.Microsecond)),
		nullID(c.MatterID)).Scan(&c.ID)
}

// EndConsultation records when a consultation stopped; ErrNotFound when it
// is unknown or already ended.
func (tx *Tx) EndConsultation(ctx context.Context, id int64, at time.Time) error {
	res, err := tx.c().exec(ctx, "UPDATE consultations SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
		at.UTC().Truncate(time.Microsecond), id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// LinkConsultation records the matter a consultation was converted into.
func (tx *Tx) LinkConsultation(ctx context.Context, id, matterID int64) error {
	res, err := tx.c().exec(ctx, "UPDATE consultations SET matter_id = ? WHERE id = ?", nullID(matterID), id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// ConsultationByID returns one consultation.
func (db *DB) ConsultationByID(ctx context.Context, id int64) (*model.Consultation, error) {
	return scanConsultation(db.read().queryRow(ctx, "SELECT "+consultationColumns+" FROM consultations WHERE id = ?", id))
}

// ConsultationFilter selects consultations; zero fields do not filter.
type ConsultationFilter struct {
	LawyerID  int64
	ContactID int64
	MatterID  int64     // consultations about (or converted into) this matter
	From, To  time.Time // StartedAt in [From, To)
	Limit     int
}

// FindConsultations lists consultations, newest first.
func (db *DB) FindConsultations(ctx context.Context, f ConsultationFilter) ([]*model.Consultation, error) {
	q := "SELECT " + consultationColumns + " FROM consultations WHERE 1=1"
	var args []any
	if f.LawyerID != 0 {
		q += " AND lawyer_id = ?"
		args = append(args, f.LawyerID)
	}
	if f.ContactID != 0 {
		q += " AND contact_id = ?"
		args = append(args, f.ContactID)
	}
	if f.MatterID != 0 {
		q += " AND matter_id = ?"
		args = append(args, f.MatterID)
	}
	if !f.From.IsZero() {
		q += " AND started_at >= ?"
		args = append(args, f.From.UTC().Truncate(time.Microsecond))
	}
	if !f.To.IsZero() {
		q += " AND started_at < ?"
		args = append(args, f.To.UTC().Truncate(time.Microsecond))
	}
	q += " ORDER BY started_at DESC, id DESC"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	return queryAll(ctx, db.read(), scanConsultation, q, args...)
}
