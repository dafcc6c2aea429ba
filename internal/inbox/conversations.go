package inbox

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// visibleMatterIDs narrows what is read for p: the matters p is staff of
// (access still decides on every row).
func (s *Service) staffMatterIDs(ctx context.Context, p *auth.Principal) ([]int64, error) {
	ms, err := s.db.FindMatters(ctx, store.MatterFilter{StaffUserID: userOf(p)})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids, nil
}

// Conversations lists the conversations p may see, most recently active
// first (at most limit; 0 means 200). matterID, when set, keeps those of
// one matter.
func (s *Service) Conversations(ctx context.Context, p *auth.Principal, matterID int64, limit int) ([]*model.InboxConversation, error) {
	if limit <= 0 {
		limit = 200
	}
	f := store.InboxFilter{MatterID: matterID}
	if p != nil && !access.IsAdmin(p.Actor()) {
		ids, err := s.staffMatterIDs(ctx, p)
		if err != nil {
			return nil, err
		}
		f.Narrow, f.LawyerID, f.MatterIDs = true, userOf(p), ids
	}
	all, err := s.db.FindInboxConversations(ctx, f)
	if err != nil {
		return nil, err
	}
	matters, err := s.db.MattersByID(ctx, linkedMatters(all))
	if err != nil {
		return nil, err
	}
	out := make([]*model.InboxConversation, 0, len(all))
	for _, c := range all {
		if access.ViewInboxConversation(p.Actor(), c, matters[c.MatterID]) == nil {
			out = append(out, c)
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

func linkedMatters(list []*model.InboxConversation) []int64 {
	seen := map[int64]bool{}
	var ids []int64
	for _, c := range list {
		if c.MatterID != 0 && !seen[c.MatterID] {
			seen[c.MatterID] = true
			ids = append(ids, c.MatterID)
		}
	}
	return ids
}

// authorize loads a conversation p may see; a refusal is audited as
// inbox.view.denied and answers like a missing conversation.
func (s *Service) authorize(ctx context.Context, p *auth.Principal, id int64, what string) (*model.InboxConversation, *model.Matter, error) {
	c, err := s.db.InboxConversationByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.checkLinked(ctx, p, c.MatterID, func(m *model.Matter) error { return access.ViewInboxConversation(p.Actor(), c, m) },
		"inbox.view.denied", target("inbox", id), what)
	if err != nil {
		return nil, nil, err
	}
	return c, m, nil
}

// checkLinked loads the matter a conversation or group is linked to
// (matterID 0, or a matter gone since, is nil) and runs the access check
// on it. A refusal is audited as action on tgt with what was attempted,
// and answers like a missing item (auth.Audited).
func (s *Service) checkLinked(ctx context.Context, p *auth.Principal, matterID int64, check func(*model.Matter) error,
	action, tgt, what string) (*model.Matter, error) {
	var m *model.Matter
	if matterID != 0 {
		var err error
		if m, err = s.db.MatterByID(ctx, matterID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	if err := check(m); err != nil {
		if aerr := s.db.Audit(ctx, audit(p, action, tgt, what)); aerr != nil {
			return nil, aerr
		}
		return nil, auth.Audited(err)
	}
	return m, nil
}

// Thread is one conversation as its page shows it.
type Thread struct {
	Conversation *model.InboxConversation
	Matter       *model.Matter // nil when not linked
	Contact      *model.Contact
	Client       string
	Messages     []*model.InboxMessage
}

// Conversation opens a conversation for p: its messages, matter and
// contact; the view is audited and the unread count cleared.
func (s *Service) Conversation(ctx context.Context, p *auth.Principal, id int64) (*Thread, error) {
	c, m, err := s.authorize(ctx, p, id, "查看会话")
	if err != nil {
		return nil, err
	}
	t := &Thread{Conversation: c, Matter: m, Client: s.clientName(ctx, c)}
	if c.ContactID != 0 {
		if t.Contact, err = s.db.ContactByID(ctx, c.ContactID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	if t.Messages, err = s.db.InboxMessages(ctx, c.ID); err != nil {
		return nil, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.MarkInboxRead(ctx, c.ID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "inbox.view", target("inbox", c.ID), t.Client))
	})
	return t, err
}

// maxReplyRunes bounds a reply (WeCom's kf text limit is 2048 bytes).
const maxReplyRunes = 600

// Reply sends a person's reply into a conversation by kf and records it.
// The first reply to a waiting client closes the wait and records the
// response time in working minutes. A frozen account's reply is recorded
// as 已暂停 and not sent.
func (s *Service) Reply(ctx context.Context, p *auth.Principal, id int64, text string) (*model.InboxMessage, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, invalid("回复内容不能为空")
	}
	if !utf8.ValidString(text) {
		return nil, invalid("回复内容含无效字符")
	}
	if n := utf8.RuneCountInString(text); n > maxReplyRunes {
		return nil, invalid("回复内容不能超过 %d 字（现为 %d 字）", maxReplyRunes, n)
	}
	c, _, err := s.authorize(ctx, p, id, "回复会话")
	if err != nil {
		return nil, err
	}
	out := &model.InboxMessage{ConversationID: c.ID, Direction: model.DirectionOut, Kind: "text", Text: text, SenderID: userOf(p)}
	if err := s.send(ctx, c, out, c.LawyerID, userOf(p)); err != nil {
		return nil, err
	}
	var resp *model.InboxResponse
	if out.Status == model.SendSent && !c.WaitingSince.IsZero() {
		lawyer := c.LawyerID
		if lawyer == 0 {
			lawyer = userOf(p)
		}
		minutes := 0
		if s.cfg.Schedule != nil {
			pol, err := s.cfg.Schedule.Policy(ctx, lawyer)
			if err != nil {
				return out, err
			}
			cal, err := s.cfg.Schedule.Calendar(ctx)
			if err != nil {
				return out, err
			}
			minutes = WorkingMinutes(pol, cal, c.WaitingSince, out.SentAt)
		}
		if lawyer != 0 {
			resp = &model.InboxResponse{ConversationID: c.ID, LawyerID: lawyer, AskedAt: c.WaitingSince, AnsweredAt: out.SentAt,
				WorkingMinutes: minutes}
		}
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if resp != nil {
			if err := tx.AnswerInbox(ctx, resp); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, audit(p, "inbox.reply", target("inbox", c.ID), out.Status))
	})
	return out, err
}

// LinkMatter links a conversation to a matter p may see (0 unlinks).
// Taking a conversation out of its matter is not for assistants (it would
// hide it from the matter's lawyers).
func (s *Service) LinkMatter(ctx context.Context, p *auth.Principal, id, matterID int64) error {
	c, _, err := s.authorize(ctx, p, id, "关联案件")
	if err != nil {
		return err
	}
	if err := access.MoveInboxConversation(p.Actor(), c, matterID); err != nil {
		return err
	}
	if matterID != 0 {
		m, err := s.db.MatterByID(ctx, matterID)
		if err != nil {
			return err
		}
		if err := access.ViewMatter(p.Actor(), m); err != nil {
			return err
		}
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.LinkInboxMatter(ctx, c.ID, matterID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "inbox.matter", target("inbox", c.ID), target("matter", matterID)))
	})
}
