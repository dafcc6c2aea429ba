package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// ErrNDAMissing refuses to send a confidential document or a trade secret
// to a recipient without a signed NDA on record for the matter.
var ErrNDAMissing = errors.New("收件人没有已签署的保密协议")

// ndaMissing is the refusal with its reason; it is ErrNDAMissing.
type ndaMissing struct{ reason string }

func (e ndaMissing) Error() string        { return e.reason }
func (e ndaMissing) Is(target error) bool { return target == ErrNDAMissing }

// Link validity bounds, in days.
const (
	DefaultValidDays = 7
	MaxValidDays     = 30
)

// SendInput is the send form.
type SendInput struct {
	MatterID   int64
	DocumentID int64
	Recipient  string
	ValidDays  int  // 1..MaxValidDays; 0 means DefaultValidDays
	AccessCode bool // require a six-digit code, shown once to the sender
	Watermark  bool // PDFs only: the recipient's name on every page
}

// Sent is a new link: the token for its address and the access code to
// tell the recipient separately ("" when none). Neither is stored.
type Sent struct {
	Delivery *model.Delivery
	Token    string
	Code     string
}

// Send issues a link to one recipient. A confidential document or a trade
// secret goes only to a recipient with a signed NDA on record for the
// matter (checked in the writing transaction); a refusal says why, keeps
// nothing and is audited (delivery.refused).
func (s *Service) Send(ctx context.Context, actor *auth.Principal, client auth.Client, in SendInput) (*Sent, error) {
	recipient, err := cleanText("收件人", in.Recipient, true)
	if err != nil {
		return nil, err
	}
	if in.ValidDays == 0 {
		in.ValidDays = DefaultValidDays
	}
	if in.ValidDays < 1 || in.ValidDays > MaxValidDays {
		return nil, fmt.Errorf("%w：“有效期”应为 1 至 %d 天", model.ErrInvalidInput, MaxValidDays)
	}
	if in.DocumentID <= 0 {
		return nil, fmt.Errorf("%w：请选择要发送的文件", model.ErrInvalidInput)
	}
	m, err := s.matter(ctx, actor, client, in.MatterID, "发送案件文件")
	if err != nil {
		return nil, err
	}
	doc, err := s.cfg.DB.Document(ctx, in.DocumentID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && doc.MatterID != m.ID) {
		return nil, fmt.Errorf("%w：所选文件不属于本案件，请重新选择", model.ErrInvalidInput)
	}
	if err != nil {
		return nil, err
	}
	key, err := s.Key()
	if err != nil {
		return nil, err
	}
	// A refusal for want of an NDA is decided before any watermarking work,
	// and again in the transaction (an NDA cannot be withdrawn today, but
	// the rule is the transaction's).
	if doc.Classification.NeedsNDA() {
		if _, err := s.ndaFor(ctx, m.ID, recipient); errors.Is(err, store.ErrNotFound) {
			return nil, s.refuseNoNDA(ctx, actor, client, doc, recipient)
		} else if err != nil {
			return nil, err
		}
	}
	fileSHA, fileSize := doc.SHA256, doc.Size
	if in.Watermark {
		ref, err := s.watermark(ctx, doc, recipient)
		if err != nil {
			return nil, err
		}
		fileSHA, fileSize = ref.SHA256, ref.Size
	}
	now := s.now()
	uid, uname := actorOf(actor)
	tok := Token{Nonce: newNonce(), Expires: now.Add(time.Duration(in.ValidDays) * 24 * time.Hour).Truncate(time.Second)}
	d := &model.Delivery{DocumentID: doc.ID, MatterID: m.ID, Recipient: recipient, NonceHash: tok.NonceHash(),
		Watermark: in.Watermark, FileSHA256: fileSHA, FileSize: fileSize, IssuedByID: uid, IssuedBy: uname,
		SentAt: now, ExpiresAt: tok.Expires}
	code := ""
	if in.AccessCode {
		code = newCode()
		d.CodeHash = key.codeHash(d.NonceHash, code)
	}
	err = s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if doc.Classification.NeedsNDA() {
			nda, err := tx.NDAFor(ctx, m.ID, RecipientKey(recipient))
			if err != nil {
				return err
			}
			d.NDAID = nda.ID
		}
		if err := tx.CreateDelivery(ctx, d); err != nil {
			return err
		}
		detail := fmt.Sprintf("发送文件“%s”（%s）给 %s，有效期至 %s", doc.Title, doc.Classification.Label(), recipient,
			d.ExpiresAt.In(calendar.Shanghai).Format("2006-01-02 15:04"))
		if code != "" {
			detail += "，需访问码"
		}
		if d.Watermark {
			detail += "，加水印"
		}
		return s.audit(ctx, tx, actor, client, "delivery.send", fmt.Sprintf("delivery/%d", d.ID), detail)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, s.refuseNoNDA(ctx, actor, client, doc, recipient)
	}
	if err != nil {
		return nil, err
	}
	tok.DeliveryID = d.ID
	return &Sent{Delivery: d, Token: key.Sign(tok), Code: code}, nil
}

func (s *Service) ndaFor(ctx context.Context, matterID int64, recipient string) (*model.NDA, error) {
	return s.cfg.DB.NDAFor(ctx, matterID, RecipientKey(recipient))
}

// refuseNoNDA audits a send refused by the NDA gate and returns the reason.
func (s *Service) refuseNoNDA(ctx context.Context, actor *auth.Principal, client auth.Client, doc *model.Document, recipient string) error {
	uid, uname := actorOf(actor)
	reason := fmt.Sprintf("“%s”为%s文件，收件人“%s”在本案没有已签署的保密协议记录，不能发送。请先在案件页登记与该收件人签署的保密协议",
		doc.Title, doc.Classification.Label(), recipient)
	if err := s.cfg.DB.Audit(ctx, &model.AuditEvent{ActorID: uid, Actor: uname, Action: "delivery.refused",
		Target: fmt.Sprintf("document/%d", doc.ID), Detail: "拒绝发送：" + reason, IP: client.IP}); err != nil {
		return err
	}
	return fmt.Errorf("%w：%w", model.ErrInvalidInput, ndaMissing{reason})
}

// Delivery returns a link of a matter actor may see, with its events.
func (s *Service) Delivery(ctx context.Context, actor *auth.Principal, client auth.Client, id int64) (*model.Delivery, []*model.DeliveryEvent, error) {
	d, err := s.cfg.DB.Delivery(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, s.deny(ctx, actor, client, fmt.Sprintf("delivery/%d", id), "查看传输记录")
	}
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.matter(ctx, actor, client, d.MatterID, fmt.Sprintf("查看传输记录 #%d", id)); err != nil {
		return nil, nil, err
	}
	events, err := s.cfg.DB.DeliveryEvents(ctx, id)
	return d, events, err
}

// Revoke ends a link of a matter actor may see. Revoking a revoked link
// changes nothing.
func (s *Service) Revoke(ctx context.Context, actor *auth.Principal, client auth.Client, id int64) error {
	d, _, err := s.Delivery(ctx, actor, client, id)
	if err != nil {
		return err
	}
	uid, uname := actorOf(actor)
	return s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		return s.revokeTx(ctx, tx, d, uid, uname, client, "撤回文件传输链接")
	})
}

func (s *Service) revokeTx(ctx context.Context, tx *store.Tx, d *model.Delivery, byID int64, by string, client auth.Client, why string) error {
	now := s.now()
	ok, err := tx.RevokeDelivery(ctx, d.ID, by, now)
	if err != nil || !ok {
		return err
	}
	if err := tx.AddDeliveryEvent(ctx, &model.DeliveryEvent{DeliveryID: d.ID, Kind: model.DeliveryRevoked, At: now,
		IP: client.IP, Detail: by + "：" + why}); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: byID, Actor: by, Action: "delivery.revoke", Target: fmt.Sprintf("delivery/%d", d.ID),
		Detail: fmt.Sprintf("%s（收件人 %s）", why, d.Recipient), IP: client.IP})
}

// RevokeIssuedBy revokes every live link userID issued, in one
// transaction (the emergency freeze calls it).
func (s *Service) RevokeIssuedBy(ctx context.Context, userID int64) error {
	return s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		live, err := tx.LiveDeliveriesIssuedBy(ctx, userID, s.now())
		if err != nil {
			return err
		}
		for _, d := range live {
			if err := s.revokeTx(ctx, tx, d, 0, model.ActorSystem, auth.Client{}, "紧急冻结：撤回该用户发出的全部文件传输链接"); err != nil {
				return err
			}
		}
		return nil
	})
}
