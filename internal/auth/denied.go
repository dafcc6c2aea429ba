package auth

import (
	"errors"

	"github.com/lvxin/lvxin/internal/access"
)

// ErrHidden refuses access to a record that exists but that the user may
// not see. It wraps ErrForbidden (every refusal is one) but answers exactly
// like a missing record: the web maps it to 404 with the not-found text,
// so that nobody learns which ids exist by probing them.
var ErrHidden = access.ErrHidden

// auditedError marks a refusal that its workflow has written to the audit
// log already, so that the web layer does not record it twice.
type auditedError struct{ error }

func (e auditedError) Unwrap() error { return e.error }

// Audited marks err as recorded in the audit log.
func Audited(err error) error { return auditedError{err} }

// IsAudited reports whether err was marked by Audited.
func IsAudited(err error) bool {
	var a auditedError
	return errors.As(err, &a)
}
