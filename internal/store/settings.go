package store

import (
	"context"
	"time"
)

// Setting reads a firm-wide setting; ErrNotFound when unset.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.read().queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	return v, notFound(err)
}

// Setting reads a setting inside the transaction.
func (tx *Tx) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := tx.c().queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	return v, notFound(err)
}

// SetSetting writes a setting.
func (tx *Tx) SetSetting(ctx context.Context, key, value string) error {
	_, err := tx.c().exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// AddSetupToken stores the hash of a one-time setup token and invalidates
// older unused ones.
func (tx *Tx) AddSetupToken(ctx context.Context, tokenHash string, now, expires time.Time) error {
	if _, err := tx.c().exec(ctx, "UPDATE setup_tokens SET used_at = ? WHERE used_at IS NULL", now.UTC()); err != nil {
		return err
	}
	_, err := tx.c().exec(ctx, "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)",
		tokenHash, now.UTC(), expires.UTC())
	return err
}

// UseSetupToken consumes a valid token; ErrNotFound when it is unknown,
// used or expired.
func (tx *Tx) UseSetupToken(ctx context.Context, tokenHash string, now time.Time) error {
	res, err := tx.c().exec(ctx, `UPDATE setup_tokens SET used_at = ?
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, now.UTC(), tokenHash, now.UTC())
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// SetupTokenValid reports whether a token could be used now.
func (db *DB) SetupTokenValid(ctx context.Context, tokenHash string, now time.Time) (bool, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT count(*) FROM setup_tokens
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, tokenHash, now.UTC()).Scan(&n)
	return n > 0, err
}
