package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// Case groups (案件群) synced from WeCom, their members and notices.

const caseGroupColumns = "id, chat_id, name, owner_userid, lawyer_id, matter_id, dismissed_at, synced_at"

func scanCaseGroup(row scanner) (*model.CaseGroup, error) {
	var g model.CaseGroup
	var lawyer, matter sql.NullInt64
	var dismissed sql.NullTime
	if err := row.Scan(&g.ID, &g.ChatID, &g.Name, &g.OwnerUserID, &lawyer, &matter, &dismissed, &g.SyncedAt); err != nil {
		return nil, notFound(err)
	}
	g.LawyerID, g.MatterID, g.SyncedAt = lawyer.Int64, matter.Int64, g.SyncedAt.UTC()
	if dismissed.Valid {
		g.DismissedAt = dismissed.Time.UTC()
	}
	return &g, nil
}

// UpsertCaseGroup stores a group by chat id: name, owner and lawyer, and,
// when Members is not nil, its member list (kept marks survive for members
// still present). A zero MatterID keeps the group's matter; a set one
// links it. It sets g.ID and g.SyncedAt.
func (tx *Tx) UpsertCaseGroup(ctx context.Context, g *model.CaseGroup) error {
	g.SyncedAt = tx.db.Now()
	err := tx.c().queryRow(ctx, `INSERT INTO case_groups (chat_id, name, owner_userid, lawyer_id, matter_id, synced_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET name = excluded.name, owner_userid = excluded.owner_userid,
		lawyer_id = COALESCE(excluded.lawyer_id, case_groups.lawyer_id),
		matter_id = COALESCE(excluded.matter_id, case_groups.matter_id), synced_at = excluded.synced_at
		RETURNING id`, g.ChatID, g.Name, g.OwnerUserID, nullID(g.LawyerID), nullID(g.MatterID), g.SyncedAt).Scan(&g.ID)
	if err != nil || g.Members == nil {
		return err
	}
	kept := map[string]bool{}
	old, err := queryAll(ctx, tx.c(), scanMember, "SELECT member_id, type, name, kept FROM case_group_members WHERE group_id = ?", g.ID)
	if err != nil {
		return err
	}
	for _, m := range old {
		kept[m.MemberID] = m.Kept
	}
	if _, err := tx.c().exec(ctx, "DELETE FROM case_group_members WHERE group_id = ?", g.ID); err != nil {
		return err
	}
	for i := range g.Members {
		m := &g.Members[i]
		m.Kept = m.Kept || kept[m.MemberID]
		if _, err := tx.c().exec(ctx, `INSERT INTO case_group_members (group_id, member_id, type, name, kept) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (group_id, member_id) DO NOTHING`, g.ID, m.MemberID, m.Type, m.Name, m.Kept); err != nil {
			return err
		}
	}
	return nil
}

func scanMember(row scanner) (model.CaseGroupMember, error) {
	var m model.CaseGroupMember
	err := row.Scan(&m.MemberID, &m.Type, &m.Name, &m.Kept)
	return m, err
}

// DismissCaseGroup records that a group was dissolved (creating its row
// when it was never synced).
func (tx *Tx) DismissCaseGroup(ctx context.Context, chatID string, at time.Time) error {
	_, err := tx.c().exec(ctx, `INSERT INTO case_groups (chat_id, synced_at, dismissed_at) VALUES (?, ?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET dismissed_at = excluded.dismissed_at`, chatID, tx.db.Now(), utc(at))
	return err
}

// LinkCaseGroupMatter links a group to a matter (0 unlinks).
func (tx *Tx) LinkCaseGroupMatter(ctx context.Context, id, matterID int64) error {
	res, err := tx.c().exec(ctx, "UPDATE case_groups SET matter_id = ? WHERE id = ?", nullID(matterID), id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// KeepCaseGroupMember marks a member as belonging to the group.
func (tx *Tx) KeepCaseGroupMember(ctx context.Context, groupID int64, memberID string) error {
	res, err := tx.c().exec(ctx, "UPDATE case_group_members SET kept = ? WHERE group_id = ? AND member_id = ?", true, groupID, memberID)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// CaseGroupByID returns a group with its members.
func (db *DB) CaseGroupByID(ctx context.Context, id int64) (*model.CaseGroup, error) {
	g, err := scanCaseGroup(db.read().queryRow(ctx, "SELECT "+caseGroupColumns+" FROM case_groups WHERE id = ?", id))
	if err != nil {
		return nil, err
	}
	g.Members, err = queryAll(ctx, db.read(), scanMember,
		"SELECT member_id, type, name, kept FROM case_group_members WHERE group_id = ? ORDER BY type DESC, name, member_id", id)
	if g.Members == nil {
		g.Members = []model.CaseGroupMember{}
	}
	return g, err
}

// CaseGroupByChatID returns a group by its WeCom chat id (without members).
func (db *DB) CaseGroupByChatID(ctx context.Context, chatID string) (*model.CaseGroup, error) {
	return scanCaseGroup(db.read().queryRow(ctx, "SELECT "+caseGroupColumns+" FROM case_groups WHERE chat_id = ?", chatID))
}

// FindCaseGroups lists groups (without members), by name; matterID 0 lists all.
func (db *DB) FindCaseGroups(ctx context.Context, matterID int64) ([]*model.CaseGroup, error) {
	q := "SELECT " + caseGroupColumns + " FROM case_groups"
	var args []any
	if matterID != 0 {
		q += " WHERE matter_id = ?"
		args = append(args, matterID)
	}
	return queryAll(ctx, db.read(), scanCaseGroup, q+" ORDER BY name, id", args...)
}

// CreateGroupNotice saves a notice and sets its ID and CreatedAt.
func (tx *Tx) CreateGroupNotice(ctx context.Context, n *model.GroupNotice) error {
	n.CreatedAt = tx.db.Now()
	return tx.c().queryRow(ctx, `INSERT INTO case_group_notices (group_id, title, body, token, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, n.GroupID, n.Title, n.Body, n.Token, n.CreatedBy, n.CreatedAt).Scan(&n.ID)
}

const noticeColumns = "id, group_id, title, body, token, created_by, created_at"

func scanNotice(row scanner) (*model.GroupNotice, error) {
	var n model.GroupNotice
	if err := row.Scan(&n.ID, &n.GroupID, &n.Title, &n.Body, &n.Token, &n.CreatedBy, &n.CreatedAt); err != nil {
		return nil, notFound(err)
	}
	n.CreatedAt = n.CreatedAt.UTC()
	return &n, nil
}

// GroupNoticeByToken returns a notice with its confirmations.
func (db *DB) GroupNoticeByToken(ctx context.Context, token string) (*model.GroupNotice, error) {
	n, err := scanNotice(db.read().queryRow(ctx, "SELECT "+noticeColumns+" FROM case_group_notices WHERE token = ?", token))
	if err != nil {
		return nil, err
	}
	n.Reads, err = db.noticeReads(ctx, n.ID)
	return n, err
}

// GroupNotices lists a group's notices with their confirmations, newest first.
func (db *DB) GroupNotices(ctx context.Context, groupID int64) ([]*model.GroupNotice, error) {
	list, err := queryAll(ctx, db.read(), scanNotice, "SELECT "+noticeColumns+
		" FROM case_group_notices WHERE group_id = ? ORDER BY created_at DESC, id DESC", groupID)
	for _, n := range list {
		if err != nil {
			break
		}
		n.Reads, err = db.noticeReads(ctx, n.ID)
	}
	return list, err
}

func (db *DB) noticeReads(ctx context.Context, noticeID int64) ([]model.NoticeRead, error) {
	return queryAll(ctx, db.read(), func(row scanner) (model.NoticeRead, error) {
		var r model.NoticeRead
		err := row.Scan(&r.Name, &r.ConfirmedAt)
		r.ConfirmedAt = r.ConfirmedAt.UTC()
		return r, err
	}, "SELECT name, confirmed_at FROM case_group_notice_reads WHERE notice_id = ? ORDER BY confirmed_at, name", noticeID)
}

// ConfirmGroupNotice records a member's 确认已读; false when that name had
// already confirmed (the first confirmation's time stays).
func (tx *Tx) ConfirmGroupNotice(ctx context.Context, noticeID int64, name, ip string) (bool, error) {
	var got string
	err := tx.c().queryRow(ctx, `INSERT INTO case_group_notice_reads (notice_id, name, confirmed_at, ip) VALUES (?, ?, ?, ?)
		ON CONFLICT (notice_id, name) DO NOTHING RETURNING name`, noticeID, name, tx.db.Now(), ip).Scan(&got)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}
