package evidence

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/casenum"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Who may see an item is decided by access.ViewEvidence alone; this
// file loads what the rule needs (the linked matter) and audits refusals.

// matterCache keeps the matters loaded for one request.
type matterCache map[int64]*model.Matter

// matterRefRE is the "#<id>" form naming a matter; free text may not begin
// with it, so that "#12" always means matter 12.
var matterRefRE = regexp.MustCompile(`^[#＃]\s*(\d+)`)

// linkedMatter returns the matter an item is linked to (nil when none, or
// when the matter no longer exists: then the rule refuses).
func (s *Service) linkedMatter(ctx context.Context, item *model.EvidenceItem, cache matterCache) (*model.Matter, error) {
	if item.MatterID == 0 {
		return nil, nil
	}
	if m, ok := cache[item.MatterID]; ok {
		return m, nil
	}
	m, err := s.cfg.DB.MatterByID(ctx, item.MatterID)
	if errors.Is(err, store.ErrNotFound) {
		m, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	if cache != nil {
		cache[item.MatterID] = m
	}
	return m, nil
}

// visible reports whether actor may see item.
func (s *Service) visible(ctx context.Context, actor *auth.Principal, item *model.EvidenceItem, cache matterCache) (bool, error) {
	if actor == nil {
		return true, nil
	}
	m, err := s.linkedMatter(ctx, item, cache)
	if err != nil {
		return false, err
	}
	return access.ViewEvidence(actor.Actor(), item, m) == nil, nil
}

// authorize returns nil when actor may see item; a refusal is audited as
// evidence.view.denied (what says what was attempted) and returns
// auth.ErrForbidden.
func (s *Service) authorize(ctx context.Context, actor *auth.Principal, client auth.Client, item *model.EvidenceItem, what string) error {
	ok, err := s.visible(ctx, actor, item, nil)
	if err != nil || ok {
		return err
	}
	return s.deny(ctx, actor, client, item.ID, what)
}

// deny audits a refused access to item id and returns auth.ErrForbidden.
func (s *Service) deny(ctx context.Context, actor *auth.Principal, client auth.Client, id int64, what string) error {
	actorID, name := actorName(actor)
	ev := &model.AuditEvent{ActorID: actorID, Actor: name, Action: "evidence.view.denied",
		Target: fmt.Sprintf("evidence/%d", id), Detail: "无权访问，已拒绝：" + what, IP: client.IP}
	if err := s.cfg.DB.Audit(ctx, ev); err != nil {
		return err
	}
	return auth.Audited(auth.ErrHidden)
}

// chooseMatter loads the matter actor links evidence to: it must exist
// (else model.ErrInvalidInput) and be visible to actor (else the same
// model.ErrInvalidInput, audited as a refused matter view).
func (s *Service) chooseMatter(ctx context.Context, actor *auth.Principal, client auth.Client, id int64) (*model.Matter, error) {
	m, err := s.cfg.DB.MatterByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w：案件 #%d 不存在", model.ErrInvalidInput, id)
	}
	if err != nil {
		return nil, err
	}
	if err := access.ViewMatter(actor.Actor(), m); err != nil {
		actorID, name := actorName(actor)
		if aerr := s.cfg.DB.Audit(ctx, &model.AuditEvent{ActorID: actorID, Actor: name, Action: "matter.view.denied",
			Target: fmt.Sprintf("matter/%d", id), Detail: "为证据指定案件", IP: client.IP}); aerr != nil {
			return nil, aerr
		}
		// Named like a matter that does not exist: the refusal is audited,
		// the answer reveals nothing.
		return nil, auth.Audited(fmt.Errorf("%w：案件 #%d 不存在", model.ErrInvalidInput, id))
	}
	return m, nil
}

// checkFreeMatter refuses free matter text of the "#<id>" form (reserved for
// linked matters).
func checkFreeMatter(ref string) error {
	if matterRefRE.MatchString(ref) {
		return fmt.Errorf("%w：“#编号”的写法专指已登记的案件，请从案件列表中选择", model.ErrInvalidInput)
	}
	return nil
}

// ParseMatterRef reads "#12" as matter 12; any other text is returned as
// free text (id 0).
func ParseMatterRef(ref string) (int64, string) {
	ref = strings.TrimSpace(ref)
	if m := matterRefRE.FindStringSubmatch(ref); m != nil && len(m[0]) == len(ref) {
		if id, err := strconv.ParseInt(m[1], 10, 64); err == nil && id > 0 {
			return id, ""
		}
	}
	return 0, ref
}

// ResolveMatter reads the matter of `lvxin evidence ... --matter`: "#12"
// names matter 12 (which must exist); text that is exactly the case number
// or the title of one matter names it; text naming several is refused as
// ambiguous; other text is free text for evidence with no matter yet.
func (s *Service) ResolveMatter(ctx context.Context, ref string) (int64, string, error) {
	id, text := ParseMatterRef(ref)
	if id != 0 {
		if _, err := s.cfg.DB.MatterByID(ctx, id); errors.Is(err, store.ErrNotFound) {
			return 0, "", fmt.Errorf("%w：案件 #%d 不存在", model.ErrInvalidInput, id)
		} else if err != nil {
			return 0, "", err
		}
		return id, "", nil
	}
	if text == "" {
		return 0, "", nil
	}
	ids, err := s.cfg.DB.MatterIDsNamed(ctx, text)
	if err != nil {
		return 0, "", err
	}
	if n, err := casenum.Normalize(text); err == nil && n != text {
		more, err := s.cfg.DB.MatterIDsNamed(ctx, n)
		if err != nil {
			return 0, "", err
		}
		for _, m := range more {
			if !slices.Contains(ids, m) {
				ids = append(ids, m)
			}
		}
	}
	switch len(ids) {
	case 0:
		if err := checkFreeMatter(text); err != nil {
			return 0, "", err
		}
		return 0, text, nil
	case 1:
		return ids[0], "", nil
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = fmt.Sprintf("#%d", id)
	}
	return 0, "", fmt.Errorf("%w：“%s”对应多个案件（%s），请用 #编号 指定", model.ErrInvalidInput, text, strings.Join(names, "、"))
}
