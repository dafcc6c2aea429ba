package auth

import "github.com/lvxin/lvxin/internal/model"

// Actor is the user the access rules (internal/access) judge for p: nil for
// a nil principal (the local command line, trusted), and a disabled nobody
// for a principal without a user, so that it is refused everything.
func (p *Principal) Actor() *model.User {
	if p == nil {
		return nil
	}
	if p.User == nil {
		return &model.User{Disabled: true}
	}
	return p.User
}
