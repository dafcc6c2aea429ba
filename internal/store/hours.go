package store

import (
	"context"

	"github.com/lvxin/lvxin/internal/model"
)

// WorkingHours returns a user's own working hours, or ErrNotFound when the
// firm default applies.
func (db *DB) WorkingHours(ctx context.Context, userID int64) (*model.WorkingHours, error) {
	var h model.WorkingHours
	err := db.read().queryRow(ctx, "SELECT user_id, start_time, end_time, zone, updated_at FROM working_hours WHERE user_id = ?", userID).
		Scan(&h.UserID, &h.Start, &h.End, &h.Zone, &h.UpdatedAt)
	if err != nil {
		return nil, notFound(err)
	}
	h.UpdatedAt = h.UpdatedAt.UTC()
	return &h, nil
}

// SetWorkingHours stores a user's working hours.
func (tx *Tx) SetWorkingHours(ctx context.Context, h *model.WorkingHours) error {
	h.UpdatedAt = tx.db.Now()
	_, err := tx.c().exec(ctx, `INSERT INTO working_hours (user_id, start_time, end_time, zone, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET start_time = excluded.start_time, end_time = excluded.end_time,
		zone = excluded.zone, updated_at = excluded.updated_at`, h.UserID, h.Start, h.End, h.Zone, h.UpdatedAt)
	return err
}
