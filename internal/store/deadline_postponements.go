package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// DeadlinePostponement is one move of a deadline's due date by hand (顺延),
// with the note that explains it.
type DeadlinePostponement struct {
	ID         int64
	DeadlineID int64
	OldDue     string
	NewDue     string
	Note       string
	ByUserID   int64
	At         time.Time
}

// PostponeDeadline moves an open deadline's due date and records the
// postponement; from then on the deadline is no longer recomputed from its
// rule (OpenDeadlinesNotOn leaves it out).
func (tx *Tx) PostponeDeadline(ctx context.Context, p *DeadlinePostponement) error {
	p.At = tx.db.Now()
	res, err := tx.c().exec(ctx, "UPDATE deadlines SET due_date = ? WHERE id = ? AND status = ?", p.NewDue, p.DeadlineID, string(model.DeadlineOpen))
	if err != nil {
		return err
	}
	if err := mustAffect(res); err != nil {
		return err
	}
	return tx.c().queryRow(ctx, `INSERT INTO deadline_postponements (deadline_id, old_due, new_due, note, by_user_id, at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, p.DeadlineID, p.OldDue, p.NewDue, p.Note, nullID(p.ByUserID), p.At).Scan(&p.ID)
}

// DeadlinePostponements lists a deadline's postponements, oldest first.
func (db *DB) DeadlinePostponements(ctx context.Context, deadlineID int64) ([]*DeadlinePostponement, error) {
	return queryAll(ctx, db.read(), func(row scanner) (*DeadlinePostponement, error) {
		var p DeadlinePostponement
		var by sql.NullInt64
		if err := row.Scan(&p.ID, &p.DeadlineID, &p.OldDue, &p.NewDue, &p.Note, &by, &p.At); err != nil {
			return nil, err
		}
		p.ByUserID, p.At = by.Int64, p.At.UTC()
		return &p, nil
	}, "SELECT id, deadline_id, old_due, new_due, note, by_user_id, at FROM deadline_postponements WHERE deadline_id = ? ORDER BY id", deadlineID)
}

// DueDeadlines lists the open deadlines due from..to (inclusive,
// YYYY-MM-DD) of every owner, by due date: the input of the due-notice
// job. At most limit.
func (db *DB) DueDeadlines(ctx context.Context, from, to string, limit int) ([]*model.Deadline, error) {
	return queryAll(ctx, db.read(), scanDeadline, "SELECT "+deadlineColumns+
		" FROM deadlines WHERE status = ? AND due_date >= ? AND due_date <= ? ORDER BY due_date, id LIMIT ?",
		string(model.DeadlineOpen), from, to, limit)
}
