package auth

import "github.com/lvxin/lvxin/internal/model"

// The access rules of lvxin live in this file, so that they can be read and
// tested in one place. Handlers and CLI commands ask; they never decide.

// canManageSessions: everyone manages their own sessions; admins anyone's.
// A nil actor is the local CLI, which has the machine's full trust.
func canManageSessions(actor *Principal, userID int64) error {
	if actor == nil || actor.User.Role == model.RoleAdmin || actor.User.ID == userID {
		return nil
	}
	return ErrForbidden
}

// CanAdminister reports whether p may manage users and firm settings.
func CanAdminister(p *Principal) bool {
	return p != nil && p.User.Role == model.RoleAdmin
}
