package archive

import (
	"context"
	"errors"
	"fmt"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Who may see a conversation is decided by access.ViewChat alone;
// this file loads what the rule needs (the imports and their matters) and
// audits refusals as chat.view.denied.

// Visible returns the conversations p may see, computed once for a request
// (the list and search filter on it in SQL); a set with All when p sees
// every one (a nil p is the CLI, which sees every one).
func (s *Service) Visible(ctx context.Context, p *auth.Principal) (*store.ConversationSet, error) {
	if p == nil {
		return &store.ConversationSet{All: true}, nil
	}
	u := p.Actor()
	if !access.IsAdmin(u) {
		// The rule in SQL, from the user's own matters and imports: the
		// cost does not grow with the firm's conversations.
		ids, err := s.DB.VisibleConversationIDs(ctx, u)
		if err != nil {
			return nil, err
		}
		return &store.ConversationSet{IDs: ids}, nil
	}
	// An administrator sees every conversation unless an import names a
	// matter that does not exist (matters are never deleted, so only
	// damaged data gets here); then decide row by row.
	orphans, err := s.DB.OrphanChatLinks(ctx)
	if err != nil {
		return nil, err
	}
	if !orphans {
		return &store.ConversationSet{All: true}, nil
	}
	return s.visibleRowByRow(ctx, p)
}

// visibleRowByRow applies access.ViewChat to every conversation: the rule
// itself, loading everything it needs (the firm's conversations, imports
// and linked matters). Visible uses it only for an administrator when
// links are damaged; the tests hold VisibleConversationIDs to it.
func (s *Service) visibleRowByRow(ctx context.Context, p *auth.Principal) (*store.ConversationSet, error) {
	convs, err := s.DB.ConversationMatters(ctx)
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
	for _, c := range convs {
		if access.ViewChat(p.Actor(), links[c.ID], matters) == nil {
			set.IDs = append(set.IDs, c.ID)
		}
	}
	if len(set.IDs) == len(convs) {
		return &store.ConversationSet{All: true}, nil // no filter needed
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

// Authorize returns the conversation when p may see it; a refusal is
// audited as chat.view.denied (what says what was attempted) and returns
// an error that answers like a missing conversation (auth.ErrHidden). A
// conversation that does not exist is store.ErrNotFound.
func (s *Service) Authorize(ctx context.Context, p *auth.Principal, id int64, actor Actor, what string) (*model.ConversationSummary, error) {
	conv, err := s.DB.ConversationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.mayView(ctx, p, conv.ID)
	if err != nil || ok {
		return conv, err
	}
	return nil, s.deny(ctx, actor, fmt.Sprintf("conversation:%d", id), what)
}

// mayView applies the chat rule to conversation id.
func (s *Service) mayView(ctx context.Context, p *auth.Principal, id int64) (bool, error) {
	if p == nil {
		return true, nil
	}
	imports, err := s.DB.ChatImports(ctx, id)
	if err != nil {
		return false, err
	}
	matters, err := s.DB.MattersByID(ctx, linkedMatterIDs(map[int64][]*model.ChatImport{id: imports}))
	if err != nil {
		return false, err
	}
	return access.ViewChat(p.Actor(), imports, matters) == nil, nil
}

// ImportMatter checks the matter an upload names: it must exist (else
// model.ErrInvalidInput) and be visible to p (else auth.ErrForbidden,
// audited as chat.view.denied).
func (s *Service) ImportMatter(ctx context.Context, p *auth.Principal, matterID int64, actor Actor) error {
	if matterID == 0 {
		return nil
	}
	m, err := s.DB.MatterByID(ctx, matterID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w：案件 #%d 不存在", model.ErrInvalidInput, matterID)
	}
	if err != nil {
		return err
	}
	if access.ViewMatter(p.Actor(), m) == nil {
		return nil
	}
	if err := s.deny(ctx, actor, fmt.Sprintf("matter/%d", matterID), "导入聊天记录到无权查看的案件"); !errors.Is(err, auth.ErrForbidden) {
		return err
	}
	// A matter the user may not see is named like one that does not exist.
	return fmt.Errorf("%w：案件 #%d 不存在", model.ErrInvalidInput, matterID)
}

func (s *Service) deny(ctx context.Context, actor Actor, target, what string) error {
	ev := &model.AuditEvent{ActorID: actor.ID, Actor: actor.Name, Action: "chat.view.denied",
		Target: target, Detail: "无权访问，已拒绝：" + what, IP: actor.IP}
	if err := s.DB.Audit(ctx, ev); err != nil {
		return err
	}
	return auth.Audited(auth.ErrHidden)
}
