package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

const notificationColumns = `id, user_id, kind, title, body, link, matter_id, dedup_key, created_at, read_at, pushed_at`

func scanNotification(row scanner) (model.Notification, error) {
	var n model.Notification
	var matter sql.NullInt64
	var dedup sql.NullString
	var read, pushed sql.NullTime
	if err := row.Scan(&n.ID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &matter, &dedup,
		&n.CreatedAt, &read, &pushed); err != nil {
		return n, notFound(err)
	}
	n.MatterID, n.DedupKey = matter.Int64, dedup.String
	n.CreatedAt = n.CreatedAt.UTC()
	if read.Valid {
		n.ReadAt = read.Time.UTC()
	}
	if pushed.Valid {
		n.PushedAt = pushed.Time.UTC()
	}
	return n, nil
}

// InsertNotification stores n and sets its ID. A notification whose
// DedupKey the user already has is dropped; inserted reports which. A set
// PushedAt stores it as already delivered to the phone (the pusher skips
// it).
func (tx *Tx) InsertNotification(ctx context.Context, n *model.Notification) (inserted bool, err error) {
	var matter sql.NullInt64
	if n.MatterID != 0 {
		matter = sql.NullInt64{Int64: n.MatterID, Valid: true}
	}
	var dedup sql.NullString
	if n.DedupKey != "" {
		dedup = sql.NullString{String: n.DedupKey, Valid: true}
		var exists int
		err := tx.c().queryRow(ctx, "SELECT 1 FROM notifications WHERE user_id = ? AND dedup_key = ?", n.UserID, n.DedupKey).Scan(&exists)
		if err == nil {
			return false, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return false, err
		}
	}
	err = tx.c().queryRow(ctx, `INSERT INTO notifications (user_id, kind, title, body, link, matter_id, dedup_key, created_at, pushed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		n.UserID, n.Kind, n.Title, n.Body, n.Link, matter, dedup, n.CreatedAt.UTC(), nullTime(n.PushedAt)).Scan(&n.ID)
	return err == nil, err
}

// NotificationFilter selects a user's notifications, newest first.
type NotificationFilter struct {
	UserID     int64
	UnreadOnly bool
	BeforeID   int64 // page: only ids below this (0: from the newest)
	Limit      int   // at most 200; 0 means 50
}

// Notifications lists a user's notifications, newest first, one page.
func (db *DB) Notifications(ctx context.Context, f NotificationFilter) ([]model.Notification, error) {
	q := "SELECT " + notificationColumns + " FROM notifications WHERE user_id = ?"
	args := []any{f.UserID}
	if f.UnreadOnly {
		q += " AND read_at IS NULL"
	}
	if f.BeforeID > 0 {
		q += " AND id < ?"
		args = append(args, f.BeforeID)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 200)
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	return queryAll(ctx, db.read(), scanNotification, q, args...)
}

// NotificationByID returns one notification or ErrNotFound.
func (db *DB) NotificationByID(ctx context.Context, id int64) (model.Notification, error) {
	return scanNotification(db.read().queryRow(ctx, "SELECT "+notificationColumns+" FROM notifications WHERE id = ?", id))
}

// UnreadNotifications counts a user's unread notifications up to limit
// (the bell shows "99+" beyond), so the count costs the same however many
// there are.
func (db *DB) UnreadNotifications(ctx context.Context, userID int64, limit int) (int, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM notifications
		WHERE user_id = ? AND read_at IS NULL LIMIT ?) AS unread`, userID, limit).Scan(&n)
	return n, err
}

// MarkNotificationsRead marks the user's notifications read: the one with
// id, or all of them when id is 0. Another user's notification is
// ErrNotFound.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID, id int64, at time.Time) error {
	return db.Update(ctx, func(tx *Tx) error {
		if id == 0 {
			_, err := tx.c().exec(ctx, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", at.UTC(), userID)
			return err
		}
		res, err := tx.c().exec(ctx, "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE user_id = ? AND id = ?", at.UTC(), userID, id)
		if err != nil {
			return err
		}
		return mustAffect(res)
	})
}

// UnpushedNotifications lists notifications not yet pushed to the phone,
// oldest first.
func (db *DB) UnpushedNotifications(ctx context.Context, limit int) ([]model.Notification, error) {
	return queryAll(ctx, db.read(), scanNotification,
		"SELECT "+notificationColumns+" FROM notifications WHERE pushed_at IS NULL ORDER BY id LIMIT ?", limit)
}

// MarkNotificationPushed records that a notification reached the phone (or
// that it will not be pushed: no channel for that user).
func (db *DB) MarkNotificationPushed(ctx context.Context, id int64, at time.Time) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.c().exec(ctx, "UPDATE notifications SET pushed_at = ? WHERE id = ? AND pushed_at IS NULL", at.UTC(), id)
		return err
	})
}
