package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// The dashboard's queries: each reads a bounded slice (LIMIT) through an
// index, so that the dashboard costs the same with 20 matters or 20,000.
// They narrow the rows read to what a user may plausibly see (StaffScope);
// internal/access still decides each row.

// StaffScope narrows a query to the matters a user leads or is staff on;
// All (for administrators) reads every matter.
type StaffScope struct {
	UserID int64
	All    bool
}

// matterIn is the SQL condition "col is a matter of the scope" and its
// arguments ("1=1" for All).
func (s StaffScope) matterIn(col string) (string, []any) {
	if s.All {
		return col + " IS NOT NULL", nil
	}
	return col + " IN (SELECT id FROM matters WHERE lead_lawyer_id = ? UNION SELECT matter_id FROM matter_staff WHERE user_id = ?)",
		[]any{s.UserID, s.UserID}
}

// MatterNext is an open matter with the next open deadline on it the user
// may see (NextDue "" when none).
type MatterNext struct {
	Matter     *model.Matter
	NextDue    string
	NextTitle  string
	DeadlineID int64
}

// OpenMattersNext lists the open matters (not closed or archived) the user
// leads or is staff on, with the next open deadline on each owned by the
// user (owners: access.ViewDeadline), soonest first, matters without a
// deadline last; at most limit.
func (db *DB) OpenMattersNext(ctx context.Context, userID int64, limit int) ([]MatterNext, error) {
	q := `SELECT ` + prefixed("m.", matterColumns) + `, COALESCE(n.due_date, ''), COALESCE(n.title, ''), COALESCE(n.id, 0)
		FROM matters m
		LEFT JOIN deadlines n ON n.id = (SELECT d.id FROM deadlines d WHERE d.matter_id = m.id AND d.owner_id = ? AND d.status = ?
			ORDER BY d.due_date, d.id LIMIT 1)
		WHERE m.status NOT IN (?, ?) AND m.id IN (SELECT id FROM matters WHERE lead_lawyer_id = ? UNION SELECT matter_id FROM matter_staff WHERE user_id = ?)
		ORDER BY CASE WHEN n.due_date IS NULL THEN 1 ELSE 0 END, n.due_date, m.id DESC LIMIT ?`
	out, err := queryAll(ctx, db.read(), func(row scanner) (MatterNext, error) {
		var mn MatterNext
		var m model.Matter
		var typ, status string
		var engaged, closed sql.NullTime
		err := row.Scan(&m.ID, &m.Title, &typ, &m.CaseNumber, &m.Court, &status, &engaged, &closed, &m.LeadLawyerID, &m.CreatedAt,
			&mn.NextDue, &mn.NextTitle, &mn.DeadlineID)
		if err != nil {
			return mn, err
		}
		m.Type, m.Status = model.MatterType(typ), model.MatterStatus(status)
		if engaged.Valid {
			m.EngagedOn = engaged.Time.UTC()
		}
		if closed.Valid {
			m.ClosedOn = closed.Time.UTC()
		}
		m.CreatedAt = m.CreatedAt.UTC()
		mn.Matter = &m
		return mn, nil
	}, q, userID, string(model.DeadlineOpen), string(model.MatterClosed), string(model.MatterArchived), userID, userID, limit)
	if err != nil {
		return nil, err
	}
	matters := make([]*model.Matter, len(out))
	for i := range out {
		matters[i] = out[i].Matter
	}
	return out, db.loadMatterDetails(ctx, matters)
}

// prefixed puts a table alias before each of a comma-separated column list.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// PendingConflictChecks lists undecided checks that found something, newest
// first: for the scope's matters the user leads (All: every check), and the
// user's own checks of no matter; at most limit.
func (db *DB) PendingConflictChecks(ctx context.Context, scope StaffScope, limit int) ([]*ConflictCheck, error) {
	q := "SELECT " + checkColumns + " FROM conflict_checks WHERE decision = '' AND hit_count > 0"
	var args []any
	if !scope.All {
		q += " AND (matter_id IN (SELECT id FROM matters WHERE lead_lawyer_id = ?) OR (matter_id IS NULL AND checked_by = ?))"
		args = append(args, scope.UserID, scope.UserID)
	}
	q += " ORDER BY id DESC LIMIT ?"
	return queryAll(ctx, db.read(), scanCheck, q, append(args, limit)...)
}

// RunningConsultations lists a lawyer's consultations not yet stopped,
// oldest first; at most limit.
func (db *DB) RunningConsultations(ctx context.Context, lawyerID int64, limit int) ([]*model.Consultation, error) {
	return queryAll(ctx, db.read(), scanConsultation, "SELECT "+consultationColumns+
		" FROM consultations WHERE lawyer_id = ? AND ended_at IS NULL ORDER BY started_at, id LIMIT ?", lawyerID, limit)
}

// GroupDissolution is an open group-dissolution deadline of a closed matter.
type GroupDissolution struct {
	Deadline *model.Deadline
	Matter   *model.Matter
}

// PendingGroupDissolutions lists the open group-dissolution deadlines of
// the scope's matters, soonest first; at most limit.
func (db *DB) PendingGroupDissolutions(ctx context.Context, scope StaffScope, limit int) ([]GroupDissolution, error) {
	cond, args := scope.matterIn("matter_id")
	list, err := queryAll(ctx, db.read(), scanDeadline, "SELECT "+deadlineColumns+" FROM deadlines WHERE rule_id = ? AND status = ? AND "+cond+
		" ORDER BY due_date, id LIMIT ?", append(append([]any{"group-dissolution", string(model.DeadlineOpen)}, args...), limit)...)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(list))
	for _, d := range list {
		ids = append(ids, d.MatterID)
	}
	matters, err := db.MattersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]GroupDissolution, 0, len(list))
	for _, d := range list {
		if m := matters[d.MatterID]; m != nil {
			out = append(out, GroupDissolution{Deadline: d, Matter: m})
		}
	}
	return out, nil
}

// UntimestampedEvidence lists evidence items that no timestamped checkpoint
// covers yet (their log entry lies at or beyond the largest tree size
// whose checkpoint carries an RFC 3161 token), newest first: the scope's
// matters' items and the user's own unlinked items (All: every item); at
// most limit.
func (db *DB) UntimestampedEvidence(ctx context.Context, scope StaffScope, limit int) ([]*model.EvidenceItem, error) {
	q := "SELECT " + evidenceColumns + " FROM evidence_items WHERE log_index >= COALESCE((SELECT MAX(size) FROM ledger_checkpoints WHERE tsr IS NOT NULL), 0)"
	var args []any
	if !scope.All {
		cond, cargs := scope.matterIn("matter_id")
		q += " AND (" + cond + " OR (matter_id IS NULL AND added_by_id = ?))"
		args = append(append(args, cargs...), scope.UserID)
	}
	q += " ORDER BY log_index DESC LIMIT ?"
	return queryAll(ctx, db.read(), scanEvidence, q, append(args, limit)...)
}

// ReviewDueCount counts the contacts due for the quarterly review (never
// reviewed or last reviewed before due).
func (db *DB) ReviewDueCount(ctx context.Context, due time.Time) (int, error) {
	var n int
	err := db.read().queryRow(ctx, "SELECT count(*) FROM contacts WHERE last_reviewed_at IS NULL OR last_reviewed_at < ?",
		due.UTC().Truncate(time.Microsecond)).Scan(&n)
	return n, err
}
