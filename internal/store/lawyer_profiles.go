package store

import (
	"context"
	"strings"

	"github.com/lvxin/lvxin/internal/model"
)

const profileColumns = `user_id, name, nickname, signature, firm_abbrev, firm_name, title, phone, work_phone, email,
	wechat_id, license_number, practice_areas, updated_at`

// LawyerProfile returns a lawyer's stored professional identity;
// ErrNotFound when the lawyer never saved one.
func (db *DB) LawyerProfile(ctx context.Context, userID int64) (*model.LawyerProfile, error) {
	var p model.LawyerProfile
	var areas string
	err := db.read().queryRow(ctx, "SELECT "+profileColumns+" FROM lawyer_profiles WHERE user_id = ?", userID).Scan(
		&p.UserID, &p.Name, &p.Nickname, &p.Signature, &p.FirmAbbrev, &p.FirmName, &p.Title, &p.Phone, &p.WorkPhone,
		&p.Email, &p.WeChatID, &p.LicenseNumber, &areas, &p.UpdatedAt)
	if err != nil {
		return nil, notFound(err)
	}
	if areas != "" {
		p.PracticeAreas = strings.Split(areas, "\n")
	}
	p.UpdatedAt = p.UpdatedAt.UTC()
	return &p, nil
}

// SaveLawyerProfile creates or replaces a lawyer's professional identity
// and sets UpdatedAt. Practice areas must not contain line breaks.
func (tx *Tx) SaveLawyerProfile(ctx context.Context, p *model.LawyerProfile) error {
	p.UpdatedAt = tx.db.Now()
	_, err := tx.c().exec(ctx, `INSERT INTO lawyer_profiles (`+profileColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, nickname = excluded.nickname,
		signature = excluded.signature, firm_abbrev = excluded.firm_abbrev, firm_name = excluded.firm_name,
		title = excluded.title, phone = excluded.phone, work_phone = excluded.work_phone, email = excluded.email,
		wechat_id = excluded.wechat_id, license_number = excluded.license_number,
		practice_areas = excluded.practice_areas, updated_at = excluded.updated_at`,
		p.UserID, p.Name, p.Nickname, p.Signature, p.FirmAbbrev, p.FirmName, p.Title, p.Phone, p.WorkPhone, p.Email,
		p.WeChatID, p.LicenseNumber, strings.Join(p.PracticeAreas, "\n"), p.UpdatedAt)
	return err
}
