package wecom

import (
	"context"
	"errors"
	"fmt"

	"github.com/lvxin/lvxin/internal/store"
)

// Sending through the saved settings, for the message centre: it may send
// automatically only on the kf and app channels (and the welcome message of
// an add event); see docs/WECOM.md, 平台限制.

// SendKFText replies to a client on a kf account (kf/send_msg).
func (s *Service) SendKFText(ctx context.Context, openKFID, externalUserID, text string) error {
	c, err := s.Client(ctx)
	if err != nil {
		return err
	}
	return c.SendKFText(ctx, openKFID, externalUserID, text)
}

// SendKFWelcome answers a kf enter_session event's welcome_code.
func (s *Service) SendKFWelcome(ctx context.Context, welcomeCode, text string) error {
	c, err := s.Client(ctx)
	if err != nil {
		return err
	}
	return c.SendKFWelcome(ctx, welcomeCode, text)
}

// SendWelcome sends the welcome message of a new external contact.
func (s *Service) SendWelcome(ctx context.Context, welcomeCode, text string) error {
	c, err := s.Client(ctx)
	if err != nil {
		return err
	}
	return c.SendWelcome(ctx, welcomeCode, text)
}

// ErrNoWeComAccount means a firm member has no WeCom userid linked.
var ErrNoWeComAccount = errors.New("该成员尚未关联企业微信账号")

// SendAppTextToUsers sends an app message to lvxin users by their ids,
// through the WeCom userids linked to them; ErrNoWeComAccount when none of
// them has one.
func (s *Service) SendAppTextToUsers(ctx context.Context, userIDs []int64, text string) error {
	members, err := s.db.WeComMembers(ctx)
	if err != nil {
		return err
	}
	want := map[int64]bool{}
	for _, id := range userIDs {
		want[id] = true
	}
	var to []string
	for _, m := range members {
		if want[m.UserID] && m.WeComUserID != "" && !m.Disabled {
			to = append(to, m.WeComUserID)
		}
	}
	if len(to) == 0 {
		return fmt.Errorf("%w：用户 %v", ErrNoWeComAccount, userIDs)
	}
	c, err := s.Client(ctx)
	if err != nil {
		return err
	}
	return c.SendAppText(ctx, to, text)
}

// SendAppText sends an app message to firm members by their WeCom userids
// (message/send as the configured agent). With SendKFText and SendWelcome
// it makes the Service the message centre's sender: each call resolves the
// client of the saved settings, so a changed setting applies to the next
// message, and a firm without settings gets ErrNotConfigured.
func (s *Service) SendAppText(ctx context.Context, weComUserIDs []string, text string) error {
	if len(weComUserIDs) == 0 {
		return ErrNoWeComAccount
	}
	c, err := s.Client(ctx)
	if err != nil {
		return err
	}
	return c.SendAppText(ctx, weComUserIDs, text)
}

// WeComUserID is the WeCom userid linked to an lvxin user (users.wecom_userid);
// ok is false when none is linked or the user is disabled or frozen (a
// frozen user's phone may be lost: nothing about clients goes to it). With
// UserIDByWeCom it makes the Service the message centre's directory.
func (s *Service) WeComUserID(ctx context.Context, userID int64) (string, bool) {
	if userID == 0 {
		return "", false
	}
	if u, err := s.db.UserByID(ctx, userID); err != nil || u.Frozen() {
		return "", false
	}
	members, err := s.db.WeComMembers(ctx)
	if err != nil {
		s.logger.Warn("wecom directory", "user", userID, "err", err)
		return "", false
	}
	for _, m := range members {
		if m.UserID == userID && m.WeComUserID != "" && !m.Disabled {
			return m.WeComUserID, true
		}
	}
	return "", false
}

// UserIDByWeCom is the lvxin user a WeCom userid is linked to; ok is false
// when none is.
func (s *Service) UserIDByWeCom(ctx context.Context, weComUserID string) (int64, bool) {
	u, err := s.db.UserByWeComID(ctx, weComUserID)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.logger.Warn("wecom directory", "wecom_userid", weComUserID, "err", err)
		}
		return 0, false
	}
	return u.ID, true
}
