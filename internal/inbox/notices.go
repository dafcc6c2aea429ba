package inbox

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Important notices of case groups, confirmed read (确认已读) by members on
// a public page addressed by an unguessable token.

// PostNotice creates an important notice for a group; its public page
// (/notice/{token}, an unguessable 128-bit token) is the link the lawyer
// sends into the group.
func (s *Service) PostNotice(ctx context.Context, p *auth.Principal, id int64, title, body string) (*model.GroupNotice, error) {
	g, _, err := s.authorizeGroup(ctx, p, id, "发布群通知")
	if err != nil {
		return nil, err
	}
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	switch {
	case title == "" || !utf8.ValidString(title) || utf8.RuneCountInString(title) > 60:
		return nil, invalid("通知标题不能为空，最多 60 字")
	case body == "" || !utf8.ValidString(body) || utf8.RuneCountInString(body) > 5000:
		return nil, invalid("通知内容不能为空，最多 5000 字")
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	n := &model.GroupNotice{GroupID: g.ID, Title: title, Body: body, Token: base64.RawURLEncoding.EncodeToString(raw[:]),
		CreatedBy: userOf(p)}
	if n.CreatedBy == 0 {
		return nil, invalid("群通知须由律信用户发布")
	}
	return n, s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateGroupNotice(ctx, n); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "group.notice", target("group", g.ID), title))
	})
}

// PublicNotice is what the public notice page shows: the notice and the
// group's name, never the list of who confirmed.
type PublicNotice struct {
	Title, Body, Group string
}

// validToken: tokens are 22 characters of base64url.
func validToken(tok string) bool {
	return len(tok) == 22 && !strings.ContainsFunc(tok, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	})
}

// Notice returns the public view of a notice by its token; an unknown
// token is store.ErrNotFound.
func (s *Service) Notice(ctx context.Context, token string) (*PublicNotice, error) {
	if !validToken(token) {
		return nil, store.ErrNotFound
	}
	n, err := s.db.GroupNoticeByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	g, err := s.db.CaseGroupByID(ctx, n.GroupID)
	if err != nil {
		return nil, err
	}
	return &PublicNotice{Title: n.Title, Body: n.Body, Group: g.Name}, nil
}

// ConfirmNotice records a member's 确认已读 under the name they typed;
// confirming twice keeps the first time. Audited with the IP.
func (s *Service) ConfirmNotice(ctx context.Context, token, name, ip string) error {
	if !validToken(token) {
		return store.ErrNotFound
	}
	name = strings.TrimSpace(name)
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > 30 {
		return invalid("请填写您的姓名（最多 30 字）")
	}
	n, err := s.db.GroupNoticeByToken(ctx, token)
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		first, err := tx.ConfirmGroupNotice(ctx, n.ID, name, ip)
		if err != nil || !first {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{Actor: name, Action: "group.notice.confirm",
			Target: fmt.Sprintf("notice/%d", n.ID), Detail: n.Title, IP: ip})
	})
}
