package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

const userColumns = `id, username, display_name, role, password_hash, totp_secret, totp_enabled,
	totp_last_step, failed_logins, locked_until, disabled, frozen_at, frozen_by, created_at, updated_at`

func scanUser(row interface{ Scan(...any) error }) (*model.User, error) {
	var u model.User
	var locked, frozen sql.NullTime
	var role string
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &role, &u.PasswordHash, &u.TOTPSecret,
		&u.TOTPEnabled, &u.TOTPLastStep, &u.FailedLogins, &locked, &u.Disabled, &frozen, &u.FrozenBy, &u.CreatedAt, &u.UpdatedAt)
	if err != nil {
		return nil, notFound(err)
	}
	u.Role = model.Role(role)
	if locked.Valid {
		u.LockedUntil = locked.Time.UTC()
	}
	if frozen.Valid {
		u.FrozenAt = frozen.Time.UTC()
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// UserFilter selects users; zero fields do not filter.
type UserFilter struct {
	Role     model.Role
	Username string
}

func findUsers(ctx context.Context, c conn, f UserFilter) ([]*model.User, error) {
	q := "SELECT " + userColumns + " FROM users WHERE 1=1"
	var args []any
	if f.Role != "" {
		q += " AND role = ?"
		args = append(args, string(f.Role))
	}
	if f.Username != "" {
		q += " AND username = ?"
		args = append(args, f.Username)
	}
	return queryAll(ctx, c, scanUser, q+" ORDER BY id", args...)
}

// FindUsers lists users matching f, oldest first.
func (db *DB) FindUsers(ctx context.Context, f UserFilter) ([]*model.User, error) {
	return findUsers(ctx, db.read(), f)
}

// UserByID returns one user or ErrNotFound.
func (db *DB) UserByID(ctx context.Context, id int64) (*model.User, error) {
	return scanUser(db.read().queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
}

// UserByUsername returns one user or ErrNotFound.
func (db *DB) UserByUsername(ctx context.Context, username string) (*model.User, error) {
	return scanUser(db.read().queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE username = ?", username))
}

// UserByID reads a user inside the transaction.
func (tx *Tx) UserByID(ctx context.Context, id int64) (*model.User, error) {
	return scanUser(tx.c().queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
}

// UserByUsername reads a user inside the transaction.
func (tx *Tx) UserByUsername(ctx context.Context, username string) (*model.User, error) {
	return scanUser(tx.c().queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE username = ?", username))
}

// CountUsers counts users with the role (all users when role is empty).
func (tx *Tx) CountUsers(ctx context.Context, role model.Role) (int, error) {
	var n int
	var err error
	if role == "" {
		err = tx.c().queryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	} else {
		err = tx.c().queryRow(ctx, "SELECT count(*) FROM users WHERE role = ?", string(role)).Scan(&n)
	}
	return n, err
}

// CountAdmins counts enabled admins.
func (db *DB) CountAdmins(ctx context.Context) (int, error) {
	var n int
	err := db.read().queryRow(ctx, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = ?", false).Scan(&n)
	return n, err
}

// CreateUser inserts u and sets its ID and timestamps. A taken username is
// ErrConflict.
func (tx *Tx) CreateUser(ctx context.Context, u *model.User) error {
	now := tx.db.Now()
	u.CreatedAt, u.UpdatedAt = now, now
	err := tx.c().queryRow(ctx, `INSERT INTO users (username, display_name, role, password_hash, totp_secret,
		totp_enabled, totp_last_step, failed_logins, locked_until, disabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Username, u.DisplayName, string(u.Role), u.PasswordHash, u.TOTPSecret, u.TOTPEnabled,
		u.TOTPLastStep, u.FailedLogins, nullTime(u.LockedUntil), u.Disabled, now, now).Scan(&u.ID)
	if isUnique(err) {
		return fmt.Errorf("%w：用户名 %q 已被使用", ErrConflict, u.Username)
	}
	return err
}

// UpdateUser writes every mutable field of u.
func (tx *Tx) UpdateUser(ctx context.Context, u *model.User) error {
	u.UpdatedAt = tx.db.Now()
	res, err := tx.c().exec(ctx, `UPDATE users SET display_name = ?, role = ?, password_hash = ?, totp_secret = ?,
		totp_enabled = ?, totp_last_step = ?, failed_logins = ?, locked_until = ?, disabled = ?, updated_at = ?
		WHERE id = ?`,
		u.DisplayName, string(u.Role), u.PasswordHash, u.TOTPSecret, u.TOTPEnabled, u.TOTPLastStep,
		u.FailedLogins, nullTime(u.LockedUntil), u.Disabled, u.UpdatedAt, u.ID)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

func mustAffect(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

// ReplaceRecoveryCodes deletes every recovery code of a user and stores the
// given hashes as the new, unused set (an empty set just deletes).
func (tx *Tx) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string, at time.Time) error {
	if _, err := tx.c().exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.c().exec(ctx, "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)",
			userID, h, at.UTC()); err != nil {
			return err
		}
	}
	return nil
}

// UseRecoveryCode marks the user's unused code with this hash as used;
// ErrNotFound when there is none (unknown, another user's, or used).
func (tx *Tx) UseRecoveryCode(ctx context.Context, userID int64, codeHash string, at time.Time) error {
	res, err := tx.c().exec(ctx, `UPDATE recovery_codes SET used_at = ?
		WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`, at.UTC(), userID, codeHash)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// UnusedRecoveryCodes counts a user's recovery codes not used yet.
func (db *DB) UnusedRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.read().queryRow(ctx, "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", userID).Scan(&n)
	return n, err
}

// UnusedRecoveryCodes counts unused codes inside the transaction.
func (tx *Tx) UnusedRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	var n int
	err := tx.c().queryRow(ctx, "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", userID).Scan(&n)
	return n, err
}

// LoginFailure counts failed logins for a name that has no enabled
// account, so that such names are locked out like real accounts.
type LoginFailure struct {
	Username     string
	FailedLogins int
	LockedUntil  time.Time // zero when not locked
}

// LoginFailure reads the failures recorded for a name; ErrNotFound when
// there are none.
func (tx *Tx) LoginFailure(ctx context.Context, username string) (*LoginFailure, error) {
	f := LoginFailure{Username: username}
	var locked sql.NullTime
	err := tx.c().queryRow(ctx, "SELECT failed_logins, locked_until FROM login_failures WHERE username = ?", username).
		Scan(&f.FailedLogins, &locked)
	if err != nil {
		return nil, notFound(err)
	}
	if locked.Valid {
		f.LockedUntil = locked.Time.UTC()
	}
	return &f, nil
}

// SaveLoginFailure writes f, and forgets the failures of names last seen
// before forgetBefore (the table holds whatever names strangers try, so it
// must not grow for ever).
func (tx *Tx) SaveLoginFailure(ctx context.Context, f *LoginFailure, at, forgetBefore time.Time) error {
	if _, err := tx.c().exec(ctx, "DELETE FROM login_failures WHERE updated_at < ? AND username <> ?", forgetBefore.UTC(), f.Username); err != nil {
		return err
	}
	_, err := tx.c().exec(ctx, `INSERT INTO login_failures (username, failed_logins, locked_until, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (username) DO UPDATE SET failed_logins = excluded.failed_logins, locked_until = excluded.locked_until,
		updated_at = excluded.updated_at`, f.Username, f.FailedLogins, nullTime(f.LockedUntil), at.UTC())
	return err
}
