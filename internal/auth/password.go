package auth

import (
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// PasswordParams are the argon2id parameters: OWASP's recommended minimum
// (19 MiB, t=2, p=1), as the design requires.
var PasswordParams = &argon2id.Params{
	Memory:      19 * 1024,
	Iterations:  2,
	Parallelism: 1,
	SaltLength:  16,
	KeyLength:   32,
}

// Password length bounds (ASVS 2.1.1 / 2.1.2).
const (
	MinPasswordLen = 12
	MaxPasswordLen = 128
)

// ErrWeakPassword is returned for a password outside the length bounds.
var ErrWeakPassword = errors.New("密码太弱")

// CheckPasswordPolicy validates a new password.
func CheckPasswordPolicy(password string) error {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLen {
		return fmt.Errorf("%w：至少需要 %d 个字符", ErrWeakPassword, MinPasswordLen)
	}
	if n > MaxPasswordLen {
		return fmt.Errorf("%w：最多 %d 个字符", ErrWeakPassword, MaxPasswordLen)
	}
	return nil
}

// HashPassword hashes a password with argon2id.
func HashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, PasswordParams)
}

// dummyHash is compared against when a username does not exist, so that a
// wrong username costs as much time as a wrong password. It is made on
// first use: at package initialisation it cost every command of the CLI
// an argon2id hash (about 0.1 s of CPU and 19 MiB) before doing anything.
var dummyHash = sync.OnceValue(func() string {
	h, _ := argon2id.CreateHash("lvxin-timing-equaliser", PasswordParams)
	return h
})

// PrepareLogin makes the timing equaliser now (serve calls it at start-up),
// so that even the first sign-in with an unknown username costs what any
// other does.
func PrepareLogin() { dummyHash() }

func checkPassword(password, hash string) bool {
	if hash == "" {
		hash = dummyHash()
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}
