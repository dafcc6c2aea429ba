package schedule

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// PublicURLKey is the firm setting with the address phones reach lvxin at
// (the calendar subscription links to it); `serve --public-url` overrides it.
const PublicURLKey = "public_url"

// NormalizePublicURL checks a public address: http(s), a host, no query,
// fragment, user info or white space; the trailing slash is dropped. ""
// (no public address) is accepted.
func NormalizePublicURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	bad := fmt.Errorf("%w：公开地址 %q 应为 http:// 或 https:// 开头的网址，例如 https://lvxin.example.cn，不含空格、问号和 #", model.ErrInvalidInput, s)
	if len(s) > 300 || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return "", bad
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.Contains(s, "#") {
		return "", bad
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

// PublicURL is the firm's public address setting ("" when unset).
func (s *Service) PublicURL(ctx context.Context) (string, error) {
	v, err := s.db.Setting(ctx, PublicURLKey)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return v, err
}

// SetPublicURL saves the firm's public address (administrators only); the
// change is audited with the old and new value. Saving the same value
// changes and records nothing.
func (s *Service) SetPublicURL(ctx context.Context, p *auth.Principal, v string) error {
	if err := access.Administer(p.Actor()); err != nil {
		return err
	}
	v, err := NormalizePublicURL(v)
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		old, err := tx.Setting(ctx, PublicURLKey)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if old == v {
			return nil
		}
		if err := tx.SetSetting(ctx, PublicURLKey, v); err != nil {
			return err
		}
		ev := &model.AuditEvent{Actor: model.ActorCLI, Action: "setting.public_url", Target: PublicURLKey, Detail: fmt.Sprintf("%q → %q", old, v)}
		if p != nil && p.User != nil {
			ev.ActorID, ev.Actor = p.User.ID, p.User.Username
			if p.Session != nil {
				ev.IP = p.Session.IP
			}
		}
		return tx.AppendAudit(ctx, ev)
	})
}
