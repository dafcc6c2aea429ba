package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/lvxin/lvxin/internal/model"
)

// KFAccounts lists the kf account → lawyer mapping.
func (db *DB) KFAccounts(ctx context.Context) ([]*model.KFAccount, error) {
	return queryAll(ctx, db.read(), func(row scanner) (*model.KFAccount, error) {
		var a model.KFAccount
		if err := row.Scan(&a.OpenKFID, &a.Name, &a.LawyerID, &a.UpdatedAt); err != nil {
			return nil, err
		}
		a.UpdatedAt = a.UpdatedAt.UTC()
		return &a, nil
	}, "SELECT open_kfid, name, lawyer_id, updated_at FROM inbox_kf_accounts ORDER BY open_kfid")
}

// KFAccountLawyer returns the lawyer a kf account is mapped to;
// ErrNotFound when it is not mapped.
func (db *DB) KFAccountLawyer(ctx context.Context, openKFID string) (int64, error) {
	var id int64
	err := db.read().queryRow(ctx, "SELECT lawyer_id FROM inbox_kf_accounts WHERE open_kfid = ?", openKFID).Scan(&id)
	return id, notFound(err)
}

// SetKFAccount creates or replaces a kf account's mapping.
func (tx *Tx) SetKFAccount(ctx context.Context, a *model.KFAccount) error {
	a.UpdatedAt = tx.db.Now()
	_, err := tx.c().exec(ctx, `INSERT INTO inbox_kf_accounts (open_kfid, name, lawyer_id, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (open_kfid) DO UPDATE SET name = excluded.name, lawyer_id = excluded.lawyer_id, updated_at = excluded.updated_at`,
		a.OpenKFID, a.Name, a.LawyerID, a.UpdatedAt)
	return err
}

// DeleteKFAccount removes a kf account's mapping.
func (tx *Tx) DeleteKFAccount(ctx context.Context, openKFID string) error {
	res, err := tx.c().exec(ctx, "DELETE FROM inbox_kf_accounts WHERE open_kfid = ?", openKFID)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// DNDWindows returns a user's do-not-disturb windows, by start.
func (db *DB) DNDWindows(ctx context.Context, userID int64) ([]model.DNDWindow, error) {
	return queryAll(ctx, db.read(), func(row scanner) (model.DNDWindow, error) {
		var w model.DNDWindow
		err := row.Scan(&w.Start, &w.End)
		return w, err
	}, "SELECT start_time, end_time FROM inbox_dnd WHERE user_id = ? ORDER BY start_time, end_time", userID)
}

// SetDNDWindows replaces a user's do-not-disturb windows.
func (tx *Tx) SetDNDWindows(ctx context.Context, userID int64, windows []model.DNDWindow) error {
	if _, err := tx.c().exec(ctx, "DELETE FROM inbox_dnd WHERE user_id = ?", userID); err != nil {
		return err
	}
	for _, w := range windows {
		if _, err := tx.c().exec(ctx, `INSERT INTO inbox_dnd (user_id, start_time, end_time) VALUES (?, ?, ?)
			ON CONFLICT (user_id, start_time, end_time) DO NOTHING`, userID, w.Start, w.End); err != nil {
			return err
		}
	}
	return nil
}

// ClaimWelcome records a welcome code before its message is sent; false
// when the code was already used (WeCom retried the event).
func (tx *Tx) ClaimWelcome(ctx context.Context, w *model.Welcome) (bool, error) {
	w.At = tx.db.Now()
	var code string
	err := tx.c().queryRow(ctx, `INSERT INTO inbox_welcomes (welcome_code, staff_userid, external_user_id, lawyer_id, text, status,
		error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (welcome_code) DO NOTHING RETURNING welcome_code`,
		w.WelcomeCode, w.StaffUserID, w.ExternalUserID, nullID(w.LawyerID), w.Text, w.Status, w.Error, w.At).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// SetWelcomeStatus records how sending a welcome message ended.
func (tx *Tx) SetWelcomeStatus(ctx context.Context, code, status, errText string) error {
	res, err := tx.c().exec(ctx, "UPDATE inbox_welcomes SET status = ?, error = ? WHERE welcome_code = ?", status, errText, code)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// Welcomes lists the welcome messages, newest first.
func (db *DB) Welcomes(ctx context.Context, limit int) ([]*model.Welcome, error) {
	return queryAll(ctx, db.read(), func(row scanner) (*model.Welcome, error) {
		var w model.Welcome
		var lawyer sql.NullInt64
		if err := row.Scan(&w.WelcomeCode, &w.StaffUserID, &w.ExternalUserID, &lawyer, &w.Text, &w.Status, &w.Error, &w.At); err != nil {
			return nil, err
		}
		w.LawyerID, w.At = lawyer.Int64, w.At.UTC()
		return &w, nil
	}, `SELECT welcome_code, staff_userid, external_user_id, lawyer_id, text, status, error, created_at
		FROM inbox_welcomes ORDER BY created_at DESC LIMIT ?`, limit)
}
