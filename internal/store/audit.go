package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// auditHeadKey is the settings row holding "id:hash" of the newest audit
// row, written in the same transaction as the row, so that deleting rows
// from the end of the log is detected too.
const auditHeadKey = "audit_head"

// genesisHash is prev_hash of the first audit row.
const genesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditHash is the chained hash of an audit row: SHA-256 over the previous
// row's hash and the row's canonical JSON.
func AuditHash(prevHash string, ev *model.AuditEvent) string {
	canonical, _ := json.Marshal(struct {
		ID      int64  `json:"id"`
		At      string `json:"at"`
		ActorID int64  `json:"actor_id"`
		Actor   string `json:"actor"`
		Action  string `json:"action"`
		Target  string `json:"target"`
		Detail  string `json:"detail"`
		IP      string `json:"ip"`
	}{ev.ID, ev.At.UTC().Format(time.RFC3339Nano), ev.ActorID, ev.Actor, ev.Action, ev.Target, ev.Detail, ev.IP})
	h := sha256.New()
	h.Write([]byte(prevHash))
	h.Write([]byte{'\n'})
	h.Write(canonical)
	return hex.EncodeToString(h.Sum(nil))
}

// AppendAudit adds ev to the audit log inside the transaction, filling ID,
// At (when zero), PrevHash and Hash. Appends are serialised: SQLite's
// immediate transactions already are; on PostgreSQL an advisory lock is
// taken for the rest of the transaction.
func (tx *Tx) AppendAudit(ctx context.Context, ev *model.AuditEvent) error {
	c := tx.c()
	if tx.db.dialect == Postgres {
		if _, err := c.exec(ctx, "SELECT pg_advisory_xact_lock(7460001)"); err != nil {
			return err
		}
	}
	var lastID sql.NullInt64
	var lastHash sql.NullString
	err := c.queryRow(ctx, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&lastID, &lastHash)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	ev.PrevHash = genesisHash
	ev.ID = 1
	if lastID.Valid {
		ev.ID = lastID.Int64 + 1
		ev.PrevHash = lastHash.String
	}
	if ev.At.IsZero() {
		ev.At = tx.db.Now()
	}
	ev.At = ev.At.UTC().Truncate(time.Microsecond)
	ev.Hash = AuditHash(ev.PrevHash, ev)
	var actorID sql.NullInt64
	if ev.ActorID != 0 {
		actorID = sql.NullInt64{Int64: ev.ActorID, Valid: true}
	}
	if _, err := c.exec(ctx, `INSERT INTO audit_log (id, at, actor_id, actor, action, target, detail, ip, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.ID, ev.At, actorID, ev.Actor, ev.Action, ev.Target, ev.Detail, ev.IP, ev.PrevHash, ev.Hash); err != nil {
		return err
	}
	return tx.SetSetting(ctx, auditHeadKey, strconv.FormatInt(ev.ID, 10)+":"+ev.Hash)
}

// Audit appends one event in its own transaction.
func (db *DB) Audit(ctx context.Context, ev *model.AuditEvent) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.AppendAudit(ctx, ev) })
}

// AuditFilter selects audit rows.
type AuditFilter struct {
	ActorID int64
	Action  string    // exact action, or a prefix ending in '.'
	From    time.Time // at or after; zero: no bound
	To      time.Time // before; zero: no bound
	// BeforeID pages backwards: only rows older than this id.
	BeforeID int64
	Limit    int
}

// FindAudit lists audit rows, newest first.
func (db *DB) FindAudit(ctx context.Context, f AuditFilter) ([]*model.AuditEvent, error) {
	q := "SELECT id, at, actor_id, actor, action, target, detail, ip, prev_hash, hash FROM audit_log WHERE 1=1"
	var args []any
	if f.ActorID != 0 {
		q += " AND actor_id = ?"
		args = append(args, f.ActorID)
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			q += " AND action LIKE ?"
			args = append(args, f.Action+"%")
		} else {
			q += " AND action = ?"
			args = append(args, f.Action)
		}
	}
	if !f.From.IsZero() {
		q += " AND at >= ?"
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		q += " AND at < ?"
		args = append(args, f.To.UTC())
	}
	if f.BeforeID > 0 {
		q += " AND id < ?"
		args = append(args, f.BeforeID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q += " ORDER BY id DESC LIMIT " + strconv.Itoa(limit)
	return queryAll(ctx, db.read(), scanAudit, q, args...)
}

func scanAudit(row interface{ Scan(...any) error }) (*model.AuditEvent, error) {
	var ev model.AuditEvent
	var actorID sql.NullInt64
	if err := row.Scan(&ev.ID, &ev.At, &actorID, &ev.Actor, &ev.Action, &ev.Target, &ev.Detail, &ev.IP,
		&ev.PrevHash, &ev.Hash); err != nil {
		return nil, err
	}
	ev.At = ev.At.UTC()
	ev.ActorID = actorID.Int64
	return &ev, nil
}

// AuditProblem is one broken link found by VerifyAudit.
type AuditProblem struct {
	ID     int64 // the row (or the missing row) where the chain breaks
	Reason string
}

// AuditReport is the outcome of VerifyAudit.
type AuditReport struct {
	Rows     int64
	Problems []AuditProblem
}

// OK reports an intact chain.
func (r AuditReport) OK() bool { return len(r.Problems) == 0 }

// VerifyAudit walks the whole audit log in order and recomputes the chain:
// an edited row fails its hash, a deleted row leaves a gap in the ids and a
// broken prev_hash, and rows deleted from the end disagree with the head
// recorded in settings.
func (db *DB) VerifyAudit(ctx context.Context) (AuditReport, error) {
	var rep AuditReport
	rows, err := db.read().query(ctx, "SELECT id, at, actor_id, actor, action, target, detail, ip, prev_hash, hash FROM audit_log ORDER BY id")
	if err != nil {
		return rep, err
	}
	defer rows.Close()
	prevHash := genesisHash
	var prevID int64
	for rows.Next() {
		ev, err := scanAudit(rows)
		if err != nil {
			return rep, err
		}
		rep.Rows++
		if ev.ID != prevID+1 {
			rep.Problems = append(rep.Problems, AuditProblem{prevID + 1, fmt.Sprintf("第 %d 至 %d 条记录缺失（已被删除）", prevID+1, ev.ID-1)})
		}
		if ev.PrevHash != prevHash {
			rep.Problems = append(rep.Problems, AuditProblem{ev.ID, fmt.Sprintf("第 %d 条记录的前序哈希与上一条不符", ev.ID)})
		}
		if want := AuditHash(ev.PrevHash, ev); want != ev.Hash {
			rep.Problems = append(rep.Problems, AuditProblem{ev.ID, fmt.Sprintf("第 %d 条记录的内容已被修改（哈希不符）", ev.ID)})
		}
		prevID, prevHash = ev.ID, ev.Hash
	}
	if err := rows.Err(); err != nil {
		return rep, err
	}
	head, err := db.Setting(ctx, auditHeadKey)
	switch {
	case err == ErrNotFound && prevID == 0:
	case err == ErrNotFound:
		rep.Problems = append(rep.Problems, AuditProblem{prevID, "审计日志的末尾记录标记缺失"})
	case err != nil:
		return rep, err
	default:
		want := strconv.FormatInt(prevID, 10) + ":" + prevHash
		if head != want {
			id, _, _ := strings.Cut(head, ":")
			n, _ := strconv.ParseInt(id, 10, 64)
			rep.Problems = append(rep.Problems, AuditProblem{n, fmt.Sprintf("审计日志末尾应为第 %s 条，实际为第 %d 条：末尾记录被删除或修改", id, prevID)})
		}
	}
	return rep, nil
}
