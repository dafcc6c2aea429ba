package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// SetUserFrozen puts a user under an emergency freeze (at is not zero) or
// lifts it (at zero, by empty).
func (tx *Tx) SetUserFrozen(ctx context.Context, userID int64, at time.Time, by string) error {
	res, err := tx.c().exec(ctx, "UPDATE users SET frozen_at = ?, frozen_by = ?, updated_at = ? WHERE id = ?",
		nullTime(at), by, tx.db.Now(), userID)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// UserPaused reports whether nothing may be sent on the user's behalf
// (outgoing WeCom messages): true while the user is frozen or disabled,
// and for a user that does not exist. A database error also answers true:
// when in doubt, do not send.
func (db *DB) UserPaused(ctx context.Context, userID int64) bool {
	var frozen sql.NullTime
	var disabled bool
	err := db.read().queryRow(ctx, "SELECT frozen_at, disabled FROM users WHERE id = ?", userID).Scan(&frozen, &disabled)
	if err != nil {
		return true
	}
	return frozen.Valid || disabled
}

// CreateFreezeIncident inserts an incident (or drill) and sets its ID.
func (tx *Tx) CreateFreezeIncident(ctx context.Context, in *model.FreezeIncident) error {
	return tx.c().queryRow(ctx, `INSERT INTO freeze_incidents (user_id, drill, started_at, started_by, checklist_token_hash, checklist_until)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, in.UserID, in.Drill, in.StartedAt.UTC(), in.StartedBy,
		in.ChecklistTokenHash, nullTime(in.ChecklistUntil)).Scan(&in.ID)
}

// EndFreezeIncidents closes the user's open incidents of the kind (drill or
// real) and returns how many it closed.
func (tx *Tx) EndFreezeIncidents(ctx context.Context, userID int64, drill bool, at time.Time, by string) (int64, error) {
	res, err := tx.c().exec(ctx, `UPDATE freeze_incidents SET ended_at = ?, ended_by = ?
		WHERE user_id = ? AND drill = ? AND ended_at IS NULL`, at.UTC(), by, userID, drill)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// EndFreezeIncident closes one incident.
func (tx *Tx) EndFreezeIncident(ctx context.Context, id int64, at time.Time, by string) error {
	res, err := tx.c().exec(ctx, "UPDATE freeze_incidents SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL", at.UTC(), by, id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// AddFreezeStep records a step ticked off; ticking the same step twice is
// ErrConflict.
func (tx *Tx) AddFreezeStep(ctx context.Context, incidentID int64, s model.FreezeStep) error {
	_, err := tx.c().exec(ctx, "INSERT INTO freeze_steps (incident_id, step, done_at, done_by) VALUES (?, ?, ?, ?)",
		incidentID, s.Step, s.DoneAt.UTC(), s.DoneBy)
	if isUnique(err) {
		return ErrConflict
	}
	return err
}

const freezeIncidentColumns = "id, user_id, drill, started_at, started_by, ended_at, ended_by, checklist_token_hash, checklist_until"

func scanFreezeIncident(row scanner) (*model.FreezeIncident, error) {
	var in model.FreezeIncident
	var ended, until sql.NullTime
	if err := row.Scan(&in.ID, &in.UserID, &in.Drill, &in.StartedAt, &in.StartedBy, &ended, &in.EndedBy,
		&in.ChecklistTokenHash, &until); err != nil {
		return nil, notFound(err)
	}
	if until.Valid {
		in.ChecklistUntil = until.Time.UTC()
	}
	in.StartedAt = in.StartedAt.UTC()
	if ended.Valid {
		in.EndedAt = ended.Time.UTC()
	}
	return &in, nil
}

func scanFreezeStep(row scanner) (model.FreezeStep, error) {
	var s model.FreezeStep
	err := row.Scan(&s.Step, &s.DoneAt, &s.DoneBy)
	s.DoneAt = s.DoneAt.UTC()
	return s, err
}

func freezeIncident(ctx context.Context, c conn, id int64) (*model.FreezeIncident, error) {
	in, err := scanFreezeIncident(c.queryRow(ctx, "SELECT "+freezeIncidentColumns+" FROM freeze_incidents WHERE id = ?", id))
	if err != nil {
		return nil, err
	}
	in.Steps, err = queryAll(ctx, c, scanFreezeStep, "SELECT step, done_at, done_by FROM freeze_steps WHERE incident_id = ? ORDER BY done_at, step", id)
	return in, err
}

// FreezeIncident reads one incident with its steps, or ErrNotFound.
func (db *DB) FreezeIncident(ctx context.Context, id int64) (*model.FreezeIncident, error) {
	return freezeIncident(ctx, db.read(), id)
}

// FreezeIncident reads one incident with its steps inside the transaction.
func (tx *Tx) FreezeIncident(ctx context.Context, id int64) (*model.FreezeIncident, error) {
	return freezeIncident(ctx, tx.c(), id)
}

// FreezeIncidentByChecklistToken finds the incident whose checklist token
// hashes to tokenHash, or ErrNotFound.
func (db *DB) FreezeIncidentByChecklistToken(ctx context.Context, tokenHash string) (*model.FreezeIncident, error) {
	if tokenHash == "" {
		return nil, ErrNotFound
	}
	in, err := scanFreezeIncident(db.read().queryRow(ctx, "SELECT "+freezeIncidentColumns+" FROM freeze_incidents WHERE checklist_token_hash = ?", tokenHash))
	if err != nil {
		return nil, err
	}
	return freezeIncident(ctx, db.read(), in.ID)
}

// FreezeIncidents lists a user's incidents and drills with their steps,
// newest first, at most limit.
func (db *DB) FreezeIncidents(ctx context.Context, userID int64, limit int) ([]*model.FreezeIncident, error) {
	list, err := queryAll(ctx, db.read(), scanFreezeIncident, "SELECT "+freezeIncidentColumns+
		" FROM freeze_incidents WHERE user_id = ? ORDER BY started_at DESC, id DESC LIMIT ?", userID, limit)
	if err != nil {
		return nil, err
	}
	for _, in := range list {
		in.Steps, err = queryAll(ctx, db.read(), scanFreezeStep, "SELECT step, done_at, done_by FROM freeze_steps WHERE incident_id = ? ORDER BY done_at, step", in.ID)
		if err != nil {
			return nil, err
		}
	}
	return list, nil
}

// AddPhishingDrill records a phishing drill result and sets its ID.
func (tx *Tx) AddPhishingDrill(ctx context.Context, r *model.PhishingDrillResult) error {
	return tx.c().queryRow(ctx, `INSERT INTO phishing_drills (user_id, taken_at, questions, correct, missed_lures, false_alarms)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, r.UserID, r.TakenAt.UTC(), r.Questions, r.Correct, r.MissedLures, r.FalseAlarms).Scan(&r.ID)
}

// PhishingDrills lists a user's phishing drill results, newest first, at
// most limit; userID 0 lists everyone's.
func (db *DB) PhishingDrills(ctx context.Context, userID int64, limit int) ([]*model.PhishingDrillResult, error) {
	q := "SELECT id, user_id, taken_at, questions, correct, missed_lures, false_alarms FROM phishing_drills"
	var args []any
	if userID != 0 {
		q += " WHERE user_id = ?"
		args = append(args, userID)
	}
	args = append(args, limit)
	return queryAll(ctx, db.read(), func(row scanner) (*model.PhishingDrillResult, error) {
		var r model.PhishingDrillResult
		err := row.Scan(&r.ID, &r.UserID, &r.TakenAt, &r.Questions, &r.Correct, &r.MissedLures, &r.FalseAlarms)
		r.TakenAt = r.TakenAt.UTC()
		return &r, err
	}, q+" ORDER BY taken_at DESC, id DESC LIMIT ?", args...)
}
