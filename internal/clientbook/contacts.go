package clientbook

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/contactio"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// ReviewInterval is how long a contact may go without its quarterly review
// (每季度整理通讯录).
const ReviewInterval = 90 * 24 * time.Hour

// NormalizeContact trims a contact's fields and checks them: kind, name,
// 统一社会信用代码 (GB 32100 check character), 身份证号, phone, email and
// tags. USCC and ID number are upper-cased first.
func NormalizeContact(c *model.Contact) error {
	for _, f := range []*string{&c.Name, &c.WeChatID, &c.WeComExternalUserID, &c.Phone, &c.Email, &c.Organization,
		&c.USCC, &c.IDNumber, &c.Notes, &c.Source, &c.Avatar} {
		*f = trim(*f)
	}
	c.USCC = strings.ToUpper(c.USCC)
	c.IDNumber = strings.ToUpper(c.IDNumber)
	if !c.Kind.Valid() {
		return invalid("类型应为个人或机构")
	}
	if c.Name == "" {
		return invalid("名称不能为空")
	}
	for _, f := range []struct {
		label, value string
		max          int
	}{{"名称", c.Name, 200}, {"微信号", c.WeChatID, 100}, {"企业微信 ID", c.WeComExternalUserID, 100},
		{"手机", c.Phone, 40}, {"邮箱", c.Email, 200}, {"单位", c.Organization, 200}, {"备注", c.Notes, 5000},
		{"来源", c.Source, 200}, {"头像", c.Avatar, 500}} {
		if err := checkLen(f.label, f.value, f.max); err != nil {
			return err
		}
	}
	if c.USCC != "" {
		if err := contactio.ValidUSCC(c.USCC); err != nil {
			return fmt.Errorf("%w：%w", model.ErrInvalidInput, err)
		}
	}
	if c.IDNumber != "" {
		if err := contactio.ValidIDNumber(c.IDNumber); err != nil {
			return fmt.Errorf("%w：%w", model.ErrInvalidInput, err)
		}
	}
	if c.Phone != "" {
		if err := contactio.ValidPhone(c.Phone); err != nil {
			return fmt.Errorf("%w：%w", model.ErrInvalidInput, err)
		}
	}
	if c.Email != "" {
		if err := contactio.ValidEmail(c.Email); err != nil {
			return fmt.Errorf("%w：%w", model.ErrInvalidInput, err)
		}
	}
	tags, err := NormalizeTags(c.Tags)
	if err != nil {
		return err
	}
	c.Tags = tags
	return nil
}

// NormalizeTags trims tags, drops empty and repeated ones, and refuses the
// file separator ';' and over-long tags.
func NormalizeTags(in []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, t := range in {
		t = trim(t)
		if t == "" || seen[t] {
			continue
		}
		if strings.ContainsAny(t, ";；,，") {
			return nil, invalid("标签“%s”不能含分号或逗号", t)
		}
		if err := checkLen("标签", t, 20); err != nil {
			return nil, err
		}
		seen[t] = true
		out = append(out, t)
	}
	if len(out) > 20 {
		return nil, invalid("一个联系人最多 20 个标签")
	}
	return out, nil
}

// SplitTags splits a form or CLI tag list on ; ； , ，.
func SplitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '；' || r == ',' || r == '，' })
}

// CreateContact validates and saves a new contact.
func (s *Service) CreateContact(ctx context.Context, p *auth.Principal, c *model.Contact) error {
	if err := NormalizeContact(c); err != nil {
		return err
	}
	if c.Source == "" {
		c.Source = "手工录入"
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateContact(ctx, c); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, audit(p, "contact.create", fmt.Sprintf("contact/%d", c.ID), c.Name)); err != nil {
			return err
		}
		_, err := s.linkPartiesTx(ctx, tx, model.ActorSystem)
		return err
	})
}

// UpdateContact validates and saves a contact's fields and tags.
func (s *Service) UpdateContact(ctx context.Context, p *auth.Principal, c *model.Contact) error {
	if err := NormalizeContact(c); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateContact(ctx, c); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, audit(p, "contact.update", fmt.Sprintf("contact/%d", c.ID), c.Name)); err != nil {
			return err
		}
		_, err := s.linkPartiesTx(ctx, tx, model.ActorSystem)
		return err
	})
}

// SetStar stars (星标) or unstars a contact.
func (s *Service) SetStar(ctx context.Context, p *auth.Principal, id int64, starred bool) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetContactStar(ctx, id, starred); err != nil {
			return err
		}
		action := "contact.star"
		if !starred {
			action = "contact.unstar"
		}
		return tx.AppendAudit(ctx, audit(p, action, fmt.Sprintf("contact/%d", id), ""))
	})
}

// MarkReviewed records that p reviewed the contact now.
func (s *Service) MarkReviewed(ctx context.Context, p *auth.Principal, id int64) error {
	uid, _ := actor(p)
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.MarkContactReviewed(ctx, id, uid, s.now()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "contact.review", fmt.Sprintf("contact/%d", id), ""))
	})
}

// ReviewQueue lists contacts not reviewed within ReviewInterval, the
// longest-unreviewed (never reviewed) first.
func (s *Service) ReviewQueue(ctx context.Context, limit int) ([]*model.Contact, error) {
	return s.db.FindContacts(ctx, store.ContactFilter{ReviewDue: s.now().Add(-ReviewInterval), Limit: limit})
}

// Contact returns one contact.
func (s *Service) Contact(ctx context.Context, id int64) (*model.Contact, error) {
	return s.db.ContactByID(ctx, id)
}

// Contacts lists contacts.
func (s *Service) Contacts(ctx context.Context, f store.ContactFilter) ([]*model.Contact, error) {
	return s.db.FindContacts(ctx, f)
}

// ContactMatters lists the matters a contact is a party of that p may see,
// newest first; closed ones carry their service period and type.
func (s *Service) ContactMatters(ctx context.Context, p *auth.Principal, contactID int64) ([]*model.Matter, error) {
	all, err := s.db.FindMatters(ctx, store.MatterFilter{ContactID: contactID})
	if err != nil {
		return nil, err
	}
	var out []*model.Matter
	for _, m := range all {
		if access.ViewMatter(p.Actor(), m) == nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// ImportContacts reads a CSV or XLSX file (by its name's extension) and
// stores every contact in one transaction. A bad row rejects the whole file:
// the error names the row and the reason, and nothing is stored.
func (s *Service) ImportContacts(ctx context.Context, p *auth.Principal, r io.Reader, name string) (int, error) {
	var list []model.Contact
	var err error
	base := filepath.Base(name)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		list, err = contactio.ReadCSV(r, base)
	case ".xlsx":
		list, err = contactio.ReadXLSX(r, base)
	default:
		return 0, invalid("只能导入 .csv 或 .xlsx 文件，而不是 %s", base)
	}
	if err != nil {
		return 0, fmt.Errorf("%w：%w（整个文件未导入）", model.ErrInvalidInput, err)
	}
	for i := range list {
		list[i].Source = "导入：" + base
		if err := NormalizeContact(&list[i]); err != nil {
			return 0, fmt.Errorf("%s 第%d行（“%s”）：%w（整个文件未导入）", base, i+2, list[i].Name, err)
		}
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		for i := range list {
			if err := tx.CreateContact(ctx, &list[i]); err != nil {
				return err
			}
		}
		if err := tx.AppendAudit(ctx, audit(p, "contact.import", "contacts", fmt.Sprintf("%s：%d 个联系人", base, len(list)))); err != nil {
			return err
		}
		_, err := s.linkPartiesTx(ctx, tx, model.ActorSystem)
		return err
	})
	if err != nil {
		return 0, err
	}
	return len(list), nil
}

// Export formats.
const (
	FormatCSV   = "csv"
	FormatXLSX  = "xlsx"
	FormatVCard = "vcf"
)

// ExportContacts writes every contact as CSV, XLSX or vCard; the export is
// audited (who took the client book out, and how much of it).
func (s *Service) ExportContacts(ctx context.Context, p *auth.Principal, w io.Writer, format string) (int, error) {
	list, err := s.db.FindContacts(ctx, store.ContactFilter{})
	if err != nil {
		return 0, err
	}
	flat := make([]model.Contact, len(list))
	for i, c := range list {
		flat[i] = *c
	}
	var write func(io.Writer, []model.Contact) error
	switch format {
	case FormatCSV:
		write = contactio.WriteCSV
	case FormatXLSX:
		write = contactio.WriteXLSX
	case FormatVCard:
		write = contactio.WriteVCard
	default:
		return 0, invalid("导出格式应为 csv、xlsx 或 vcf")
	}
	if err := s.db.Audit(ctx, audit(p, "contact.export", "contacts", fmt.Sprintf("%s：%d 个联系人", format, len(flat)))); err != nil {
		return 0, err
	}
	return len(flat), write(w, flat)
}
