package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/model"
)

// conflictGenerationKey is the settings row that changes with every write to
// contacts or matter parties, so a cached conflict index knows when it is
// stale, even when another process (the CLI) wrote.
const conflictGenerationKey = "conflict_generation"

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
		list, err := queryAll(ctx, db.read(), func(row scanner) (ConflictRow, error) {
			var r ConflictRow
			var kind, role string
			var err error
			if matter {
				err = row.Scan(&r.MatterID, &r.MatterTitle, &role, &r.Name, &kind, &r.USCC, &r.IDNumber, &r.Phone)
			} else {
				err = row.Scan(&r.ContactID, &r.Name, &kind, &r.USCC, &r.IDNumber, &r.Phone)
			}
			r.Kind, r.Role = model.ContactKind(kind), model.PartyRole(role)
			return r, err
		}, q, args...)
		out = append(out, list...)
		return err
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
