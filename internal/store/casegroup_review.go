package store

import (
	"context"
	"strings"

	"github.com/lvxin/lvxin/internal/model"
)

// The case group list reads, for the groups it shows, how many members
// each has and only the members its member review must still look at, in
// one query each per 500 groups, instead of every member of every group.

// groupChunk bounds the ids of one IN list.
const groupChunk = 500

// eachGroupChunk runs fn over groupIDs in IN lists of at most groupChunk.
func eachGroupChunk(groupIDs []int64, fn func(in string, args []any) error) error {
	for start := 0; start < len(groupIDs); start += groupChunk {
		chunk := groupIDs[start:min(start+groupChunk, len(groupIDs))]
		args := make([]any, len(chunk))
		marks := make([]string, len(chunk))
		for i, id := range chunk {
			args[i], marks[i] = id, "?"
		}
		if err := fn("("+strings.Join(marks, ",")+")", args); err != nil {
			return err
		}
	}
	return nil
}

// CaseGroupMemberCounts counts the members of each group (groups without
// members are absent).
func (db *DB) CaseGroupMemberCounts(ctx context.Context, groupIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	err := eachGroupChunk(groupIDs, func(in string, args []any) error {
		rows, err := db.read().query(ctx, "SELECT group_id, COUNT(*) FROM case_group_members WHERE group_id IN "+in+
			" GROUP BY group_id", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			out[id] = n
		}
		return rows.Err()
	})
	return out, err
}

// CaseGroupReviewCandidates returns, per group, the members a member
// review cannot pass without looking further: every member not kept,
// except an external member whose contact (the lowest contact id carrying
// its external_userid, the one ContactByExternalUserID returns) is a party
// of the group's matter. Those the review passes anyway, so leaving them
// out changes no verdict. Ordered as CaseGroupByID orders members.
func (db *DB) CaseGroupReviewCandidates(ctx context.Context, groupIDs []int64) (map[int64][]model.CaseGroupMember, error) {
	out := map[int64][]model.CaseGroupMember{}
	err := eachGroupChunk(groupIDs, func(in string, args []any) error {
		rows, err := db.read().query(ctx, `SELECT mem.group_id, mem.member_id, mem.type, mem.name, mem.kept
			FROM case_group_members mem JOIN case_groups g ON g.id = mem.group_id
			WHERE mem.group_id IN `+in+` AND mem.kept = ?
			AND NOT (mem.type = ? AND mem.member_id <> '' AND g.matter_id IS NOT NULL AND EXISTS (
				SELECT 1 FROM matter_parties p WHERE p.matter_id = g.matter_id
				AND p.contact_id = (SELECT MIN(c.id) FROM contacts c WHERE c.wecom_external_id = mem.member_id)))
			ORDER BY mem.group_id, mem.type DESC, mem.name, mem.member_id`, append(args, false, model.MemberExternal)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var m model.CaseGroupMember
			if err := rows.Scan(&id, &m.MemberID, &m.Type, &m.Name, &m.Kept); err != nil {
				return err
			}
			out[id] = append(out[id], m)
		}
		return rows.Err()
	})
	return out, err
}
