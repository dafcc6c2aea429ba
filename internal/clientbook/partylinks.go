package clientbook

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// A party of a matter whose ID number, USCC or phone is a client-book
// contact's is linked to that contact (the matter page links to it and the
// contact page lists the matter). Parties are linked when they are saved,
// and existing parties whenever a contact is saved or imported and when the
// server starts.

// idKey normalises a 身份证号 or 统一社会信用代码 for matching.
func idKey(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s))
}

// phoneKey normalises a phone number for matching: its digits, without a
// leading 86 country code; "" for fewer than 7 digits (an extension is no
// identity).
func phoneKey(s string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if len(digits) == 13 && strings.HasPrefix(digits, "86") {
		digits = digits[2:]
	}
	if len(digits) < 7 {
		return ""
	}
	return digits
}

// contactIndex finds the contact a party is, by ID number, then USCC, then
// phone; the oldest contact wins a tie.
type contactIndex struct {
	byID, byUSCC, byPhone map[string]int64
}

func newContactIndex(contacts []*model.Contact) *contactIndex {
	ix := &contactIndex{byID: map[string]int64{}, byUSCC: map[string]int64{}, byPhone: map[string]int64{}}
	add := func(m map[string]int64, key string, id int64) {
		if _, taken := m[key]; key != "" && !taken {
			m[key] = id
		}
	}
	for _, c := range contacts { // oldest first
		add(ix.byID, idKey(c.IDNumber), c.ID)
		add(ix.byUSCC, idKey(c.USCC), c.ID)
		add(ix.byPhone, phoneKey(c.Phone), c.ID)
	}
	return ix
}

// match is the contact pt is, or 0.
func (ix *contactIndex) match(pt model.Party) int64 {
	if k := idKey(pt.IDNumber); k != "" && ix.byID[k] != 0 {
		return ix.byID[k]
	}
	if k := idKey(pt.USCC); k != "" && ix.byUSCC[k] != 0 {
		return ix.byUSCC[k]
	}
	if k := phoneKey(pt.Phone); k != "" {
		return ix.byPhone[k]
	}
	return 0
}

// linkNewParties sets ContactID on the parties about to be saved that match
// a contact (a party already linked keeps its contact).
func (s *Service) linkNewParties(ctx context.Context, parties []model.Party) error {
	need := false
	for _, pt := range parties {
		need = need || pt.ContactID == 0 && (pt.IDNumber != "" || pt.USCC != "" || pt.Phone != "")
	}
	if !need {
		return nil
	}
	contacts, err := s.db.ContactKeys(ctx)
	if err != nil {
		return err
	}
	ix := newContactIndex(contacts)
	for i := range parties {
		if parties[i].ContactID == 0 {
			parties[i].ContactID = ix.match(parties[i])
		}
	}
	return nil
}

// linkPartiesTx links every unlinked party that matches a contact, inside
// tx, and audits each link; it returns how many it linked.
func (s *Service) linkPartiesTx(ctx context.Context, tx *store.Tx, by string) (int, error) {
	parties, err := tx.UnlinkedParties(ctx)
	if err != nil || len(parties) == 0 {
		return 0, err
	}
	contacts, err := tx.ContactKeys(ctx)
	if err != nil {
		return 0, err
	}
	ix := newContactIndex(contacts)
	names := map[int64]string{}
	for _, c := range contacts {
		names[c.ID] = c.Name
	}
	linked := 0
	for _, pt := range parties {
		id := ix.match(pt)
		if id == 0 {
			continue
		}
		changed, err := tx.LinkParty(ctx, pt.ID, id)
		if err != nil {
			return 0, err
		}
		if !changed {
			continue
		}
		linked++
		if err := tx.AppendAudit(ctx, &model.AuditEvent{Actor: by, Action: "matter.party.link", Target: fmt.Sprintf("matter/%d", pt.MatterID),
			Detail: fmt.Sprintf("当事人“%s”与通讯录联系人 %s #%d 的证件号或电话相同，已关联", pt.Name, names[id], id)}); err != nil {
			return 0, err
		}
	}
	return linked, nil
}

// LinkParties links every existing party whose ID number, USCC or phone is
// a contact's to that contact (serve runs it at start; saving a contact
// runs it too). Each link is audited.
func (s *Service) LinkParties(ctx context.Context) (int, error) {
	var n int
	err := s.db.Update(ctx, func(tx *store.Tx) (err error) {
		n, err = s.linkPartiesTx(ctx, tx, model.ActorSystem)
		return err
	})
	return n, err
}
