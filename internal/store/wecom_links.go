package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/model"
)

// What links lvxin's records to WeCom: firm members' WeCom userids
// (users.wecom_userid), contacts' external_userid (contacts.wecom_external_id),
// lvxin tags' corp tag ids (wecom_tags), the kf/sync_msg cursors
// (wecom_cursors), and the matters moved with a customer transfer.

// WeComMember is a firm member with the WeCom userid linked to them.
type WeComMember struct {
	UserID      int64
	Username    string
	DisplayName string
	Role        model.Role
	Disabled    bool
	WeComUserID string // "" when not linked
}

// WeComMembers lists every user with their WeCom userid, oldest first.
func (db *DB) WeComMembers(ctx context.Context) ([]WeComMember, error) {
	return queryAll(ctx, db.read(), func(row scanner) (WeComMember, error) {
		var m WeComMember
		var role string
		err := row.Scan(&m.UserID, &m.Username, &m.DisplayName, &role, &m.Disabled, &m.WeComUserID)
		m.Role = model.Role(role)
		return m, err
	}, "SELECT id, username, display_name, role, disabled, wecom_userid FROM users ORDER BY id")
}

// SetUserWeComID links a user to a WeCom userid ("" unlinks);
// ErrConflict when another user holds it, ErrNotFound for an unknown user.
func (tx *Tx) SetUserWeComID(ctx context.Context, userID int64, weComUserID string) error {
	weComUserID = strings.TrimSpace(weComUserID)
	if weComUserID != "" {
		var other int64
		err := tx.c().queryRow(ctx, "SELECT id FROM users WHERE wecom_userid = ? AND id <> ?", weComUserID, userID).Scan(&other)
		if err == nil {
			return ErrConflict
		}
		if err := notFound(err); err != ErrNotFound {
			return err
		}
	}
	res, err := tx.c().exec(ctx, "UPDATE users SET wecom_userid = ? WHERE id = ?", weComUserID, userID)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// UserByWeComID returns the user linked to a WeCom userid, or ErrNotFound.
func (db *DB) UserByWeComID(ctx context.Context, weComUserID string) (*model.User, error) {
	if weComUserID == "" {
		return nil, ErrNotFound
	}
	return scanUser(db.read().queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE wecom_userid = ?", weComUserID))
}

// ContactByWeComID returns the contact carrying an external_userid, with
// its tags, or ErrNotFound.
func (db *DB) ContactByWeComID(ctx context.Context, externalUserID string) (*model.Contact, error) {
	if externalUserID == "" {
		return nil, ErrNotFound
	}
	c, err := scanContact(db.read().queryRow(ctx, "SELECT "+contactColumns+
		" FROM contacts WHERE wecom_external_id = ? ORDER BY id LIMIT 1", externalUserID))
	if err != nil {
		return nil, err
	}
	return c, db.loadTags(ctx, []*model.Contact{c}, false)
}

// ContactNamesByWeComIDs maps external_userids to the name of the contact
// carrying each (the first by id where several do); ids no contact carries
// are left out.
func (db *DB) ContactNamesByWeComIDs(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = "?", id
		}
		type row struct{ id, name string }
		rows, err := queryAll(ctx, db.read(), func(r scanner) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.name)
		}, "SELECT wecom_external_id, name FROM contacts WHERE wecom_external_id IN ("+strings.Join(marks, ",")+") ORDER BY id DESC", args...)
		if err != nil {
			return nil, err
		}
		for _, x := range rows {
			out[x.id] = x.name // by id descending: the first contact wins
		}
	}
	return out, nil
}

// WeComContacts lists the contacts linked to WeCom, with their tags.
func (db *DB) WeComContacts(ctx context.Context) ([]*model.Contact, error) {
	out, err := queryAll(ctx, db.read(), scanContact, "SELECT "+contactColumns+
		" FROM contacts WHERE wecom_external_id <> '' ORDER BY id")
	if err != nil {
		return nil, err
	}
	return out, db.loadTags(ctx, out, false)
}

// SetContactTags replaces a contact's tags (unknown tags become firm tags).
func (tx *Tx) SetContactTags(ctx context.Context, contactID int64, tags []string) error {
	res, err := tx.c().exec(ctx, "UPDATE contacts SET updated_at = ? WHERE id = ?", tx.db.Now(), contactID)
	if err != nil {
		return err
	}
	if err := mustAffect(res); err != nil {
		return err
	}
	return tx.setContactTags(ctx, contactID, tags)
}

// WeComTagIDs maps lvxin tag names to their WeCom corp tag ids.
func (db *DB) WeComTagIDs(ctx context.Context) (map[string]string, error) {
	rows, err := queryAll(ctx, db.read(), func(row scanner) ([2]string, error) {
		var p [2]string
		err := row.Scan(&p[0], &p[1])
		return p, err
	}, "SELECT tag, tag_id FROM wecom_tags")
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, p := range rows {
		out[p[0]] = p[1]
	}
	return out, nil
}

// SetWeComTagID links an lvxin tag (created when missing) to a corp tag id,
// replacing any earlier link of either.
func (tx *Tx) SetWeComTagID(ctx context.Context, tag, tagID string) error {
	if err := tx.CreateTag(ctx, tag); err != nil {
		return err
	}
	if _, err := tx.c().exec(ctx, "DELETE FROM wecom_tags WHERE tag = ? OR tag_id = ?", tag, tagID); err != nil {
		return err
	}
	_, err := tx.c().exec(ctx, "INSERT INTO wecom_tags (tag, tag_id) VALUES (?, ?)", tag, tagID)
	return err
}

// WeComCursor is the kf/sync_msg cursor of a kf account ("" before the
// first sync).
func (db *DB) WeComCursor(ctx context.Context, openKFID string) (string, error) {
	var cur string
	err := db.read().queryRow(ctx, "SELECT next_cursor FROM wecom_cursors WHERE open_kfid = ?", openKFID).Scan(&cur)
	if err = notFound(err); err == ErrNotFound {
		return "", nil
	}
	return cur, err
}

// SetWeComCursor stores the kf/sync_msg cursor of a kf account.
func (tx *Tx) SetWeComCursor(ctx context.Context, openKFID, cursor string) error {
	_, err := tx.c().exec(ctx, `INSERT INTO wecom_cursors (open_kfid, next_cursor, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (open_kfid) DO UPDATE SET next_cursor = excluded.next_cursor, updated_at = excluded.updated_at`,
		openKFID, cursor, tx.db.Now())
	return err
}

// TransferMatters makes toUserID the lead lawyer of fromUserID's matters
// that are not closed or archived; with contactIDs, only of those matters
// where one of them is a client party. It returns the ids of the matters
// moved, in order. The caller audits them in the same transaction.
func (tx *Tx) TransferMatters(ctx context.Context, fromUserID, toUserID int64, contactIDs []int64) ([]int64, error) {
	q := `SELECT id FROM matters WHERE lead_lawyer_id = ? AND status NOT IN ('closed', 'archived')`
	args := []any{fromUserID}
	if len(contactIDs) > 0 {
		marks := make([]string, len(contactIDs))
		for i, id := range contactIDs {
			marks[i] = "?"
			args = append(args, id)
		}
		q += ` AND id IN (SELECT matter_id FROM matter_parties WHERE role = 'client' AND contact_id IN (` +
			strings.Join(marks, ",") + `))`
	}
	ids, err := queryAll(ctx, tx.c(), func(row scanner) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	}, q+" ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, err := tx.c().exec(ctx, "UPDATE matters SET lead_lawyer_id = ? WHERE id = ?", toUserID, id); err != nil {
			return nil, err
		}
		if err := tx.touchConflicts(ctx, 0, id); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// MatterIDList formats matter ids as "1、2、3" for an audit detail.
func MatterIDList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, "、")
}
