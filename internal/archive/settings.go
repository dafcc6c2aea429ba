package archive

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Settings are the firm's chat-archive settings.
type Settings struct {
	Recipients      []string // age public keys the monthly archives are encrypted to
	RetentionMonths int      // 0: chats are kept for ever
}

// LoadSettings reads the firm's settings.
func (s *Service) LoadSettings(ctx context.Context) (Settings, error) {
	var out Settings
	v, err := s.DB.Setting(ctx, SettingRecipients)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return out, err
	}
	out.Recipients = strings.Fields(v)
	v, err = s.DB.Setting(ctx, SettingRetentionMonths)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return out, err
	}
	out.RetentionMonths, _ = strconv.Atoi(strings.TrimSpace(v))
	return out, nil
}

// SaveSettings validates and stores the settings (admins only), audited.
// recipients is whitespace-separated; retention is a number of months or
// empty for "keep for ever".
func (s *Service) SaveSettings(ctx context.Context, p *auth.Principal, recipients, retention string) error {
	if err := access.Administer(p.Actor()); err != nil {
		return err
	}
	keys := strings.Fields(recipients)
	if len(keys) > 0 {
		if _, err := ParseRecipients(keys); err != nil {
			return fmt.Errorf("%w：归档接收人公钥无效：%w", model.ErrInvalidInput, err)
		}
	}
	months := 0
	if t := strings.TrimSpace(retention); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > 1200 {
			return fmt.Errorf("%w：保存期限应为 1 到 1200 之间的月数，留空表示永久保存，而不是 %q", model.ErrInvalidInput, t)
		}
		months = n
	}
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetSetting(ctx, SettingRecipients, strings.Join(keys, " ")); err != nil {
			return err
		}
		if err := tx.SetSetting(ctx, SettingRetentionMonths, strconv.Itoa(months)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, Action: "setting.chat_archive",
			Target: "firm", Detail: fmt.Sprintf("接收人 %d 个，保存期限 %d 个月（0 为永久）", len(keys), months)})
	})
}
