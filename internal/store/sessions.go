package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

const sessionColumns = `id, user_id, token_hash, csrf_token, stage, ip, user_agent, created_at,
	last_seen_at, expires_at, revoked_at, revoked_by`

func scanSession(row interface{ Scan(...any) error }) (*model.Session, error) {
	var s model.Session
	var stage string
	var revoked sql.NullTime
	err := row.Scan(&s.ID, &s.UserID, &s.TokenHash, &s.CSRFToken, &stage, &s.IP, &s.UserAgent,
		&s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &revoked, &s.RevokedBy)
	if err != nil {
		return nil, notFound(err)
	}
	s.Stage = model.SessionStage(stage)
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	if revoked.Valid {
		s.RevokedAt = revoked.Time.UTC()
	}
	return &s, nil
}

// CreateSession inserts s and sets its ID.
func (tx *Tx) CreateSession(ctx context.Context, s *model.Session) error {
	return tx.c().queryRow(ctx, `INSERT INTO sessions (user_id, token_hash, csrf_token, stage, ip, user_agent,
		created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.UserID, s.TokenHash, s.CSRFToken, string(s.Stage), s.IP, s.UserAgent,
		s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()).Scan(&s.ID)
}

// SessionByTokenHash finds a session (revoked or not) by its token hash.
func (db *DB) SessionByTokenHash(ctx context.Context, tokenHash string) (*model.Session, error) {
	return scanSession(db.read().queryRow(ctx, "SELECT "+sessionColumns+" FROM sessions WHERE token_hash = ?", tokenHash))
}

// SessionByID finds a session inside the transaction.
func (tx *Tx) SessionByID(ctx context.Context, id int64) (*model.Session, error) {
	return scanSession(tx.c().queryRow(ctx, "SELECT "+sessionColumns+" FROM sessions WHERE id = ?", id))
}

// TouchSession records activity on a live session.
func (db *DB) TouchSession(ctx context.Context, id int64, at time.Time, ip string) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.c().exec(ctx, "UPDATE sessions SET last_seen_at = ?, ip = ? WHERE id = ? AND revoked_at IS NULL",
			at.UTC(), ip, id)
		return err
	})
}

// PromoteSession turns a session waiting for TOTP into a full one under a
// new token hash (the token rotates at every privilege change).
func (tx *Tx) PromoteSession(ctx context.Context, id int64, newTokenHash string, at, expires time.Time) error {
	res, err := tx.c().exec(ctx, `UPDATE sessions SET stage = 'full', token_hash = ?, last_seen_at = ?, expires_at = ?
		WHERE id = ? AND revoked_at IS NULL`, newTokenHash, at.UTC(), expires.UTC(), id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// RevokeSession ends one session. Revoking a revoked session is not an error.
func (tx *Tx) RevokeSession(ctx context.Context, id int64, by string, at time.Time) error {
	_, err := tx.c().exec(ctx, "UPDATE sessions SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
		at.UTC(), by, id)
	return err
}

// RevokeUserSessions ends every live session of a user and returns how many.
func (tx *Tx) RevokeUserSessions(ctx context.Context, userID int64, by string, at time.Time) (int64, error) {
	res, err := tx.c().exec(ctx, "UPDATE sessions SET revoked_at = ?, revoked_by = ? WHERE user_id = ? AND revoked_at IS NULL",
		at.UTC(), by, userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ActiveSessions lists a user's signed-in devices: full sessions (a login
// still waiting for its TOTP code is no device) that are not revoked and not
// expired by the given cut-offs, most recently seen first.
func (db *DB) ActiveSessions(ctx context.Context, userID int64, now time.Time, idleCutoff time.Time) ([]*model.Session, error) {
	return queryAll(ctx, db.read(), scanSession, "SELECT "+sessionColumns+` FROM sessions
		WHERE user_id = ? AND stage = 'full' AND revoked_at IS NULL AND expires_at > ? AND last_seen_at > ?
		ORDER BY last_seen_at DESC`, userID, now.UTC(), idleCutoff.UTC())
}
