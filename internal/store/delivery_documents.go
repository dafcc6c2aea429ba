package store

import (
	"context"
	"database/sql"

	"github.com/lvxin/lvxin/internal/model"
)

// Documents and NDAs of secure document delivery (internal/delivery).

const documentColumns = `id, matter_id, title, file_name, media_type, classification, sha256, size, uploaded_by_id, uploaded_by, uploaded_at`

func scanDocument(row scanner) (*model.Document, error) {
	var d model.Document
	var class string
	var by sql.NullInt64
	if err := row.Scan(&d.ID, &d.MatterID, &d.Title, &d.FileName, &d.MediaType, &class, &d.SHA256, &d.Size, &by,
		&d.UploadedBy, &d.UploadedAt); err != nil {
		return nil, notFound(err)
	}
	d.Classification, d.UploadedByID, d.UploadedAt = model.DocumentClass(class), by.Int64, d.UploadedAt.UTC()
	return &d, nil
}

// CreateDocument records a document whose file is already in the blob
// store, and sets its ID.
func (tx *Tx) CreateDocument(ctx context.Context, d *model.Document) error {
	if d.UploadedAt.IsZero() {
		d.UploadedAt = tx.db.Now()
	}
	return tx.c().queryRow(ctx, `INSERT INTO delivery_documents (matter_id, title, file_name, media_type, classification,
		sha256, size, uploaded_by_id, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.MatterID, d.Title, d.FileName, d.MediaType, string(d.Classification), d.SHA256, d.Size, nullID(d.UploadedByID),
		d.UploadedBy, d.UploadedAt.UTC()).Scan(&d.ID)
}

// Document returns one document.
func (db *DB) Document(ctx context.Context, id int64) (*model.Document, error) {
	return scanDocument(db.read().queryRow(ctx, "SELECT "+documentColumns+" FROM delivery_documents WHERE id = ?", id))
}

// MatterDocuments lists a matter's documents, newest first.
func (db *DB) MatterDocuments(ctx context.Context, matterID int64) ([]*model.Document, error) {
	return queryAll(ctx, db.read(), scanDocument, "SELECT "+documentColumns+
		" FROM delivery_documents WHERE matter_id = ? ORDER BY uploaded_at DESC, id DESC", matterID)
}

const ndaColumns = `id, matter_id, recipient, signed_on, file_name, sha256, size, recorded_by_id, recorded_by, recorded_at`

func scanNDA(row scanner) (*model.NDA, error) {
	var n model.NDA
	var by sql.NullInt64
	if err := row.Scan(&n.ID, &n.MatterID, &n.Recipient, &n.SignedOn, &n.FileName, &n.SHA256, &n.Size, &by,
		&n.RecordedBy, &n.RecordedAt); err != nil {
		return nil, notFound(err)
	}
	n.RecordedByID, n.RecordedAt = by.Int64, n.RecordedAt.UTC()
	return &n, nil
}

// CreateNDA records a signed NDA; key is the recipient's name as compared
// (delivery.RecipientKey), and sets its ID.
func (tx *Tx) CreateNDA(ctx context.Context, n *model.NDA, key string) error {
	if n.RecordedAt.IsZero() {
		n.RecordedAt = tx.db.Now()
	}
	return tx.c().queryRow(ctx, `INSERT INTO delivery_ndas (matter_id, recipient, recipient_key, signed_on, file_name, sha256,
		size, recorded_by_id, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		n.MatterID, n.Recipient, key, n.SignedOn, n.FileName, n.SHA256, n.Size, nullID(n.RecordedByID), n.RecordedBy,
		n.RecordedAt.UTC()).Scan(&n.ID)
}

// MatterNDAs lists the NDAs on record for a matter, newest first.
func (db *DB) MatterNDAs(ctx context.Context, matterID int64) ([]*model.NDA, error) {
	return queryAll(ctx, db.read(), scanNDA, "SELECT "+ndaColumns+
		" FROM delivery_ndas WHERE matter_id = ? ORDER BY recorded_at DESC, id DESC", matterID)
}

// NDAFor returns the latest NDA on record for a recipient (by key) of a
// matter, read inside the sending transaction; ErrNotFound when none.
func (tx *Tx) NDAFor(ctx context.Context, matterID int64, key string) (*model.NDA, error) {
	return scanNDA(tx.c().queryRow(ctx, "SELECT "+ndaColumns+
		" FROM delivery_ndas WHERE matter_id = ? AND recipient_key = ? ORDER BY signed_on DESC, id DESC LIMIT 1", matterID, key))
}

// NDA returns one NDA.
func (db *DB) NDA(ctx context.Context, id int64) (*model.NDA, error) {
	return scanNDA(db.read().queryRow(ctx, "SELECT "+ndaColumns+" FROM delivery_ndas WHERE id = ?", id))
}

// NDAFor returns the latest NDA on record for a recipient (by key) of a
// matter; ErrNotFound when none.
func (db *DB) NDAFor(ctx context.Context, matterID int64, key string) (*model.NDA, error) {
	return scanNDA(db.read().queryRow(ctx, "SELECT "+ndaColumns+
		" FROM delivery_ndas WHERE matter_id = ? AND recipient_key = ? ORDER BY signed_on DESC, id DESC LIMIT 1", matterID, key))
}
