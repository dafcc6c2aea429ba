package clientbook

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/contactio"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/profile"
	"github.com/lvxin/lvxin/internal/store"
)

// Profile returns p's professional identity (专业形象): the stored one, or a
// fresh one carrying p's display name when p never saved one.
func (s *Service) Profile(ctx context.Context, p *auth.Principal) (*model.LawyerProfile, error) {
	if p == nil || p.User == nil {
		return nil, auth.ErrForbidden
	}
	lp, err := s.db.LawyerProfile(ctx, p.User.ID)
	if errors.Is(err, store.ErrNotFound) {
		return &model.LawyerProfile{UserID: p.User.ID, Name: p.User.DisplayName, Title: "律师"}, nil
	}
	return lp, err
}

// NormalizeProfile trims a profile's fields and checks their length, the
// phone numbers and the email; practice areas are split on ; ， 、 and the like.
func NormalizeProfile(lp *model.LawyerProfile) error {
	for _, f := range []*string{&lp.Name, &lp.Nickname, &lp.Signature, &lp.FirmAbbrev, &lp.FirmName, &lp.Title, &lp.Phone,
		&lp.WorkPhone, &lp.Email, &lp.WeChatID, &lp.LicenseNumber} {
		*f = trim(*f)
	}
	if lp.Name == "" {
		return invalid("请填写真实姓名（名片上显示）")
	}
	for _, f := range []struct {
		label, value string
		max          int
	}{{"姓名", lp.Name, 50}, {"微信昵称", lp.Nickname, 50}, {"个性签名", lp.Signature, 100}, {"律所简称", lp.FirmAbbrev, 30},
		{"律所全称", lp.FirmName, 100}, {"职务", lp.Title, 30}, {"手机", lp.Phone, 40}, {"办公电话", lp.WorkPhone, 40},
		{"邮箱", lp.Email, 200}, {"微信号", lp.WeChatID, 100}, {"执业证号", lp.LicenseNumber, 30}} {
		if err := checkLen(f.label, f.value, f.max); err != nil {
			return err
		}
	}
	for _, phone := range []string{lp.Phone, lp.WorkPhone} {
		if phone != "" {
			if err := contactio.ValidPhone(phone); err != nil {
				return fmt.Errorf("%w：%w", model.ErrInvalidInput, err)
			}
		}
	}
	if lp.Email != "" {
		if err := contactio.ValidEmail(lp.Email); err != nil {
			return fmt.Errorf("%w：%w", model.ErrInvalidInput, err)
		}
	}
	var areas []string
	seen := map[string]bool{}
	for _, a := range lp.PracticeAreas {
		for _, part := range SplitAreas(a) {
			if part = trim(part); part != "" && !seen[part] {
				if err := checkLen("执业领域", part, 20); err != nil {
					return err
				}
				seen[part] = true
				areas = append(areas, part)
			}
		}
	}
	if len(areas) > 10 {
		return invalid("执业领域最多 10 个")
	}
	lp.PracticeAreas = areas
	return nil
}

// SplitAreas splits a list of practice areas on ; ； , ， 、 and line breaks.
func SplitAreas(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(";；,，、\n\r", r) })
}

// SaveProfile validates and stores p's own professional identity.
func (s *Service) SaveProfile(ctx context.Context, p *auth.Principal, lp *model.LawyerProfile) error {
	if p == nil || p.User == nil {
		return auth.ErrForbidden
	}
	lp.UserID = p.User.ID
	if err := NormalizeProfile(lp); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveLawyerProfile(ctx, lp); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "profile.save", fmt.Sprintf("user/%d", lp.UserID), lp.Nickname))
	})
}

// ProfileFindings checks the nickname and signature against the firm's
// conventions and the publicity rules (internal/profile).
func ProfileFindings(lp *model.LawyerProfile) []profile.Finding {
	return profile.Check(lp.Nickname, lp.Signature, lp.FirmAbbrev)
}

// Card is what the lawyer's contact card (vCard and QR code) shows.
func Card(lp *model.LawyerProfile) profile.Lawyer {
	firm := lp.FirmName
	if firm == "" {
		firm = lp.FirmAbbrev
	}
	return profile.Lawyer{Name: lp.Name, Firm: firm, Title: lp.Title, Phone: lp.Phone, WorkPhone: lp.WorkPhone,
		Email: lp.Email, WeChatID: lp.WeChatID, LicenseNumber: lp.LicenseNumber, PracticeAreas: lp.PracticeAreas}
}
