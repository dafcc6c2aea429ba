package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// The client book's contacts and tags. Matters and conflict checks are in
// matters.go, consultations in consultations.go.

// DefaultTags are the tags every firm starts with (created by the migration;
// they cannot be deleted).
var DefaultTags = []string{"现有客户", "潜在客户", "同行律师"}

// conflictGenerationKey is the settings row that changes with every write to
// contacts or matter parties, so a cached conflict index knows when it is
// stale, even when another process (the CLI) wrote.
const conflictGenerationKey = "conflict_generation"

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

// conflictChangesKept is how many conflict changes are kept; an index older
// than that is rebuilt whole.
const conflictChangesKept = 100000

// conflictPrunedKey holds the last pruned change number.
const conflictPrunedKey = "conflict_changes_pruned"

// touchConflicts records that a contact or a matter (its title or parties)
// changed, so a cached conflict index re-reads just that one, even when
// another process (the CLI) wrote. The generation row is written first: its
// row lock makes concurrent writers (PostgreSQL) take change numbers in
// commit order, so a reader never sees a later number before an earlier one.
func (tx *Tx) touchConflicts(ctx context.Context, contactID, matterID int64) error {
	if err := tx.SetSetting(ctx, conflictGenerationKey, "writing"); err != nil {
		return err
	}
	var seq int64
	if err := tx.c().queryRow(ctx, "INSERT INTO conflict_changes (contact_id, matter_id) VALUES (?, ?) RETURNING seq",
		nullID(contactID), nullID(matterID)).Scan(&seq); err != nil {
		return err
	}
	if seq%1000 == 0 && seq > conflictChangesKept {
		below := seq - conflictChangesKept
		if _, err := tx.c().exec(ctx, "DELETE FROM conflict_changes WHERE seq <= ?", below); err != nil {
			return err
		}
		if err := tx.SetSetting(ctx, conflictPrunedKey, strconv.FormatInt(below, 10)); err != nil {
			return err
		}
	}
	return tx.SetSetting(ctx, conflictGenerationKey, strconv.FormatInt(seq, 10))
}

// ConflictGeneration is a token that changes whenever contacts or matter
// parties change ("" before the first change): the last change number.
func (db *DB) ConflictGeneration(ctx context.Context) (string, error) {
	v, err := db.Setting(ctx, conflictGenerationKey)
	if err == ErrNotFound {
		return "", nil
	}
	return v, err
}

// ConflictSeq is the number of the last committed conflict change (0 when
// none).
func (db *DB) ConflictSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := db.read().queryRow(ctx, "SELECT COALESCE(max(seq), 0) FROM conflict_changes").Scan(&seq)
	return seq, err
}

// ConflictChanges are the contacts and matters changed after a change
// number, and the last change number read.
type ConflictChanges struct {
	ContactIDs []int64
	MatterIDs  []int64
	Last       int64
	// Complete is false when changes were pruned since or there are more
	// than the limit asked for: rebuild instead.
	Complete bool
}

// ConflictChangesSince lists the contacts and matters changed after change
// number after, at most limit changes.
func (db *DB) ConflictChangesSince(ctx context.Context, after int64, limit int) (*ConflictChanges, error) {
	out := &ConflictChanges{Last: after}
	if v, err := db.Setting(ctx, conflictPrunedKey); err == nil {
		if pruned, _ := strconv.ParseInt(v, 10, 64); pruned > after {
			return out, nil
		}
	} else if err != ErrNotFound {
		return nil, err
	}
	rows, err := db.read().query(ctx, "SELECT seq, contact_id, matter_id FROM conflict_changes WHERE seq > ? ORDER BY seq LIMIT "+
		strconv.Itoa(limit+1), after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seenC, seenM := map[int64]bool{}, map[int64]bool{}
	n := 0
	for rows.Next() {
		var seq int64
		var contact, matter sql.NullInt64
		if err := rows.Scan(&seq, &contact, &matter); err != nil {
			return nil, err
		}
		if n++; n > limit {
			return &ConflictChanges{Last: after}, rows.Err()
		}
		out.Last = seq
		if contact.Valid && !seenC[contact.Int64] {
			seenC[contact.Int64] = true
			out.ContactIDs = append(out.ContactIDs, contact.Int64)
		}
		if matter.Valid && !seenM[matter.Int64] {
			seenM[matter.Int64] = true
			out.MatterIDs = append(out.MatterIDs, matter.Int64)
		}
	}
	out.Complete = true
	return out, rows.Err()
}

// ConflictRow is what the conflict check needs of a contact or of a matter
// party (MatterID set): no tags, notes or other columns.
type ConflictRow struct {
	ContactID   int64
	MatterID    int64
	MatterTitle string
	Role        model.PartyRole
	Name        string
	Kind        model.ContactKind
	USCC        string
	IDNumber    string
	Phone       string
}

// ConflictRows reads the conflict candidates: every contact and every matter
// party when all is true, else only the given contacts and the parties of
// the given matters.
func (db *DB) ConflictRows(ctx context.Context, all bool, contactIDs, matterIDs []int64) ([]ConflictRow, error) {
	var out []ConflictRow
	read := func(q string, args []any, matter bool) error {
		rows, err := db.read().query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r ConflictRow
			var kind, role string
			if matter {
				err = rows.Scan(&r.MatterID, &r.MatterTitle, &role, &r.Name, &kind, &r.USCC, &r.IDNumber, &r.Phone)
			} else {
				err = rows.Scan(&r.ContactID, &r.Name, &kind, &r.USCC, &r.IDNumber, &r.Phone)
			}
			if err != nil {
				return err
			}
			r.Kind, r.Role = model.ContactKind(kind), model.PartyRole(role)
			out = append(out, r)
		}
		return rows.Err()
	}
	const contactQ = "SELECT id, name, kind, uscc, id_number, phone FROM contacts"
	const partyQ = `SELECT p.matter_id, m.title, p.role, p.name, p.kind, p.uscc, p.id_number, p.phone
		FROM matter_parties p JOIN matters m ON m.id = p.matter_id`
	if all {
		if err := read(contactQ+" ORDER BY id", nil, false); err != nil {
			return nil, err
		}
		return out, read(partyQ+" ORDER BY p.matter_id, p.id", nil, true)
	}
	for _, part := range []struct {
		q, col string
		ids    []int64
		matter bool
	}{{contactQ, "id", contactIDs, false}, {partyQ, "p.matter_id", matterIDs, true}} {
		for len(part.ids) > 0 {
			chunk := part.ids[:min(500, len(part.ids))]
			part.ids = part.ids[len(chunk):]
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			marks := strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")
			if err := read(part.q+" WHERE "+part.col+" IN ("+marks+")", args, part.matter); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
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

// CreateTag adds a firm tag; an existing tag is left as it is.
func (tx *Tx) CreateTag(ctx context.Context, name string) error {
	_, err := tx.c().exec(ctx, "INSERT INTO tags (name, builtin) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, false)
	return err
}

// Tag is a firm tag with the number of contacts carrying it.
type Tag struct {
	Name     string
	Builtin  bool
	Contacts int
}

// Tags lists the firm's tags: the defaults first, then by name.
func (db *DB) Tags(ctx context.Context) ([]Tag, error) {
	rows, err := db.read().query(ctx, `SELECT t.name, t.builtin, (SELECT count(*) FROM contact_tags ct WHERE ct.tag = t.name)
		FROM tags t ORDER BY t.builtin DESC, t.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Tag
	for rows.Next() {
		var t Tag
		if err := rows.Scan(&t.Name, &t.Builtin, &t.Contacts); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Keep the defaults in their documented order.
	rank := func(name string) int {
		for i, d := range DefaultTags {
			if d == name {
				return i
			}
		}
		return len(DefaultTags)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Builtin && out[j-1].Builtin && rank(out[j].Name) < rank(out[j-1].Name); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
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
	rows, err := db.read().query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*model.Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
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

const profileColumns = `user_id, name, nickname, signature, firm_abbrev, firm_name, title, phone, work_phone, email,
	wechat_id, license_number, practice_areas, updated_at`

// LawyerProfile returns a lawyer's stored professional identity;
// ErrNotFound when the lawyer never saved one.
func (db *DB) LawyerProfile(ctx context.Context, userID int64) (*model.LawyerProfile, error) {
	var p model.LawyerProfile
	var areas string
	err := db.read().queryRow(ctx, "SELECT "+profileColumns+" FROM lawyer_profiles WHERE user_id = ?", userID).Scan(
		&p.UserID, &p.Name, &p.Nickname, &p.Signature, &p.FirmAbbrev, &p.FirmName, &p.Title, &p.Phone, &p.WorkPhone,
		&p.Email, &p.WeChatID, &p.LicenseNumber, &areas, &p.UpdatedAt)
	if err != nil {
		return nil, notFound(err)
	}
	if areas != "" {
		p.PracticeAreas = strings.Split(areas, "\n")
	}
	p.UpdatedAt = p.UpdatedAt.UTC()
	return &p, nil
}

// SaveLawyerProfile creates or replaces a lawyer's professional identity
// and sets UpdatedAt. Practice areas must not contain line breaks.
func (tx *Tx) SaveLawyerProfile(ctx context.Context, p *model.LawyerProfile) error {
	p.UpdatedAt = tx.db.Now()
	_, err := tx.c().exec(ctx, `INSERT INTO lawyer_profiles (`+profileColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, nickname = excluded.nickname,
		signature = excluded.signature, firm_abbrev = excluded.firm_abbrev, firm_name = excluded.firm_name,
		title = excluded.title, phone = excluded.phone, work_phone = excluded.work_phone, email = excluded.email,
		wechat_id = excluded.wechat_id, license_number = excluded.license_number,
		practice_areas = excluded.practice_areas, updated_at = excluded.updated_at`,
		p.UserID, p.Name, p.Nickname, p.Signature, p.FirmAbbrev, p.FirmName, p.Title, p.Phone, p.WorkPhone, p.Email,
		p.WeChatID, p.LicenseNumber, strings.Join(p.PracticeAreas, "\n"), p.UpdatedAt)
	return err
}
