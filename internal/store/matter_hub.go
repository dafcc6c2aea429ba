package store

import (
	"context"
	"database/sql"

	"github.com/lvxin/lvxin/internal/model"
)

// OpenMatterDeadlines lists the open deadlines of a matter under one rule,
// inside the transaction (reopening a matter cancels its group-dissolution
// deadline).
func (tx *Tx) OpenMatterDeadlines(ctx context.Context, matterID int64, ruleID string) ([]*model.Deadline, error) {
	return queryAll(ctx, tx.c(), scanDeadline, "SELECT "+deadlineColumns+
		" FROM deadlines WHERE matter_id = ? AND rule_id = ? AND status = ? ORDER BY id", matterID, ruleID, string(model.DeadlineOpen))
}

// UnlinkedParties lists every party not linked to a contact that carries
// an ID number, USCC or phone (the candidates for linking).
func (tx *Tx) UnlinkedParties(ctx context.Context) ([]model.Party, error) {
	return queryAll(ctx, tx.c(), func(row scanner) (model.Party, error) {
		var p model.Party
		var contact sql.NullInt64
		var kind, role string
		err := row.Scan(&p.ID, &p.MatterID, &contact, &p.Name, &kind, &role, &p.USCC, &p.IDNumber, &p.Phone)
		p.ContactID, p.Kind, p.Role = contact.Int64, model.ContactKind(kind), model.PartyRole(role)
		return p, err
	}, "SELECT "+partyColumns+` FROM matter_parties
		WHERE contact_id IS NULL AND (id_number <> '' OR uscc <> '' OR phone <> '') ORDER BY id`)
}

// LinkParty links a party to a contact, unless it is linked already;
// reports whether it changed.
func (tx *Tx) LinkParty(ctx context.Context, partyID, contactID int64) (bool, error) {
	res, err := tx.c().exec(ctx, "UPDATE matter_parties SET contact_id = ? WHERE id = ? AND contact_id IS NULL", contactID, partyID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ContactKeys lists every contact's id and the fields a party is matched
// on (ID number, USCC, phone), for linking parties to the client book.
func (db *DB) ContactKeys(ctx context.Context) ([]*model.Contact, error) {
	return contactKeys(ctx, db.read())
}

// ContactKeys is DB.ContactKeys inside the transaction.
func (tx *Tx) ContactKeys(ctx context.Context) ([]*model.Contact, error) {
	return contactKeys(ctx, tx.c())
}

func contactKeys(ctx context.Context, c conn) ([]*model.Contact, error) {
	return queryAll(ctx, c, func(row scanner) (*model.Contact, error) {
		var c model.Contact
		return &c, row.Scan(&c.ID, &c.Name, &c.IDNumber, &c.USCC, &c.Phone)
	}, `SELECT id, name, id_number, uscc, phone FROM contacts
		WHERE id_number <> '' OR uscc <> '' OR phone <> '' ORDER BY id`)
}
