package store

import (
	"context"

	"github.com/lvxin/lvxin/internal/model"
)

// The global search's queries beside PickMatters (matters), FindContacts
// (contacts) and SearchMessages (conversations): each bounded, each
// narrowed to the rows a user may plausibly see; internal/access decides.

// SearchEvidence lists evidence items whose title, matter text, file name
// or 证明目的 contains q, newest first: the scope's matters' items and the
// user's own unlinked items (All: every item); at most limit.
func (db *DB) SearchEvidence(ctx context.Context, scope StaffScope, q string, limit int) ([]*model.EvidenceItem, error) {
	pat := likePattern(q)
	where := `(title LIKE ? ESCAPE '\' OR matter_ref LIKE ? ESCAPE '\' OR file_name LIKE ? ESCAPE '\' OR purpose LIKE ? ESCAPE '\')`
	args := []any{pat, pat, pat, pat}
	if !scope.All {
		cond, cargs := scope.matterIn("matter_id")
		where += " AND (" + cond + " OR (matter_id IS NULL AND added_by_id = ?))"
		args = append(append(args, cargs...), scope.UserID)
	}
	return queryAll(ctx, db.read(), scanEvidence, "SELECT "+evidenceColumns+" FROM evidence_items WHERE "+where+
		" ORDER BY log_index DESC LIMIT ?", append(args, limit)...)
}

// SearchDeadlines lists deadlines whose title or matter text contains q,
// open ones first, then by due date: the owner's (ownerID 0: everyone's);
// at most limit.
func (db *DB) SearchDeadlines(ctx context.Context, ownerID int64, q string, limit int) ([]*model.Deadline, error) {
	pat := likePattern(q)
	where := `(title LIKE ? ESCAPE '\' OR matter_ref LIKE ? ESCAPE '\')`
	args := []any{pat, pat}
	if ownerID != 0 {
		where = "owner_id = ? AND " + where
		args = append([]any{ownerID}, args...)
	}
	return queryAll(ctx, db.read(), scanDeadline, "SELECT "+deadlineColumns+" FROM deadlines WHERE "+where+
		" ORDER BY CASE WHEN status = ? THEN 0 ELSE 1 END, due_date, id LIMIT ?", append(args, string(model.DeadlineOpen), limit)...)
}
