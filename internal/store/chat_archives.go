package store

import (
	"context"
	"strings"

	"github.com/lvxin/lvxin/internal/model"
)

// AddChatArchive records a produced monthly archive and sets its ID.
func (tx *Tx) AddChatArchive(ctx context.Context, a *model.ChatArchive) error {
	a.CreatedAt = tx.db.Now()
	return tx.c().queryRow(ctx, `INSERT INTO chat_archives (month, recipients, blob_sha256, size, messages, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.Month, strings.Join(a.Recipients, "\n"), a.BlobSHA256, a.Size,
		a.Messages, a.CreatedAt, a.CreatedBy).Scan(&a.ID)
}

// ChatArchives lists the recorded archives, newest first.
func (db *DB) ChatArchives(ctx context.Context) ([]*model.ChatArchive, error) {
	return queryAll(ctx, db.read(), func(row scanner) (*model.ChatArchive, error) {
		var a model.ChatArchive
		var recipients string
		if err := row.Scan(&a.ID, &a.Month, &recipients, &a.BlobSHA256, &a.Size, &a.Messages, &a.CreatedAt, &a.CreatedBy); err != nil {
			return nil, err
		}
		a.Recipients = strings.Split(recipients, "\n")
		a.CreatedAt = a.CreatedAt.UTC()
		return &a, nil
	}, `SELECT id, month, recipients, blob_sha256, size, messages, created_at, created_by
		FROM chat_archives ORDER BY month DESC, id DESC`)
}
