package auth

import (
	"context"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// NeedsSetup reports whether no enabled admin exists yet.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := s.db.CountAdmins(ctx)
	return n == 0, err
}

// NewSetupToken issues the one-time first-run token (printed by `serve` in
// the setup URL) and invalidates any earlier one.
func (s *Service) NewSetupToken(ctx context.Context) (string, error) {
	token := newToken()
	now := s.clock()
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		return tx.AddSetupToken(ctx, hashToken(token), now, now.Add(SetupTokenTTL))
	})
	return token, err
}

// SetupTokenValid reports whether the token may still be used.
func (s *Service) SetupTokenValid(ctx context.Context, token string) bool {
	ok, err := s.db.SetupTokenValid(ctx, hashToken(token), s.clock())
	return err == nil && ok
}

// CompleteSetup consumes the setup token and creates the first admin, in
// one transaction: a token is never spent without an admin to show for it.
func (s *Service) CompleteSetup(ctx context.Context, token string, n NewUser, client Client) (*model.User, error) {
	n.Role = model.RoleAdmin
	if err := n.validate(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	u := &model.User{Username: n.Username, DisplayName: n.DisplayName, Role: model.RoleAdmin, PasswordHash: hash}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		admins, err := tx.CountUsers(ctx, model.RoleAdmin)
		if err != nil {
			return err
		}
		if admins > 0 {
			return ErrSetupDone
		}
		if err := tx.UseSetupToken(ctx, hashToken(token), s.clock()); err != nil {
			if err == store.ErrNotFound {
				return ErrBadSetupToken
			}
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: u.ID, Actor: u.Username, Action: "setup.complete",
			Target: "user/" + u.Username, Detail: "首次使用：创建管理员", IP: client.IP})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
