package auth

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"strings"
)

// ErrBadRecoveryCode is a recovery code that is wrong or used already.
var ErrBadRecoveryCode = errors.New("恢复码错误或已使用过")

// RecoveryCodeCount is how many one-time recovery codes a user gets when
// TOTP is enabled.
const RecoveryCodeCount = 10

// recoveryEncoding is Crockford's base32 alphabet (no i, l, o, u), so that
// a code copied from paper is not misread; normalizeRecoveryCode maps the
// look-alikes back.
var recoveryEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// newRecoveryCode returns a code of 80 random bits as 16 characters in
// groups of four: "7k2m-…".
//
// Codes are stored as plain SHA-256 (hashRecoveryCode), not argon2id: a
// slow hash protects low-entropy secrets that people choose, whereas these
// are 80-bit random values, so even a leaked table cannot be searched
// (2^80 guesses per code), and a fast hash lets a code be found by an
// indexed lookup instead of ten argon2id comparisons per attempt.
func newRecoveryCode() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	s := recoveryEncoding.EncodeToString(b[:])
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// newRecoveryCodes returns RecoveryCodeCount fresh codes and their hashes.
func newRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodeCount {
		c := newRecoveryCode()
		codes = append(codes, c)
		hashes = append(hashes, hashRecoveryCode(c))
	}
	return codes, hashes
}

// normalizeRecoveryCode accepts a code as people type it: any case, with
// or without hyphens and spaces, with i/l for 1 and o for 0.
func normalizeRecoveryCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(code) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
		case r == 'i' || r == 'l':
			b.WriteByte('1')
		case r == 'o':
			b.WriteByte('0')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hashRecoveryCode(code string) string {
	return hashToken("recovery:" + normalizeRecoveryCode(code))
}
