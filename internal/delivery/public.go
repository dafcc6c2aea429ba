package delivery

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Refusals of the public link page (no login: the token is the key).
var (
	ErrExpired    = errors.New("链接已过期，请联系发送文件的律师重新发送")
	ErrRevoked    = errors.New("链接已被撤回，请联系发送文件的律师")
	ErrCodeNeeded = errors.New("请输入访问码")
	ErrBadCode    = errors.New("访问码错误")
	ErrCodeLocked = errors.New("访问码错误次数过多，请 15 分钟后再试")
)

// Access code throttling: after MaxCodeFailures wrong codes in a row the
// link refuses codes for CodeLockout.
const (
	MaxCodeFailures = 5
	CodeLockout     = 15 * time.Minute
)

// Link is what the recipient's page shows.
type Link struct {
	Delivery  *model.Delivery
	Document  *model.Document
	Sender    string // the issuing lawyer's display name
	NeedsCode bool
	Unlocked  bool // no code needed, or the right one was entered
}

// resolve checks a token: its signature, that it names an existing link
// with the same nonce, and that the link is live. Every refusal is
// audited with where it came from (delivery.link.denied).
func (s *Service) resolve(ctx context.Context, token string, client auth.Client) (*model.Delivery, error) {
	key, err := s.Key()
	if err != nil {
		return nil, err
	}
	tok, err := key.Parse(token)
	var d *model.Delivery
	if err == nil {
		d, err = s.cfg.DB.Delivery(ctx, tok.DeliveryID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && subtle.ConstantTimeCompare([]byte(d.NonceHash), []byte(tok.NonceHash())) != 1) {
			err = ErrBadToken
		}
	}
	switch {
	case err == nil && !d.RevokedAt.IsZero():
		err = ErrRevoked
	case err == nil && !s.now().Before(d.ExpiresAt):
		err = ErrExpired
	}
	if err == nil {
		return d, nil
	}
	if !errors.Is(err, ErrBadToken) && !errors.Is(err, ErrRevoked) && !errors.Is(err, ErrExpired) {
		return nil, err
	}
	target := "delivery/?"
	if d != nil && !errors.Is(err, ErrBadToken) {
		target = fmt.Sprintf("delivery/%d", d.ID)
	}
	if aerr := s.cfg.DB.Audit(ctx, &model.AuditEvent{Actor: "访客", Action: "delivery.link.denied", Target: target,
		Detail: "拒绝打开文件传输链接：" + err.Error() + "；" + truncate(client.UserAgent, 200), IP: client.IP}); aerr != nil {
		return nil, aerr
	}
	return nil, err
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func (s *Service) link(ctx context.Context, d *model.Delivery, unlock string) (*Link, error) {
	doc, err := s.cfg.DB.Document(ctx, d.DocumentID)
	if err != nil {
		return nil, err
	}
	l := &Link{Delivery: d, Document: doc, Sender: d.IssuedBy, NeedsCode: d.CodeHash != ""}
	if d.IssuedByID != 0 {
		if u, err := s.cfg.DB.UserByID(ctx, d.IssuedByID); err == nil && u.DisplayName != "" {
			l.Sender = u.DisplayName
		}
	}
	key, err := s.Key()
	if err != nil {
		return nil, err
	}
	l.Unlocked = !l.NeedsCode || (unlock != "" && key.CheckUnlock(d.NonceHash, unlock))
	return l, nil
}

func (s *Service) event(ctx context.Context, tx *store.Tx, d *model.Delivery, kind string, client auth.Client, detail string) error {
	return tx.AddDeliveryEvent(ctx, &model.DeliveryEvent{DeliveryID: d.ID, Kind: kind, At: s.now(), IP: client.IP,
		UserAgent: truncate(client.UserAgent, 500), Detail: detail})
}

// Open resolves a link for its page and logs the open (time, IP, browser).
// unlock is the browser's unlock cookie ("" when none).
func (s *Service) Open(ctx context.Context, token string, client auth.Client, unlock string) (*Link, error) {
	d, err := s.resolve(ctx, token, client)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		return s.event(ctx, tx, d, model.DeliveryOpened, client, "")
	}); err != nil {
		return nil, err
	}
	if d.FirstOpenedAt.IsZero() {
		d.FirstOpenedAt = s.now()
	}
	return s.link(ctx, d, unlock)
}

// CheckCode compares an access code in constant time and returns the
// unlock cookie value. Wrong codes are logged and audited; after
// MaxCodeFailures in a row the link refuses codes for CodeLockout.
func (s *Service) CheckCode(ctx context.Context, token, code string, client auth.Client) (string, error) {
	d, err := s.resolve(ctx, token, client)
	if err != nil {
		return "", err
	}
	key, err := s.Key()
	if err != nil {
		return "", err
	}
	if d.CodeHash == "" {
		return "", nil
	}
	code = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, code))
	var result error
	err = s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		cur, err := tx.Delivery(ctx, d.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if now.Before(cur.CodeLockedUntil) {
			result = ErrCodeLocked
			return nil
		}
		if subtle.ConstantTimeCompare([]byte(key.codeHash(cur.NonceHash, code)), []byte(cur.CodeHash)) == 1 {
			return tx.SetDeliveryCodeState(ctx, d.ID, 0, time.Time{})
		}
		failures, locked := cur.CodeFailures+1, time.Time{}
		result = ErrBadCode
		if failures >= MaxCodeFailures {
			failures, locked, result = 0, now.Add(CodeLockout), ErrCodeLocked
		}
		if err := tx.SetDeliveryCodeState(ctx, d.ID, failures, locked); err != nil {
			return err
		}
		if err := s.event(ctx, tx, d, model.DeliveryBadCode, client, ""); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{Actor: "访客", Action: "delivery.code.denied",
			Target: fmt.Sprintf("delivery/%d", d.ID), Detail: "文件传输链接访问码错误" + map[bool]string{true: "，已暂停 15 分钟"}[!locked.IsZero()], IP: client.IP})
	})
	if err != nil {
		return "", err
	}
	if result != nil {
		return "", result
	}
	return key.UnlockValue(d.NonceHash), nil
}

// Download opens the file of a link for the recipient and logs the
// download. The caller streams it and closes it.
func (s *Service) Download(ctx context.Context, token string, client auth.Client, unlock string) (*Link, io.ReadCloser, error) {
	d, err := s.resolve(ctx, token, client)
	if err != nil {
		return nil, nil, err
	}
	l, err := s.link(ctx, d, unlock)
	if err != nil {
		return nil, nil, err
	}
	if !l.Unlocked {
		return nil, nil, ErrCodeNeeded
	}
	rc, err := s.cfg.Blobs.Open(d.FileSHA256)
	if err != nil {
		return nil, nil, err
	}
	if err := s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		return s.event(ctx, tx, d, model.DeliveryDownloaded, client, "")
	}); err != nil {
		rc.Close()
		return nil, nil, err
	}
	return l, rc, nil
}

// Confirm records the recipient's receipt confirmation (确认收悉) with the
// name they typed, and notifies the lawyer who sent the link. Confirming
// twice keeps the first.
func (s *Service) Confirm(ctx context.Context, token, name string, client auth.Client, unlock string) (*Link, error) {
	name, err := cleanText("姓名", name, true)
	if err != nil {
		return nil, err
	}
	d, err := s.resolve(ctx, token, client)
	if err != nil {
		return nil, err
	}
	l, err := s.link(ctx, d, unlock)
	if err != nil {
		return nil, err
	}
	if !l.Unlocked {
		return nil, ErrCodeNeeded
	}
	now := s.now()
	first := false
	err = s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if first, err = tx.ConfirmDelivery(ctx, d.ID, name, now); err != nil || !first {
			return err
		}
		if err := s.event(ctx, tx, d, model.DeliveryConfirmed, client, name); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, &model.AuditEvent{Actor: "访客", Action: "delivery.confirm", Target: fmt.Sprintf("delivery/%d", d.ID),
			Detail: fmt.Sprintf("收件人确认收悉“%s”：%s", l.Document.Title, name), IP: client.IP}); err != nil {
			return err
		}
		// The lawyer's notification lands with the confirmation or not at all.
		if d.IssuedByID == 0 || s.cfg.NotifyTx == nil {
			return nil
		}
		return s.cfg.NotifyTx(ctx, tx, model.Notification{UserID: d.IssuedByID, Kind: model.NotifyReceiptConfirmed, MatterID: d.MatterID,
			Title: fmt.Sprintf("已确认收悉：%s", l.Document.Title),
			Body: fmt.Sprintf("%s 于 %s 确认收悉“%s”（收件人：%s）。", name, now.In(calendar.Shanghai).Format("2006-01-02 15:04"),
				l.Document.Title, d.Recipient),
			Link: fmt.Sprintf("/matters/%d#matter-documents", d.MatterID)})
	})
	if err != nil {
		return nil, err
	}
	if cur, err := s.cfg.DB.Delivery(ctx, d.ID); err == nil {
		l.Delivery = cur
	}
	return l, nil
}
