package delivery

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/store"
)

// Receipt is the proof of service (送达凭证) of a link, a UTF-8 text file
// to preserve as evidence (the web hands it to the evidence intake with
// the matter, so it is logged, timestamped and exported like any item).
type Receipt struct {
	DeliveryID int64
	MatterID   int64
	FileName   string
	Title      string
	Content    []byte
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "（无）"
	}
	return t.In(calendar.Shanghai).Format("2006-01-02 15:04:05") + "（北京时间）"
}

// Receipt builds the proof of service of a link of a matter actor may see.
func (s *Service) Receipt(ctx context.Context, actor *auth.Principal, client auth.Client, id int64) (*Receipt, error) {
	d, events, err := s.Delivery(ctx, actor, client, id)
	if err != nil {
		return nil, err
	}
	doc, err := s.cfg.DB.Document(ctx, d.DocumentID)
	if err != nil {
		return nil, err
	}
	m, err := s.cfg.DB.MatterByID(ctx, d.MatterID)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	line := func(label, value string) { fmt.Fprintf(&b, "%s：%s\n", label, value) }
	b.WriteString("送达凭证（律信文件安全传输记录）\n\n")
	line("案件", m.Ref())
	line("文件名称", doc.Title)
	line("文件名", doc.FileName)
	line("密级", doc.Classification.Label())
	line("文件 SHA-256", doc.SHA256)
	line("文件大小", fmt.Sprintf("%d 字节", doc.Size))
	if d.Watermark {
		line("送达文件（加收件人水印）SHA-256", d.FileSHA256)
	}
	line("收件人", d.Recipient)
	if d.NDAID != 0 {
		if nda, err := s.cfg.DB.NDA(ctx, d.NDAID); err == nil {
			line("保密协议", fmt.Sprintf("签署人 %s，签署日期 %s，文件 SHA-256 %s", nda.Recipient, nda.SignedOn, nda.SHA256))
		}
	}
	line("发送人", d.IssuedBy)
	line("发送时间", fmtTime(d.SentAt))
	line("链接有效期至", fmtTime(d.ExpiresAt))
	line("访问码", map[bool]string{true: "需要（另行告知收件人）", false: "不需要"}[d.CodeHash != ""])
	line("首次打开", fmtTime(d.FirstOpenedAt))
	line("首次下载", fmtTime(d.FirstDownloadedAt))
	if d.ConfirmedAt.IsZero() {
		line("确认收悉", "尚未确认")
	} else {
		line("确认收悉", fmtTime(d.ConfirmedAt)+"，确认人："+d.ConfirmedName)
	}
	if !d.RevokedAt.IsZero() {
		line("撤回", fmtTime(d.RevokedAt)+"，"+d.RevokedBy)
	}
	b.WriteString("\n访问记录（时间、事件、IP 地址、浏览器）：\n")
	for _, e := range events {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s", fmtTime(e.At), e.Label(), e.IP, e.UserAgent)
		if e.Detail != "" {
			fmt.Fprintf(&b, "\t%s", e.Detail)
		}
		b.WriteByte('\n')
	}
	if len(events) == 0 {
		b.WriteString("（无）\n")
	}
	fmt.Fprintf(&b, "\n本凭证生成于 %s。\n", fmtTime(s.now()))
	return &Receipt{DeliveryID: d.ID, MatterID: d.MatterID, Content: []byte(b.String()),
		FileName: fmt.Sprintf("送达凭证-%d-%s.txt", d.ID, safeName(doc.Title)),
		Title:    fmt.Sprintf("送达凭证：%s（收件人 %s）", doc.Title, d.Recipient)}, nil
}

// safeName keeps a title usable in a file name.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40])
	}
	return s
}

// MarkPreserved records the evidence item that preserved a link's proof of
// service.
func (s *Service) MarkPreserved(ctx context.Context, actor *auth.Principal, client auth.Client, id, evidenceID int64) error {
	if _, _, err := s.Delivery(ctx, actor, client, id); err != nil {
		return err
	}
	return s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetDeliveryEvidence(ctx, id, evidenceID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, client, "delivery.preserve", fmt.Sprintf("delivery/%d", id),
			fmt.Sprintf("送达凭证已保全为证据 #%d", evidenceID))
	})
}
