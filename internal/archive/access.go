package archive

import (
	"context"
	"errors"
	"fmt"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Who may see a conversation is decided by clientbook.CanViewChat alone;
// this file loads what the rule needs (the imports and their matters) and
// audits refusals as chat.view.denied.

// Visible returns the conversations p may see, computed once for a request
// (the list and search filter on it in SQL); nil when p sees every one.
func (s *Service) Visible(ctx context.Context, p *auth.Principal) (*store.ConversationSet, error) {
	if p == nil {
		return nil, nil
	}
	ids, err := s.DB.ConversationIDs(ctx)
	if err != nil {
		return nil, err
	}
	links, err := s.DB.ChatImportLinks(ctx)
	if err != nil {
		return nil, err
	}
	matters, err := s.DB.MattersByID(ctx, linkedMatterIDs(links))
	if err != nil {
		return nil, err
	}
	set := &store.ConversationSet{IDs: []int64{}}
	for _, id := range ids {
		if clientbook.CanViewChat(p, links[id], matters) == nil {
			set.IDs = append(set.IDs, id)
		}
	}
	if len(set.IDs) == len(ids) {
		return nil, nil // no filter needed
	}
	return set, nil
}

func linkedMatterIDs(links map[int64][]*model.ChatImport) []int64 {
	seen := map[int64]bool{}
	var ids []int64
	for _, imports := range links {
		for _, imp := range imports {
			if imp.MatterID != 0 && !seen[imp.MatterID] {
				seen[imp.MatterID] = true
				ids = append(ids, imp.MatterID)
			}
		}
	}
	return ids
}

// Authorize returns nil when p may see conversation id; a refusal is
// audited as chat.view.denied (what says what was attempted) and returns
// auth.ErrForbidden. A conversation that does not exist is
// store.ErrNotFound.
func (s *Service) Authorize(ctx context.Context, p *auth.Principal, id int64, actor Actor, what string) error {
	if p == nil {
		return nil
	}
	if _, err := s.DB.ConversationByID(ctx, id); err != nil {
		return err
	}
	imports, err := s.DB.ChatImports(ctx, id)
	if err != nil {
		return err
	}
	var ids []int64
	for _, imp := range imports {
		if imp.MatterID != 0 {
			ids = append(ids, imp.MatterID)
		}
	}
	matters, err := s.DB.MattersByID(ctx, ids)
	if err != nil {
		return err
	}
	if clientbook.CanViewChat(p, imports, matters) == nil {
		return nil
	}
	return s.deny(ctx, actor, fmt.Sprintf("conversation:%d", id), what)
}

// ImportMatter checks the matter an upload names: it must exist (else
// auth.ErrInvalidInput) and be visible to p (else auth.ErrForbidden,
// audited as chat.view.denied).
func (s *Service) ImportMatter(ctx context.Context, p *auth.Principal, matterID int64, actor Actor) error {
	if matterID == 0 {
		return nil
	}
	m, err := s.DB.MatterByID(ctx, matterID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w：案件 #%d 不存在", auth.ErrInvalidInput, matterID)
	}
	if err != nil {
		return err
	}
	if clientbook.CanViewMatter(p, m) == nil {
		return nil
	}
	return s.deny(ctx, actor, fmt.Sprintf("matter/%d", matterID), "导入聊天记录到无权查看的案件")
}

func (s *Service) deny(ctx context.Context, actor Actor, target, what string) error {
	ev := &model.AuditEvent{ActorID: actor.ID, Actor: actor.Name, Action: "chat.view.denied",
		Target: target, Detail: "无权访问，已拒绝：" + what, IP: actor.IP}
	if err := s.DB.Audit(ctx, ev); err != nil {
		return err
	}
	return auth.ErrForbidden
}
