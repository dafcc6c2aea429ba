// Package access owns every "may this user see or change this" decision of
// lvxin, as pure functions over model types: no I/O, no imports but model.
// Workflows load what a rule needs and ask; handlers and CLI commands never
// decide themselves. access_test.go lists every (role, relation, action)
// cell in one table; a new workflow (inbox, delivery, portal) adds its
// functions here and its rows there.
//
// The actor is a *model.User. nil is the local command line, which has the
// machine's full trust (whoever can run lvxin on the server can read the
// data folder anyway). A disabled user may do nothing.
//
// Visibility rules return ErrHidden, which answers exactly like a missing
// record (the web maps it to 404), so that nobody learns which ids exist;
// rules about changing something the user may see return ErrForbidden.
package access

import (
	"errors"
	"fmt"

	"github.com/lvxin/lvxin/internal/model"
)

// ErrForbidden refuses an action the user may not take.
var ErrForbidden = errors.New("没有权限执行此操作")

// ErrHidden refuses access to a record that exists but that the user may
// not see. It wraps ErrForbidden (every refusal is one) but answers like a
// missing record.
var ErrHidden = fmt.Errorf("%w：记录不存在或无权查看", ErrForbidden)

// active reports whether u is a person who may act at all.
func active(u *model.User) bool { return u != nil && !u.Disabled }

// IsAdmin reports whether u is an active administrator (the command line,
// nil, is not a user and so not an admin).
func IsAdmin(u *model.User) bool { return active(u) && u.Role == model.RoleAdmin }

// Administer: users, firm settings, the audit log, retention deletions.
func Administer(u *model.User) error {
	if u == nil || IsAdmin(u) {
		return nil
	}
	return ErrForbidden
}

// ManageUser: everyone manages their own sessions, password and working
// hours; admins anyone's.
func ManageUser(u *model.User, userID int64) error {
	if u == nil || IsAdmin(u) || (active(u) && u.ID == userID) {
		return nil
	}
	return ErrForbidden
}

// Self: the actions a signed-in person takes on their own account only
// (professional profile, TOTP enrolment).
func Self(u *model.User) error {
	if active(u) {
		return nil
	}
	return ErrForbidden
}
