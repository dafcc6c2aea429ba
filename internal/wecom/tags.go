package wecom

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Tag sync between lvxin's contact tags (现有客户/潜在客户/同行律师 and the
// firm's own) and WeCom's corp tags (企业标签). An lvxin tag and a corp tag
// are linked by name (wecom_tags keeps the link by tag id, so a renamed
// corp tag stays linked). Direction follows the change:
//   - WeCom → lvxin (PullContact): on an add or edit event of a customer,
//     the customer's corp tags (as any firm member set them) replace the
//     contact's linked tags; tags that exist only in lvxin stay.
//   - lvxin → WeCom (PushContact): the contact's lvxin tags are created as
//     corp tags where missing (group 律信) and marked on the customer for
//     every firm member who added them; linked tags the contact no longer
//     has are removed.
//
// A customer WeCom reports that lvxin does not know yet becomes a contact
// (source 企业微信).

// TagGroupName is the corp tag group lvxin creates its tags in.
const TagGroupName = "律信"

// SyncReport counts what a sync did.
type SyncReport struct {
	TagsLinked       int
	ContactsCreated  int
	ContactsUpdated  int
	CustomersUpdated int
}

// linkCorpTags links every corp tag to the lvxin tag of the same name
// (created when missing) and returns tag id → lvxin name.
func (s *Service) linkCorpTags(ctx context.Context, c *Client) (map[string]string, int, error) {
	groups, err := c.CorpTags(ctx)
	if err != nil {
		return nil, 0, err
	}
	linked, err := s.db.WeComTagIDs(ctx)
	if err != nil {
		return nil, 0, err
	}
	byID := map[string]string{}
	for name, id := range linked {
		byID[id] = name
	}
	n := 0
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		for _, g := range groups {
			if g.Deleted {
				continue
			}
			for _, t := range g.Tags {
				name := strings.TrimSpace(t.Name)
				if t.Deleted || name == "" || byID[t.ID] != "" {
					continue
				}
				if _, taken := linked[name]; taken {
					continue // the same name in another group: the first link wins
				}
				if err := tx.SetWeComTagID(ctx, name, t.ID); err != nil {
					return err
				}
				byID[t.ID], linked[name] = name, t.ID
				n++
			}
		}
		return nil
	})
	return byID, n, err
}

// PullContact brings a customer's corp tags into lvxin, creating the
// contact when lvxin does not know the customer yet.
func (s *Service) PullContact(ctx context.Context, externalUserID string) error {
	c, err := s.Client(ctx)
	if err != nil {
		return err
	}
	byID, _, err := s.linkCorpTags(ctx, c)
	if err != nil {
		return err
	}
	_, _, err = s.pullOne(ctx, c, byID, externalUserID)
	return err
}

func (s *Service) pullOne(ctx context.Context, c *Client, byID map[string]string, externalUserID string) (created, updated bool, err error) {
	ec, err := c.GetExternalContact(ctx, externalUserID)
	if err != nil {
		return false, false, err
	}
	remote := map[string]bool{}
	for _, f := range ec.FollowUsers {
		for _, t := range f.Tags {
			if name := byID[t.TagID]; name != "" && t.Type == 1 {
				remote[name] = true
			}
		}
	}
	linkedNames := map[string]bool{}
	for _, name := range byID {
		linkedNames[name] = true
	}
	contact, err := s.db.ContactByWeComID(ctx, externalUserID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		name := strings.TrimSpace(ec.Name)
		if name == "" {
			name = "企业微信客户 " + externalUserID
		}
		if len([]rune(name)) > 200 {
			name = string([]rune(name)[:200])
		}
		nc := &model.Contact{Kind: model.ContactPerson, Name: name, WeComExternalUserID: externalUserID,
			Organization: ec.CorpName, Source: "企业微信", Tags: sortedKeys(remote)}
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateContact(ctx, nc); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, auditEvent(nil, "wecom.contact.import", fmt.Sprintf("联系人 %d", nc.ID),
				"从企业微信添加客户 "+externalUserID, ""))
		})
		return err == nil, false, err
	case err != nil:
		return false, false, err
	}
	var next []string
	for _, t := range contact.Tags {
		if !linkedNames[t] || remote[t] {
			next = append(next, t)
		}
	}
	for _, t := range sortedKeys(remote) {
		if !contains(next, t) {
			next = append(next, t)
		}
	}
	if sameSet(next, contact.Tags) {
		return false, false, nil
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error { return tx.SetContactTags(ctx, contact.ID, next) })
	return false, err == nil, err
}

// PushContact marks the contact's lvxin tags on the WeCom customer for
// every firm member who added them, creating missing corp tags.
func (s *Service) PushContact(ctx context.Context, contactID int64) (int, error) {
	c, err := s.Client(ctx)
	if err != nil {
		return 0, err
	}
	contact, err := s.db.ContactByID(ctx, contactID)
	if err != nil {
		return 0, err
	}
	if contact.WeComExternalUserID == "" {
		return 0, nil
	}
	byID, _, err := s.linkCorpTags(ctx, c)
	if err != nil {
		return 0, err
	}
	return s.pushOne(ctx, c, byID, contact)
}

func (s *Service) pushOne(ctx context.Context, c *Client, byID map[string]string, contact *model.Contact) (int, error) {
	idOf := map[string]string{}
	for id, name := range byID {
		idOf[name] = id
	}
	var missing []string
	for _, t := range contact.Tags {
		if idOf[t] == "" {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		groupID := ""
		if groups, err := c.CorpTags(ctx); err == nil {
			for _, g := range groups {
				if g.GroupName == TagGroupName && !g.Deleted {
					groupID = g.GroupID
				}
			}
		}
		g, err := c.AddCorpTags(ctx, groupID, TagGroupName, missing)
		if err != nil {
			return 0, err
		}
		err = s.db.Update(ctx, func(tx *store.Tx) error {
			for _, t := range g.Tags {
				if err := tx.SetWeComTagID(ctx, t.Name, t.ID); err != nil {
					return err
				}
				idOf[t.Name], byID[t.ID] = t.ID, t.Name
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	want := map[string]bool{}
	for _, t := range contact.Tags {
		if id := idOf[t]; id != "" {
			want[id] = true
		}
	}
	ec, err := c.GetExternalContact(ctx, contact.WeComExternalUserID)
	if err != nil {
		return 0, err
	}
	marked := 0
	for _, f := range ec.FollowUsers {
		have := map[string]bool{}
		for _, t := range f.Tags {
			if t.Type == 1 {
				have[t.TagID] = true
			}
		}
		var add, remove []string
		for id := range want {
			if !have[id] {
				add = append(add, id)
			}
		}
		for id := range have {
			if !want[id] && byID[id] != "" {
				remove = append(remove, id)
			}
		}
		sort.Strings(add)
		sort.Strings(remove)
		if len(add)+len(remove) == 0 {
			continue
		}
		if err := c.MarkTags(ctx, f.UserID, contact.WeComExternalUserID, add, remove); err != nil {
			return marked, err
		}
		marked++
	}
	return marked, nil
}

// SyncAll links the corp tags, pulls the customers of every linked firm
// member into lvxin (new ones become contacts), then pushes lvxin's tags of
// every linked contact back. Administrators only (nil is the command line).
func (s *Service) SyncAll(ctx context.Context, actor *model.User, ip string) (SyncReport, error) {
	var rep SyncReport
	if err := s.requireAdmin(ctx, actor, "同步企业微信客户与标签", ip); err != nil {
		return rep, err
	}
	c, err := s.Client(ctx)
	if err != nil {
		return rep, err
	}
	byID, n, err := s.linkCorpTags(ctx, c)
	if err != nil {
		return rep, err
	}
	rep.TagsLinked = n
	members, err := s.db.WeComMembers(ctx)
	if err != nil {
		return rep, err
	}
	seen := map[string]bool{}
	for _, m := range members {
		if m.WeComUserID == "" || m.Disabled {
			continue
		}
		ids, err := c.ListExternalContacts(ctx, m.WeComUserID)
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.Code == 84061 {
			continue // no customers
		}
		if err != nil {
			return rep, err
		}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			created, updated, err := s.pullOne(ctx, c, byID, id)
			if err != nil {
				return rep, err
			}
			if created {
				rep.ContactsCreated++
			}
			if updated {
				rep.ContactsUpdated++
			}
		}
	}
	contacts, err := s.db.WeComContacts(ctx)
	if err != nil {
		return rep, err
	}
	for _, ct := range contacts {
		marked, err := s.pushOne(ctx, c, byID, ct)
		if err != nil {
			return rep, err
		}
		rep.CustomersUpdated += marked
	}
	s.audit(ctx, actor, "wecom.sync", fmt.Sprintf("同步完成：关联标签 %d 个，新增联系人 %d 个，更新联系人 %d 个，更新企业微信客户 %d 次",
		rep.TagsLinked, rep.ContactsCreated, rep.ContactsUpdated, rep.CustomersUpdated), ip)
	return rep, nil
}

// requireAdmin refuses (audited) anyone but an administrator or the
// command line.
func (s *Service) requireAdmin(ctx context.Context, actor *model.User, what, ip string) error {
	if err := access.Administer(actor); err != nil {
		s.audit(ctx, actor, "wecom.denied", "已拒绝："+what, ip)
		return auth.Audited(err)
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}
