// Package auth owns who may do what in lvxin: users and their roles,
// argon2id passwords, sessions (128-bit tokens stored hashed, idle and
// absolute timeouts, rotation at login), TOTP second factor without code
// reuse, login throttling and lockout, the one-time first-run setup token,
// and the access rules, all in one place. Every security-relevant event is
// written to the hash-chained audit log in the same transaction as the
// change it records.
package auth
