package archive

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// maxConversationName bounds a conversation's given name, in characters.
const maxConversationName = 100

// RenameConversation gives a conversation the name users see (in the list,
// on matter pages, in search results and on court printouts). The export's
// key and title stay apart, so later imports still find the conversation
// and never undo the name; "" (or the export's own title) goes back to the
// export's title. Anyone who may see the conversation may rename it; a
// refusal answers like a missing conversation and is audited. The rename
// is audited with the old and new name.
func (s *Service) RenameConversation(ctx context.Context, p *auth.Principal, id int64, name string, actor Actor) error {
	conv, err := s.Authorize(ctx, p, id, actor, "会话改名")
	if err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	switch {
	case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		return fmt.Errorf("%w：会话名称含有无效字符", model.ErrInvalidInput)
	case utf8.RuneCountInString(name) > maxConversationName:
		return fmt.Errorf("%w：会话名称最多 %d 个字", model.ErrInvalidInput, maxConversationName)
	}
	if name == conv.ExportTitle {
		name = ""
	}
	shown := name
	if shown == "" {
		shown = conv.ExportTitle
	}
	if shown == conv.Title {
		return nil
	}
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.RenameConversation(ctx, id, name); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: actor.ID, Actor: actor.Name, IP: actor.IP, Action: "chat.rename",
			Target: fmt.Sprintf("conversation:%d", id), Detail: fmt.Sprintf("会话改名：%s → %s", conv.Title, shown)})
	})
}

// contactRef reads "#12", "12" or "张三 #12" (as the suggestions offer
// contacts) as contact 12.
var contactRef = regexp.MustCompile(`(?:^|\s)#(\d{1,18})$|^(\d{1,18})$`)

// ResolveContact finds the contact a participant is mapped to from what a
// user typed: a contact number ("#12", "张三 #12") or a name that exactly
// one contact has. "" is no contact (0).
func (s *Service) ResolveContact(ctx context.Context, typed string) (int64, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return 0, nil
	}
	if m := contactRef.FindStringSubmatch(typed); m != nil {
		id, _ := strconv.ParseInt(m[1]+m[2], 10, 64)
		if _, err := s.DB.ContactByID(ctx, id); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return 0, fmt.Errorf("%w：联系人 #%d 不存在", model.ErrInvalidInput, id)
			}
			return 0, err
		}
		return id, nil
	}
	found, err := s.DB.FindContacts(ctx, store.ContactFilter{Query: typed, Limit: 50})
	if err != nil {
		return 0, err
	}
	var ids []int64
	for _, c := range found {
		if c.Name == typed {
			ids = append(ids, c.ID)
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		return 0, fmt.Errorf("%w：通讯录中没有名为“%s”的联系人，请从建议中选择或先在客户通讯录中添加", model.ErrInvalidInput, typed)
	}
	return 0, fmt.Errorf("%w：通讯录中有 %d 位名为“%s”的联系人，请从建议中选择（带编号）", model.ErrInvalidInput, len(ids), typed)
}

// MapParticipant records that a participant of a conversation is a
// client-book contact (contactID 0 removes the mapping), so the chat, the
// search results and the court printout name them. Anyone who may see the
// conversation may map its participants; a refusal answers like a missing
// conversation and is audited. The mapping is audited.
func (s *Service) MapParticipant(ctx context.Context, p *auth.Principal, id int64, wxid string, contactID int64, actor Actor) error {
	conv, err := s.Authorize(ctx, p, id, actor, "会话成员对应联系人")
	if err != nil {
		return err
	}
	var who *model.Participant
	for i := range conv.Participants {
		if conv.Participants[i].WxID == wxid {
			who = &conv.Participants[i]
		}
	}
	if who == nil {
		return fmt.Errorf("%w：会话中没有成员“%s”", model.ErrInvalidInput, wxid)
	}
	detail := fmt.Sprintf("%s（%s）不再对应联系人", who.DisplayName(), wxid)
	if contactID != 0 {
		c, err := s.DB.ContactByID(ctx, contactID)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%w：联系人 #%d 不存在", model.ErrInvalidInput, contactID)
		}
		if err != nil {
			return err
		}
		detail = fmt.Sprintf("%s（%s）对应联系人 %s #%d", who.DisplayName(), wxid, c.Name, c.ID)
	}
	if who.ContactID == contactID {
		return nil
	}
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.MapParticipant(ctx, id, wxid, contactID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: actor.ID, Actor: actor.Name, IP: actor.IP, Action: "chat.participant",
			Target: fmt.Sprintf("conversation:%d", id), Detail: detail})
	})
}
