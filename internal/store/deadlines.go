package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

const deadlineColumns = `id, owner_id, matter_id, matter_ref, title, rule_id, from_date, is_foreign, due_date,
	statute, result, provisional, status, created_at, done_at, calendar_version, trigger_id`

func scanDeadline(row interface{ Scan(...any) error }) (*model.Deadline, error) {
	var d model.Deadline
	var matter, trigger sql.NullInt64
	var done sql.NullTime
	var status string
	err := row.Scan(&d.ID, &d.OwnerID, &matter, &d.MatterRef, &d.Title, &d.RuleID, &d.FromDate, &d.Foreign,
		&d.DueDate, &d.Statute, &d.Result, &d.Provisional, &status, &d.CreatedAt, &done, &d.CalendarVersion, &trigger)
	if err != nil {
		return nil, notFound(err)
	}
	d.MatterID, d.TriggerID = matter.Int64, trigger.Int64
	d.Status = model.DeadlineStatus(status)
	d.CreatedAt = d.CreatedAt.UTC()
	if done.Valid {
		d.DoneAt = done.Time.UTC()
	}
	return &d, nil
}

// CreateDeadline saves a computed deadline and sets its ID.
func (tx *Tx) CreateDeadline(ctx context.Context, d *model.Deadline) error {
	d.CreatedAt = tx.db.Now()
	if d.Status == "" {
		d.Status = model.DeadlineOpen
	}
	return tx.c().queryRow(ctx, `INSERT INTO deadlines (owner_id, matter_id, matter_ref, title, rule_id, from_date,
		is_foreign, due_date, statute, result, provisional, status, created_at, calendar_version, trigger_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.OwnerID, nullID(d.MatterID), d.MatterRef, d.Title, d.RuleID, d.FromDate, d.Foreign, d.DueDate, d.Statute, d.Result,
		d.Provisional, string(d.Status), d.CreatedAt, d.CalendarVersion, nullID(d.TriggerID)).Scan(&d.ID)
}

// OpenDeadlinesNotOn lists, inside the transaction, the open deadlines
// computed on a calendar version other than version, by id; a postponed
// deadline (顺延 by hand) keeps its date and is left out.
func (tx *Tx) OpenDeadlinesNotOn(ctx context.Context, version string) ([]*model.Deadline, error) {
	return queryAll(ctx, tx.c(), scanDeadline, "SELECT "+deadlineColumns+" FROM deadlines WHERE status = ? AND calendar_version <> ?"+
		" AND id NOT IN (SELECT deadline_id FROM deadline_postponements) ORDER BY id",
		string(model.DeadlineOpen), version)
}

// RecomputedDeadline is the new computation of a saved deadline.
type RecomputedDeadline struct {
	ID                       int64
	FromDate                 string
	Foreign                  bool
	DueDate, Statute, Result string
	Provisional              bool
	CalendarVersion          string
}

// UpdateDeadlineComputation replaces a deadline's inputs and computed
// fields (due date, statute, result, provisional, calendar version).
func (tx *Tx) UpdateDeadlineComputation(ctx context.Context, r RecomputedDeadline) error {
	res, err := tx.c().exec(ctx, `UPDATE deadlines SET from_date = ?, is_foreign = ?, due_date = ?, statute = ?, result = ?,
		provisional = ?, calendar_version = ? WHERE id = ?`,
		r.FromDate, r.Foreign, r.DueDate, r.Statute, r.Result, r.Provisional, r.CalendarVersion, r.ID)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// DeleteDeadline removes a deadline and its history (a cancelled chain).
func (tx *Tx) DeleteDeadline(ctx context.Context, id int64) error {
	res, err := tx.c().exec(ctx, "DELETE FROM deadlines WHERE id = ?", id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// AddDeadlineChange records one move of a deadline and sets its ID.
func (tx *Tx) AddDeadlineChange(ctx context.Context, c *model.DeadlineChange) error {
	c.ChangedAt = tx.db.Now()
	return tx.c().queryRow(ctx, `INSERT INTO deadline_changes (deadline_id, owner_id, old_due, new_due, old_provisional,
		new_provisional, calendar_version, cause, reason, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.DeadlineID, c.OwnerID, c.OldDue, c.NewDue, c.OldProvisional, c.NewProvisional, c.CalendarVersion, string(c.Cause), c.Reason,
		c.ChangedAt).Scan(&c.ID)
}

// DeadlineChangeFilter selects deadline changes; zero fields do not filter.
type DeadlineChangeFilter struct {
	OwnerID    int64
	DeadlineID int64
	Since      time.Time // changed at or after
	OpenOnly   bool      // only changes of deadlines still open
	Limit      int
}

// FindDeadlineChanges lists changes, newest first, with the deadline's title.
func (db *DB) FindDeadlineChanges(ctx context.Context, f DeadlineChangeFilter) ([]*model.DeadlineChange, error) {
	q := `SELECT c.id, c.deadline_id, c.owner_id, d.title, c.old_due, c.new_due, c.old_provisional, c.new_provisional,
		c.calendar_version, c.cause, c.reason, c.changed_at FROM deadline_changes c JOIN deadlines d ON d.id = c.deadline_id WHERE 1=1`
	var args []any
	if f.OwnerID != 0 {
		q += " AND c.owner_id = ?"
		args = append(args, f.OwnerID)
	}
	if f.DeadlineID != 0 {
		q += " AND c.deadline_id = ?"
		args = append(args, f.DeadlineID)
	}
	if !f.Since.IsZero() {
		q += " AND c.changed_at >= ?"
		args = append(args, f.Since.UTC())
	}
	if f.OpenOnly {
		q += " AND d.status = ?"
		args = append(args, string(model.DeadlineOpen))
	}
	q += " ORDER BY c.changed_at DESC, c.id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return queryAll(ctx, db.read(), func(row scanner) (*model.DeadlineChange, error) {
		var c model.DeadlineChange
		var cause string
		if err := row.Scan(&c.ID, &c.DeadlineID, &c.OwnerID, &c.Title, &c.OldDue, &c.NewDue, &c.OldProvisional,
			&c.NewProvisional, &c.CalendarVersion, &cause, &c.Reason, &c.ChangedAt); err != nil {
			return nil, err
		}
		c.Cause = model.ChangeCause(cause)
		c.ChangedAt = c.ChangedAt.UTC()
		return &c, nil
	}, q, args...)
}

// DeadlineByID returns one deadline.
func (db *DB) DeadlineByID(ctx context.Context, id int64) (*model.Deadline, error) {
	return scanDeadline(db.read().queryRow(ctx, "SELECT "+deadlineColumns+" FROM deadlines WHERE id = ?", id))
}

// SetDeadlineStatus marks a deadline open or done.
func (tx *Tx) SetDeadlineStatus(ctx context.Context, id int64, status model.DeadlineStatus, at time.Time) error {
	var done sql.NullTime
	if status == model.DeadlineDone {
		done = nullTime(at)
	}
	res, err := tx.c().exec(ctx, "UPDATE deadlines SET status = ?, done_at = ? WHERE id = ?", string(status), done, id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// DeadlineFilter selects deadlines; zero fields do not filter. Dates are
// YYYY-MM-DD and compare as text.
type DeadlineFilter struct {
	OwnerID   int64
	MatterID  int64
	TriggerID int64
	Status    model.DeadlineStatus
	DueFrom   string // inclusive
	DueTo     string // inclusive
	Limit     int
}

// FindDeadlines lists deadlines by due date, earliest first.
func (db *DB) FindDeadlines(ctx context.Context, f DeadlineFilter) ([]*model.Deadline, error) {
	q := "SELECT " + deadlineColumns + " FROM deadlines WHERE 1=1"
	var args []any
	if f.OwnerID != 0 {
		q += " AND owner_id = ?"
		args = append(args, f.OwnerID)
	}
	if f.MatterID != 0 {
		q += " AND matter_id = ?"
		args = append(args, f.MatterID)
	}
	if f.TriggerID != 0 {
		q += " AND trigger_id = ?"
		args = append(args, f.TriggerID)
	}
	if f.Status != "" {
		q += " AND status = ?"
		args = append(args, string(f.Status))
	}
	if f.DueFrom != "" {
		q += " AND due_date >= ?"
		args = append(args, f.DueFrom)
	}
	if f.DueTo != "" {
		q += " AND due_date <= ?"
		args = append(args, f.DueTo)
	}
	q += " ORDER BY due_date, id"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return queryAll(ctx, db.read(), scanDeadline, q, args...)
}

// HolidayYears returns every imported holiday year.
func (db *DB) HolidayYears(ctx context.Context) ([]*model.HolidayYear, error) {
	return queryAll(ctx, db.read(), func(row scanner) (*model.HolidayYear, error) {
		var y model.HolidayYear
		if err := row.Scan(&y.Year, &y.Data, &y.Source, &y.ImportedAt, &y.ImportedBy); err != nil {
			return nil, err
		}
		y.ImportedAt = y.ImportedAt.UTC()
		return &y, nil
	}, "SELECT year, data, source, imported_at, imported_by FROM holiday_years ORDER BY year")
}

// PutHolidayYear stores (or replaces) an imported year.
func (tx *Tx) PutHolidayYear(ctx context.Context, y *model.HolidayYear) error {
	y.ImportedAt = tx.db.Now()
	_, err := tx.c().exec(ctx, `INSERT INTO holiday_years (year, data, source, imported_at, imported_by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (year) DO UPDATE SET data = excluded.data, source = excluded.source,
		imported_at = excluded.imported_at, imported_by = excluded.imported_by`,
		y.Year, y.Data, y.Source, y.ImportedAt, y.ImportedBy)
	return err
}

// SetCalendarFeed stores a user's new feed token (looked up by its hash,
// kept so the subscription page can show the address again), replacing
// (and so revoking) the previous one.
func (tx *Tx) SetCalendarFeed(ctx context.Context, userID int64, tokenHash, token string) error {
	_, err := tx.c().exec(ctx, `INSERT INTO calendar_feeds (user_id, token_hash, token, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, token = excluded.token,
		created_at = excluded.created_at`,
		userID, tokenHash, token, tx.db.Now())
	return err
}

// CalendarFeedToken returns the user's current feed token; "" when the
// feed predates stored tokens; ErrNotFound when the user has no feed.
func (db *DB) CalendarFeedToken(ctx context.Context, userID int64) (string, error) {
	var token string
	err := db.read().queryRow(ctx, "SELECT token FROM calendar_feeds WHERE user_id = ?", userID).Scan(&token)
	return token, notFound(err)
}

// DeleteCalendarFeed revokes a user's feed.
func (tx *Tx) DeleteCalendarFeed(ctx context.Context, userID int64) error {
	_, err := tx.c().exec(ctx, "DELETE FROM calendar_feeds WHERE user_id = ?", userID)
	return err
}

// CalendarFeedUser returns the user whose feed token hashes to tokenHash.
func (db *DB) CalendarFeedUser(ctx context.Context, tokenHash string) (int64, error) {
	var id int64
	err := db.read().queryRow(ctx, "SELECT user_id FROM calendar_feeds WHERE token_hash = ?", tokenHash).Scan(&id)
	return id, notFound(err)
}

// HasCalendarFeed reports whether the user has an active feed.
func (db *DB) HasCalendarFeed(ctx context.Context, userID int64) (bool, error) {
	var n int
	err := db.read().queryRow(ctx, "SELECT count(*) FROM calendar_feeds WHERE user_id = ?", userID).Scan(&n)
	return n > 0, err
}

const triggerColumns = "id, owner_id, matter_id, kind, event_date, is_foreign, status, created_at, updated_at"

func scanTrigger(row interface{ Scan(...any) error }) (*model.DeadlineTrigger, error) {
	var t model.DeadlineTrigger
	var status string
	if err := row.Scan(&t.ID, &t.OwnerID, &t.MatterID, &t.Kind, &t.EventDate, &t.Foreign, &status, &t.CreatedAt, &t.UpdatedAt); err != nil {
		return nil, notFound(err)
	}
	t.Status = model.TriggerStatus(status)
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return &t, nil
}

// CreateDeadlineTrigger saves a chain trigger and sets its ID.
func (tx *Tx) CreateDeadlineTrigger(ctx context.Context, t *model.DeadlineTrigger) error {
	t.CreatedAt = tx.db.Now()
	t.UpdatedAt = t.CreatedAt
	if t.Status == "" {
		t.Status = model.TriggerActive
	}
	return tx.c().queryRow(ctx, `INSERT INTO deadline_triggers (owner_id, matter_id, kind, event_date, is_foreign, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.OwnerID, t.MatterID, t.Kind, t.EventDate, t.Foreign, string(t.Status), t.CreatedAt, t.UpdatedAt).Scan(&t.ID)
}

// UpdateDeadlineTrigger saves a trigger's event date, foreign flag and status.
func (tx *Tx) UpdateDeadlineTrigger(ctx context.Context, t *model.DeadlineTrigger) error {
	t.UpdatedAt = tx.db.Now()
	res, err := tx.c().exec(ctx, "UPDATE deadline_triggers SET event_date = ?, is_foreign = ?, status = ?, updated_at = ? WHERE id = ?",
		t.EventDate, t.Foreign, string(t.Status), t.UpdatedAt, t.ID)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// DeadlineTriggerByID returns one trigger.
func (db *DB) DeadlineTriggerByID(ctx context.Context, id int64) (*model.DeadlineTrigger, error) {
	return scanTrigger(db.read().queryRow(ctx, "SELECT "+triggerColumns+" FROM deadline_triggers WHERE id = ?", id))
}

// MatterDeadlineTriggers lists a matter's triggers, newest first.
func (db *DB) MatterDeadlineTriggers(ctx context.Context, matterID int64) ([]*model.DeadlineTrigger, error) {
	return queryAll(ctx, db.read(), scanTrigger, "SELECT "+triggerColumns+" FROM deadline_triggers WHERE matter_id = ? ORDER BY id DESC", matterID)
}

// TriggerDeadlines lists, inside the transaction, the deadlines a trigger
// created, by id.
func (tx *Tx) TriggerDeadlines(ctx context.Context, triggerID int64) ([]*model.Deadline, error) {
	return queryAll(ctx, tx.c(), scanDeadline, "SELECT "+deadlineColumns+" FROM deadlines WHERE trigger_id = ? ORDER BY id", triggerID)
}
