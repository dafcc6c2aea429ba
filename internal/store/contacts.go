package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// The client book's contacts. Their tags are in tags.go, the change log of
// the conflict index in conflict_changes.go, matters and conflict checks in
// matters.go, consultations in consultations.go.

const contactColumns = `id, kind, name, wechat_id, wecom_external_id, phone, email, organization, uscc, id_number,
	notes, source, avatar, starred, last_reviewed_at, reviewed_by, created_at, updated_at`

func scanContact(row interface{ Scan(...any) error }) (*model.Contact, error) {
	var c model.Contact
	var kind string
	var reviewed sql.NullTime
	var reviewer sql.NullInt64
	err := row.Scan(&c.ID, &kind, &c.Name, &c.WeChatID, &c.WeComExternalUserID, &c.Phone, &c.Email, &c.Organization,
		&c.USCC, &c.IDNumber, &c.Notes, &c.Source, &c.Avatar, &c.Starred, &reviewed, &reviewer, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return nil, notFound(err)
	}
	c.Kind = model.ContactKind(kind)
	if reviewed.Valid {
		c.LastReviewedAt = reviewed.Time.UTC()
	}
	c.ReviewedBy = reviewer.Int64
	c.CreatedAt = c.CreatedAt.UTC()
	c.UpdatedAt = c.UpdatedAt.UTC()
	return &c, nil
}

func nullID(id int64) sql.NullInt64 {
	if id == 0 {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: id, Valid: true}
}

// CreateContact saves a new contact with its tags (unknown tags become firm
// tags) and sets ID, CreatedAt and UpdatedAt.
func (tx *Tx) CreateContact(ctx context.Context, c *model.Contact) error {
	c.CreatedAt = tx.db.Now()
	c.UpdatedAt = c.CreatedAt
	err := tx.c().queryRow(ctx, `INSERT INTO contacts (kind, name, wechat_id, wecom_external_id, phone, email,
		organization, uscc, id_number, notes, source, avatar, starred, last_reviewed_at, reviewed_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(c.Kind), c.Name, c.WeChatID, c.WeComExternalUserID, c.Phone, c.Email, c.Organization, c.USCC, c.IDNumber,
		c.Notes, c.Source, c.Avatar, c.Starred, nullTime(c.LastReviewedAt), nullID(c.ReviewedBy), c.CreatedAt, c.UpdatedAt).Scan(&c.ID)
	if err != nil {
		return err
	}
	if err := tx.setContactTags(ctx, c.ID, c.Tags); err != nil {
		return err
	}
	return tx.touchConflicts(ctx, c.ID, 0)
}

// UpdateContact saves every field of an existing contact and replaces its
// tags; the review stamp and CreatedAt are kept.
func (tx *Tx) UpdateContact(ctx context.Context, c *model.Contact) error {
	c.UpdatedAt = tx.db.Now()
	res, err := tx.c().exec(ctx, `UPDATE contacts SET kind = ?, name = ?, wechat_id = ?, wecom_external_id = ?, phone = ?,
		email = ?, organization = ?, uscc = ?, id_number = ?, notes = ?, source = ?, avatar = ?, starred = ?, updated_at = ?
		WHERE id = ?`,
		string(c.Kind), c.Name, c.WeChatID, c.WeComExternalUserID, c.Phone, c.Email, c.Organization, c.USCC, c.IDNumber,
		c.Notes, c.Source, c.Avatar, c.Starred, c.UpdatedAt, c.ID)
	if err != nil {
		return err
	}
	if err := mustAffect(res); err != nil {
		return err
	}
	if err := tx.setContactTags(ctx, c.ID, c.Tags); err != nil {
		return err
	}
	return tx.touchConflicts(ctx, c.ID, 0)
}

// SetContactStar stars or unstars a contact.
func (tx *Tx) SetContactStar(ctx context.Context, id int64, starred bool) error {
	res, err := tx.c().exec(ctx, "UPDATE contacts SET starred = ?, updated_at = ? WHERE id = ?", starred, tx.db.Now(), id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// MarkContactReviewed records the quarterly review of a contact.
func (tx *Tx) MarkContactReviewed(ctx context.Context, id, userID int64, at time.Time) error {
	res, err := tx.c().exec(ctx, "UPDATE contacts SET last_reviewed_at = ?, reviewed_by = ? WHERE id = ?",
		at.UTC().Truncate(time.Microsecond), nullID(userID), id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

func (tx *Tx) setContactTags(ctx context.Context, id int64, tags []string) error {
	if _, err := tx.c().exec(ctx, "DELETE FROM contact_tags WHERE contact_id = ?", id); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, tag := range tags {
		tag = strings.TrimSpace(tag)
		if tag == "" || seen[tag] {
			continue
		}
		seen[tag] = true
		if err := tx.CreateTag(ctx, tag); err != nil {
			return err
		}
		if _, err := tx.c().exec(ctx, "INSERT INTO contact_tags (contact_id, tag) VALUES (?, ?)", id, tag); err != nil {
			return err
		}
	}
	return nil
}

// ContactByID returns one contact with its tags.
func (db *DB) ContactByID(ctx context.Context, id int64) (*model.Contact, error) {
	c, err := scanContact(db.read().queryRow(ctx, "SELECT "+contactColumns+" FROM contacts WHERE id = ?", id))
	if err != nil {
		return nil, err
	}
	if err := db.loadTags(ctx, []*model.Contact{c}, false); err != nil {
		return nil, err
	}
	return c, nil
}

// ContactFilter selects contacts; zero fields do not filter.
type ContactFilter struct {
	Query   string // part of the name, organisation, phone or 微信号
	Tag     string
	Starred bool
	// ReviewDue selects contacts never reviewed or last reviewed before it
	// (the quarterly review queue).
	ReviewDue time.Time
	Limit     int
}

// FindContacts lists contacts with their tags: starred first, then by name.
// The review queue (ReviewDue set) lists the longest unreviewed first.
func (db *DB) FindContacts(ctx context.Context, f ContactFilter) ([]*model.Contact, error) {
	q := "SELECT " + contactColumns + " FROM contacts WHERE 1=1"
	var args []any
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + escapeLike(s) + "%"
		q += ` AND (name LIKE ? ESCAPE '\' OR organization LIKE ? ESCAPE '\' OR phone LIKE ? ESCAPE '\' OR wechat_id LIKE ? ESCAPE '\')`
		args = append(args, like, like, like, like)
	}
	if f.Tag != "" {
		q += " AND id IN (SELECT contact_id FROM contact_tags WHERE tag = ?)"
		args = append(args, f.Tag)
	}
	if f.Starred {
		q += " AND starred = ?"
		args = append(args, true)
	}
	if !f.ReviewDue.IsZero() {
		q += " AND (last_reviewed_at IS NULL OR last_reviewed_at < ?)"
		args = append(args, f.ReviewDue.UTC().Truncate(time.Microsecond))
		q += " ORDER BY (last_reviewed_at IS NOT NULL), last_reviewed_at, created_at, id"
	} else {
		q += " ORDER BY starred DESC, name, id"
	}
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	out, err := queryAll(ctx, db.read(), scanContact, q, args...)
	if err != nil {
		return nil, err
	}
	return out, db.loadTags(ctx, out, f.Limit <= 0 && f.Query == "" && f.Tag == "" && !f.Starred && f.ReviewDue.IsZero())
}

// escapeLike escapes LIKE wildcards with '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// loadTags fills Tags of the contacts; all says they are every contact, so
// one scan of contact_tags is cheaper than an IN list.
func (db *DB) loadTags(ctx context.Context, contacts []*model.Contact, all bool) error {
	if len(contacts) == 0 {
		return nil
	}
	byID := make(map[int64]*model.Contact, len(contacts))
	for _, c := range contacts {
		byID[c.ID] = c
		c.Tags = nil
	}
	fill := func(q string, args ...any) error {
		rows, err := db.read().query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var tag string
			if err := rows.Scan(&id, &tag); err != nil {
				return err
			}
			if c := byID[id]; c != nil {
				c.Tags = append(c.Tags, tag)
			}
		}
		return rows.Err()
	}
	const order = " ORDER BY contact_id, (SELECT CASE WHEN builtin THEN 0 ELSE 1 END FROM tags WHERE tags.name = contact_tags.tag), tag"
	if all || len(contacts) > 500 {
		return fill("SELECT contact_id, tag FROM contact_tags" + order)
	}
	ids := make([]any, len(contacts))
	marks := make([]string, len(contacts))
	for i, c := range contacts {
		ids[i] = c.ID
		marks[i] = "?"
	}
	return fill("SELECT contact_id, tag FROM contact_tags WHERE contact_id IN ("+strings.Join(marks, ",")+")"+order, ids...)
}

// CountContacts returns the number of contacts.
func (db *DB) CountContacts(ctx context.Context) (int, error) {
	var n int
	err := db.read().queryRow(ctx, "SELECT count(*) FROM contacts").Scan(&n)
	return n, err
}
