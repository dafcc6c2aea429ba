package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"
)

// The durable queue of WeCom callbacks (wecom_events) and the nonces of
// authenticated callbacks (wecom_nonces). See internal/wecom.

// WeComEvent is one decrypted callback waiting for (or done with) the
// processor.
type WeComEvent struct {
	ID         int64
	DedupKey   string // "msgid:…" or "sha256:…" (wecom.MessageKey)
	Kind       string // the MsgType, or "event:<Event>"
	Payload    string // the decrypted XML or JSON
	ReceivedAt time.Time
	Attempts   int
	LeaseUntil time.Time // zero when never claimed
	DoneAt     time.Time // zero while pending
	LastError  string
}

const weComEventColumns = "id, dedup_key, kind, payload, received_at, attempts, lease_until, done_at, last_error"

func scanWeComEvent(row scanner) (*WeComEvent, error) {
	var e WeComEvent
	var lease, done sql.NullTime
	if err := row.Scan(&e.ID, &e.DedupKey, &e.Kind, &e.Payload, &e.ReceivedAt, &e.Attempts, &lease, &done, &e.LastError); err != nil {
		return nil, notFound(err)
	}
	e.ReceivedAt = e.ReceivedAt.UTC()
	if lease.Valid {
		e.LeaseUntil = lease.Time.UTC()
	}
	if done.Valid {
		e.DoneAt = done.Time.UTC()
	}
	return &e, nil
}

// WeComEnqueue is one callback to queue: its nonce (empty: none) with the
// time the nonce may be forgotten, and its event. Enqueue fills Replay or
// Duplicate.
type WeComEnqueue struct {
	Nonce        string
	NonceExpires time.Time
	Event        *WeComEvent
	// Replay: the nonce is remembered already; nothing was written.
	Replay bool
	// Duplicate: the event's DedupKey is queued already (WeCom's retry);
	// only the nonce was recorded.
	Duplicate bool
}

// EnqueueWeComEvents records the callbacks' nonces and queues their events
// in one commit (group commit: one fsync for many callbacks). Each item's
// nonce and de-dup record land in the same commit as its event, so a
// callback is either fully recorded or not at all. Expired nonces are
// dropped first.
func (db *DB) EnqueueWeComEvents(ctx context.Context, items []*WeComEnqueue) error {
	return db.Update(ctx, func(tx *Tx) error {
		now := tx.db.Now()
		if _, err := tx.c().exec(ctx, "DELETE FROM wecom_nonces WHERE expires_at <= ?", now); err != nil {
			return err
		}
		// A few statements per batch whatever its size (multi-row INSERT …
		// RETURNING): on PostgreSQL every statement is a round trip, and a
		// burst of callbacks shares one commit. Repeats inside the batch are
		// settled here in arrival order: the first wins, as it would have
		// one statement at a time.
		for _, it := range items {
			it.Replay, it.Duplicate = false, false
		}
		for start := 0; start < len(items); start += enqueueChunk {
			chunk := items[start:min(start+enqueueChunk, len(items))]
			if err := tx.enqueueWeComChunk(ctx, chunk, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// enqueueChunk bounds the rows of one multi-row statement (4 parameters a
// row, far below SQLite's and PostgreSQL's limits).
const enqueueChunk = 256

func (tx *Tx) enqueueWeComChunk(ctx context.Context, items []*WeComEnqueue, now time.Time) error {
	// Nonces: the first item of the batch with a nonce claims it; a later
	// one with the same nonce is a replay of it.
	claim := map[string]*WeComEnqueue{}
	var args []any
	for _, it := range items {
		if it.Nonce == "" {
			continue
		}
		if _, seen := claim[it.Nonce]; seen {
			it.Replay = true
			continue
		}
		claim[it.Nonce] = it
		args = append(args, it.Nonce, it.NonceExpires.UTC().Truncate(time.Microsecond))
	}
	if len(args) > 0 {
		fresh, err := queryAll(ctx, tx.c(), scanString, "INSERT INTO wecom_nonces (nonce, expires_at) VALUES "+
			valueRows(len(args)/2, 2)+" ON CONFLICT (nonce) DO NOTHING RETURNING nonce", args...)
		if err != nil {
			return err
		}
		inserted := make(map[string]bool, len(fresh))
		for _, n := range fresh {
			inserted[n] = true
		}
		for n, it := range claim {
			if !inserted[n] {
				it.Replay = true
			}
		}
	}
	// Events of the callbacks that are not replays: the first with a
	// de-dup key queues it; a later one (or one queued before) is WeCom's
	// retry.
	first := map[string]*WeComEnqueue{}
	args = args[:0]
	for _, it := range items {
		if it.Replay {
			continue
		}
		ev := it.Event
		ev.ReceivedAt = now
		if _, seen := first[ev.DedupKey]; seen {
			it.Duplicate = true
			continue
		}
		first[ev.DedupKey] = it
		args = append(args, ev.DedupKey, ev.Kind, ev.Payload, ev.ReceivedAt)
	}
	if len(args) == 0 {
		return nil
	}
	queued, err := queryAll(ctx, tx.c(), scanString, "INSERT INTO wecom_events (dedup_key, kind, payload, received_at) VALUES "+
		valueRows(len(args)/4, 4)+" ON CONFLICT (dedup_key) DO NOTHING RETURNING dedup_key", args...)
	if err != nil {
		return err
	}
	inserted := make(map[string]bool, len(queued))
	for _, k := range queued {
		inserted[k] = true
	}
	for k, it := range first {
		if !inserted[k] {
			it.Duplicate = true
		}
	}
	return nil
}

// valueRows is "(?, ?), (?, ?)…": rows of cols placeholders.
func valueRows(rows, cols int) string {
	one := "(" + strings.Repeat("?, ", cols-1) + "?)"
	return strings.Repeat(one+", ", rows-1) + one
}

func scanString(row scanner) (string, error) {
	var s string
	err := row.Scan(&s)
	return s, err
}

// EnqueueWeComEvent queues one callback (see EnqueueWeComEvents): a
// remembered nonce is ErrConflict with nothing written; duplicate reports
// WeCom's retry of a queued event.
func (db *DB) EnqueueWeComEvent(ctx context.Context, nonce string, nonceExpires time.Time, ev *WeComEvent) (duplicate bool, err error) {
	it := &WeComEnqueue{Nonce: nonce, NonceExpires: nonceExpires, Event: ev}
	if err := db.EnqueueWeComEvents(ctx, []*WeComEnqueue{it}); err != nil {
		return false, err
	}
	if it.Replay {
		return false, ErrConflict
	}
	return it.Duplicate, nil
}

// RememberWeComNonce records the nonce of an authenticated callback that
// queues nothing (URL verification); ErrConflict when it is remembered
// already.
func (db *DB) RememberWeComNonce(ctx context.Context, nonce string, expires time.Time) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.rememberWeComNonce(ctx, nonce, expires) })
}

func (tx *Tx) rememberWeComNonce(ctx context.Context, nonce string, expires time.Time) error {
	if _, err := tx.c().exec(ctx, "DELETE FROM wecom_nonces WHERE expires_at <= ?", tx.db.Now()); err != nil {
		return err
	}
	fresh, err := tx.insertWeComNonce(ctx, nonce, expires)
	if err == nil && !fresh {
		err = ErrConflict
	}
	return err
}

// insertWeComNonce records a nonce; false when it is remembered already.
func (tx *Tx) insertWeComNonce(ctx context.Context, nonce string, expires time.Time) (bool, error) {
	res, err := tx.c().exec(ctx, "INSERT INTO wecom_nonces (nonce, expires_at) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING",
		nonce, expires.UTC().Truncate(time.Microsecond))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ClaimWeComEvents leases up to limit pending events whose lease is free
// (never claimed or expired) until now+lease, counting an attempt on each,
// oldest first. A worker that dies leaves its lease to expire, and the
// event is claimed again: delivery is at least once.
func (db *DB) ClaimWeComEvents(ctx context.Context, limit int, lease time.Duration) ([]*WeComEvent, error) {
	var out []*WeComEvent
	err := db.Update(ctx, func(tx *Tx) error {
		now := tx.db.Now()
		var err error
		// The free-lease condition is repeated outside the subquery so a
		// PostgreSQL claimer that waited on a row another one just leased
		// re-checks it and skips it.
		out, err = queryAll(ctx, tx.c(), scanWeComEvent, `UPDATE wecom_events SET lease_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM wecom_events WHERE done_at IS NULL AND (lease_until IS NULL OR lease_until <= ?)
				ORDER BY id LIMIT ?)
			AND done_at IS NULL AND (lease_until IS NULL OR lease_until <= ?)
			RETURNING `+weComEventColumns, now.Add(lease), now, limit, now)
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// CompleteWeComEvents marks events handled in one commit (the processor
// completes a claimed batch together: one durable commit instead of one
// per event).
func (db *DB) CompleteWeComEvents(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return db.Update(ctx, func(tx *Tx) error {
		now := tx.db.Now()
		for start := 0; start < len(ids); start += enqueueChunk {
			chunk := ids[start:min(start+enqueueChunk, len(ids))]
			args := []any{now}
			for _, id := range chunk {
				args = append(args, id)
			}
			if _, err := tx.c().exec(ctx, "UPDATE wecom_events SET done_at = ?, lease_until = NULL WHERE id IN ("+
				strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+")", args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// CompleteWeComEvent marks an event handled.
func (db *DB) CompleteWeComEvent(ctx context.Context, id int64) error {
	return db.Update(ctx, func(tx *Tx) error {
		res, err := tx.c().exec(ctx, "UPDATE wecom_events SET done_at = ?, lease_until = NULL WHERE id = ?", tx.db.Now(), id)
		if err != nil {
			return err
		}
		return mustAffect(res)
	})
}

// RetryWeComEvent records a failed attempt: the event is claimable again
// at retryAt. With giveUp it is closed instead (done, with its error).
func (db *DB) RetryWeComEvent(ctx context.Context, id int64, reason string, retryAt time.Time, giveUp bool) error {
	if len(reason) > 1000 {
		reason = strings.ToValidUTF8(reason[:1000], "")
	}
	return db.Update(ctx, func(tx *Tx) error {
		var res sql.Result
		var err error
		if giveUp {
			res, err = tx.c().exec(ctx, "UPDATE wecom_events SET done_at = ?, lease_until = NULL, last_error = ? WHERE id = ?",
				tx.db.Now(), reason, id)
		} else {
			res, err = tx.c().exec(ctx, "UPDATE wecom_events SET lease_until = ?, last_error = ? WHERE id = ?",
				retryAt.UTC().Truncate(time.Microsecond), reason, id)
		}
		if err != nil {
			return err
		}
		return mustAffect(res)
	})
}

// WeComEventFilter selects queued events; zero fields do not filter.
type WeComEventFilter struct {
	Pending bool // only events not done yet
	Limit   int  // 0: 100
}

// FindWeComEvents lists queued events, newest first.
func (db *DB) FindWeComEvents(ctx context.Context, f WeComEventFilter) ([]*WeComEvent, error) {
	q := "SELECT " + weComEventColumns + " FROM wecom_events"
	if f.Pending {
		q += " WHERE done_at IS NULL"
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	return queryAll(ctx, db.read(), scanWeComEvent, q+" ORDER BY id DESC LIMIT ?", f.Limit)
}

// PurgeWeComEvents deletes events done before cutoff (their dedup keys go
// with them: WeCom retries within seconds, not days).
func (db *DB) PurgeWeComEvents(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := db.Update(ctx, func(tx *Tx) error {
		res, err := tx.c().exec(ctx, "DELETE FROM wecom_events WHERE done_at IS NOT NULL AND done_at < ?", cutoff.UTC())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
