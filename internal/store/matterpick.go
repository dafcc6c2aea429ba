package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/model"
)

// likePattern turns what a user typed into a LIKE pattern matching it
// anywhere: LIKE's own wildcards are escaped (with '\'), and brackets of
// either width match each other (案号 are written with （） or ()).
func likePattern(q string) string {
	var b strings.Builder
	b.WriteByte('%')
	for _, r := range strings.TrimSpace(q) {
		switch r {
		case '%', '_', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '(', ')', '（', '）':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('%')
	return b.String()
}

// PickMatters lists the scope's matters whose 案号, title or a party's name
// contains q (all of them when q is empty), newest first, with staff and
// parties; at most limit. The caller still asks access.ViewMatter of each.
func (db *DB) PickMatters(ctx context.Context, scope StaffScope, q string, limit int) ([]*model.Matter, error) {
	where := "1=1"
	var args []any
	if !scope.All {
		cond, cargs := scope.matterIn("id")
		where, args = cond, cargs
	}
	if strings.TrimSpace(q) != "" {
		pat := likePattern(q)
		where += ` AND (case_number LIKE ? ESCAPE '\' OR title LIKE ? ESCAPE '\'
			OR id IN (SELECT matter_id FROM matter_parties WHERE name LIKE ? ESCAPE '\'))`
		args = append(args, pat, pat, pat)
	}
	out, err := queryAll(ctx, db.read(), scanMatter, "SELECT "+matterColumns+" FROM matters WHERE "+where+
		" ORDER BY created_at DESC, id DESC LIMIT "+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	return out, db.loadMatterDetails(ctx, out)
}
