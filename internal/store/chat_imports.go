package store

import (
	"context"
	"database/sql"

	"github.com/lvxin/lvxin/internal/model"
)

// CreateChatImport records an import (counts are filled in later by
// FinishChatImport) and sets its ID.
func (tx *Tx) CreateChatImport(ctx context.Context, imp *model.ChatImport) error {
	imp.ImportedAt = tx.db.Now()
	return tx.c().queryRow(ctx, `INSERT INTO chat_imports (file_name, format, sha256, size, client_id, matter_id,
		imported_at, imported_by, self_wxid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		imp.FileName, imp.Format, imp.SHA256, imp.Size, optionalID(imp.ClientID), optionalID(imp.MatterID),
		imp.ImportedAt, imp.ImportedBy, imp.SelfWxID).Scan(&imp.ID)
}

// AddChatImportSkips records the records an import skipped and why.
func (tx *Tx) AddChatImportSkips(ctx context.Context, importID int64, skips []model.SkippedRecord) error {
	for _, sk := range skips {
		if _, err := tx.c().exec(ctx, `INSERT INTO chat_import_skips (import_id, record, line, reason) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, importID, sk.Record, sk.Line, sk.Reason); err != nil {
			return err
		}
	}
	return nil
}

// ChatImportSkips lists the recorded skips of an import in file order.
func (db *DB) ChatImportSkips(ctx context.Context, importID int64) ([]model.SkippedRecord, error) {
	return queryAll(ctx, db.read(), func(row scanner) (model.SkippedRecord, error) {
		var sk model.SkippedRecord
		err := row.Scan(&sk.Record, &sk.Line, &sk.Reason)
		return sk, err
	}, `SELECT record, line, reason FROM chat_import_skips WHERE import_id = ? ORDER BY record`, importID)
}

// FinishChatImport stores an import's counts.
func (tx *Tx) FinishChatImport(ctx context.Context, imp *model.ChatImport) error {
	_, err := tx.c().exec(ctx, `UPDATE chat_imports SET new_count = ?, duplicate_count = ?, skipped_count = ?
		WHERE id = ?`, imp.New, imp.Duplicate, imp.Skipped, imp.ID)
	return err
}

// ChatImports lists the imports that fed a conversation, oldest first.
func (db *DB) ChatImports(ctx context.Context, conversationID int64) ([]*model.ChatImport, error) {
	return queryAll(ctx, db.read(), func(row scanner) (*model.ChatImport, error) {
		var imp model.ChatImport
		var client, matter sql.NullInt64
		if err := row.Scan(&imp.ID, &imp.FileName, &imp.Format, &imp.SHA256, &imp.Size, &client, &matter,
			&imp.New, &imp.Duplicate, &imp.Skipped, &imp.ImportedAt, &imp.ImportedBy, &imp.SelfWxID); err != nil {
			return nil, err
		}
		imp.ClientID, imp.MatterID = client.Int64, matter.Int64
		imp.ImportedAt = imp.ImportedAt.UTC()
		return &imp, nil
	}, `SELECT i.id, i.file_name, i.format, i.sha256, i.size, i.client_id, i.matter_id,
		i.new_count, i.duplicate_count, i.skipped_count, i.imported_at, i.imported_by, i.self_wxid
		FROM chat_imports i JOIN conversation_sources s ON s.import_id = i.id
		WHERE s.conversation_id = ? ORDER BY i.id`, conversationID)
}
