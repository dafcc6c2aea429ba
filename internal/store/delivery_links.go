package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// Delivery links and their events (internal/delivery).

const deliveryColumns = `id, document_id, matter_id, recipient, nda_id, nonce_hash, code_hash, watermark, file_sha256, file_size,
	issued_by_id, issued_by, sent_at, expires_at, revoked_at, revoked_by, first_opened_at, first_downloaded_at, confirmed_at,
	confirmed_name, code_failures, code_locked_until, reminded_at, evidence_id`

func scanDelivery(row scanner) (*model.Delivery, error) {
	var d model.Delivery
	var nda, issuer, evidence sql.NullInt64
	var revoked, opened, downloaded, confirmed, locked, reminded sql.NullTime
	if err := row.Scan(&d.ID, &d.DocumentID, &d.MatterID, &d.Recipient, &nda, &d.NonceHash, &d.CodeHash, &d.Watermark,
		&d.FileSHA256, &d.FileSize, &issuer, &d.IssuedBy, &d.SentAt, &d.ExpiresAt, &revoked, &d.RevokedBy, &opened,
		&downloaded, &confirmed, &d.ConfirmedName, &d.CodeFailures, &locked, &reminded, &evidence); err != nil {
		return nil, notFound(err)
	}
	d.NDAID, d.IssuedByID, d.EvidenceID = nda.Int64, issuer.Int64, evidence.Int64
	d.SentAt, d.ExpiresAt = d.SentAt.UTC(), d.ExpiresAt.UTC()
	for _, t := range []struct {
		src sql.NullTime
		dst *time.Time
	}{{revoked, &d.RevokedAt}, {opened, &d.FirstOpenedAt}, {downloaded, &d.FirstDownloadedAt}, {confirmed, &d.ConfirmedAt},
		{locked, &d.CodeLockedUntil}, {reminded, &d.RemindedAt}} {
		if t.src.Valid {
			*t.dst = t.src.Time.UTC()
		}
	}
	return &d, nil
}

// CreateDelivery records a new link and sets its ID.
func (tx *Tx) CreateDelivery(ctx context.Context, d *model.Delivery) error {
	if d.SentAt.IsZero() {
		d.SentAt = tx.db.Now()
	}
	return tx.c().queryRow(ctx, `INSERT INTO deliveries (document_id, matter_id, recipient, nda_id, nonce_hash, code_hash,
		watermark, file_sha256, file_size, issued_by_id, issued_by, sent_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.DocumentID, d.MatterID, d.Recipient, nullID(d.NDAID), d.NonceHash, d.CodeHash, d.Watermark, d.FileSHA256, d.FileSize,
		nullID(d.IssuedByID), d.IssuedBy, d.SentAt.UTC(), d.ExpiresAt.UTC()).Scan(&d.ID)
}

// Delivery returns one link.
func (db *DB) Delivery(ctx context.Context, id int64) (*model.Delivery, error) {
	return scanDelivery(db.read().queryRow(ctx, "SELECT "+deliveryColumns+" FROM deliveries WHERE id = ?", id))
}

// Delivery returns one link inside the transaction (the state a change
// is decided on).
func (tx *Tx) Delivery(ctx context.Context, id int64) (*model.Delivery, error) {
	return scanDelivery(tx.c().queryRow(ctx, "SELECT "+deliveryColumns+" FROM deliveries WHERE id = ?", id))
}

// MatterDeliveries lists a matter's links, newest first.
func (db *DB) MatterDeliveries(ctx context.Context, matterID int64) ([]*model.Delivery, error) {
	return queryAll(ctx, db.read(), scanDelivery, "SELECT "+deliveryColumns+
		" FROM deliveries WHERE matter_id = ? ORDER BY sent_at DESC, id DESC", matterID)
}

// AddDeliveryEvent records an event and, for the first open or download,
// its time on the link.
func (tx *Tx) AddDeliveryEvent(ctx context.Context, ev *model.DeliveryEvent) error {
	if ev.At.IsZero() {
		ev.At = tx.db.Now()
	}
	if err := tx.c().queryRow(ctx, `INSERT INTO delivery_events (delivery_id, kind, at, ip, user_agent, detail)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, ev.DeliveryID, ev.Kind, ev.At.UTC(), ev.IP, ev.UserAgent, ev.Detail).Scan(&ev.ID); err != nil {
		return err
	}
	column := map[string]string{model.DeliveryOpened: "first_opened_at", model.DeliveryDownloaded: "first_downloaded_at"}[ev.Kind]
	if column == "" {
		return nil
	}
	_, err := tx.c().exec(ctx, "UPDATE deliveries SET "+column+" = ? WHERE id = ? AND "+column+" IS NULL", ev.At.UTC(), ev.DeliveryID)
	return err
}

// DeliveryEvents lists a link's events in time order.
func (db *DB) DeliveryEvents(ctx context.Context, deliveryID int64) ([]*model.DeliveryEvent, error) {
	return queryAll(ctx, db.read(), func(row scanner) (*model.DeliveryEvent, error) {
		var e model.DeliveryEvent
		err := row.Scan(&e.ID, &e.DeliveryID, &e.Kind, &e.At, &e.IP, &e.UserAgent, &e.Detail)
		e.At = e.At.UTC()
		return &e, err
	}, "SELECT id, delivery_id, kind, at, ip, user_agent, detail FROM delivery_events WHERE delivery_id = ? ORDER BY at, id", deliveryID)
}

// SetDeliveryCodeState stores the count of consecutive wrong access codes
// and the time until which the link refuses codes (zero: not locked).
func (tx *Tx) SetDeliveryCodeState(ctx context.Context, id int64, failures int, lockedUntil time.Time) error {
	return tx.expectOne(tx.c().exec(ctx, "UPDATE deliveries SET code_failures = ?, code_locked_until = ? WHERE id = ?",
		failures, nullTime(lockedUntil), id))
}

// ConfirmDelivery records the receipt confirmation; false when the link
// was confirmed already.
func (tx *Tx) ConfirmDelivery(ctx context.Context, id int64, name string, at time.Time) (bool, error) {
	return affected(tx.c().exec(ctx, "UPDATE deliveries SET confirmed_at = ?, confirmed_name = ? WHERE id = ? AND confirmed_at IS NULL",
		at.UTC(), name, id))
}

// RevokeDelivery ends a live link; false when it was revoked already.
func (tx *Tx) RevokeDelivery(ctx context.Context, id int64, by string, at time.Time) (bool, error) {
	return affected(tx.c().exec(ctx, "UPDATE deliveries SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
		at.UTC(), by, id))
}

// LiveDeliveriesIssuedBy lists the unrevoked, unexpired links a user issued.
func (tx *Tx) LiveDeliveriesIssuedBy(ctx context.Context, userID int64, now time.Time) ([]*model.Delivery, error) {
	return queryAll(ctx, tx.c(), scanDelivery, "SELECT "+deliveryColumns+
		" FROM deliveries WHERE issued_by_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY id", userID, now.UTC())
}

// UnconfirmedConfidential lists the live links to confidential documents
// and trade secrets sent before sentBefore that are neither confirmed nor
// reminded of yet.
func (db *DB) UnconfirmedConfidential(ctx context.Context, sentBefore time.Time) ([]*model.Delivery, error) {
	return queryAll(ctx, db.read(), scanDelivery, "SELECT "+prefixed("d.", deliveryColumns)+
		` FROM deliveries d JOIN delivery_documents doc ON doc.id = d.document_id
		WHERE doc.classification IN ('confidential', 'trade_secret') AND d.confirmed_at IS NULL AND d.revoked_at IS NULL
		AND d.reminded_at IS NULL AND d.sent_at < ? ORDER BY d.sent_at, d.id`, sentBefore.UTC())
}

// MarkDeliveryReminded records the reminder; false when another process
// sent it already.
func (tx *Tx) MarkDeliveryReminded(ctx context.Context, id int64, at time.Time) (bool, error) {
	return affected(tx.c().exec(ctx, "UPDATE deliveries SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL", at.UTC(), id))
}

// SetDeliveryEvidence records the evidence item preserving the link's
// proof of service.
func (tx *Tx) SetDeliveryEvidence(ctx context.Context, id, evidenceID int64) error {
	return tx.expectOne(tx.c().exec(ctx, "UPDATE deliveries SET evidence_id = ? WHERE id = ?", evidenceID, id))
}

// affected reports whether an update changed a row.
func affected(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// expectOne turns an update that changed no row into ErrNotFound.
func (tx *Tx) expectOne(res sql.Result, err error) error {
	ok, err := affected(res, err)
	if err == nil && !ok {
		return ErrNotFound
	}
	return err
}
