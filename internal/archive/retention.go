package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Settings keys of the firm.
const (
	// SettingRecipients holds the age public keys (one a line) that the
	// automatic monthly archives are encrypted to.
	SettingRecipients = "chat_archive_recipients"
	// SettingRetentionMonths is how many months after its last message an
	// archived conversation may be deleted; empty or 0 keeps everything.
	SettingRetentionMonths = "chat_retention_months"
)

// ErrNotArchived: a conversation has months not covered by an archive.
var ErrNotArchived = errors.New("会话尚未完整归档")

// archivedMonths is the set of months with a recorded archive.
func (s *Service) archivedMonths(ctx context.Context) (map[string]bool, error) {
	list, err := s.DB.ChatArchives(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, a := range list {
		out[a.Month] = true
	}
	return out, nil
}

// monthsOf lists the months (Asia/Shanghai) from first to last.
func monthsOf(first, last time.Time) []string {
	var out []string
	m := time.Date(first.In(Shanghai).Year(), first.In(Shanghai).Month(), 1, 0, 0, 0, 0, Shanghai)
	for !m.After(last) {
		out = append(out, m.Format("2006-01"))
		m = m.AddDate(0, 1, 0)
	}
	return out
}

// Deletable reports whether a conversation may be deleted now: every month
// it has messages in is archived and the retention period since its last
// message has passed.
func (s *Service) Deletable(ctx context.Context, c *model.ConversationSummary, now time.Time) error {
	archived, err := s.archivedMonths(ctx)
	if err != nil {
		return err
	}
	if c.Messages > 0 {
		for _, m := range monthsOf(c.FirstAt, c.LastAt) {
			if !archived[m] {
				return fmt.Errorf("%w：%s 月尚无归档", ErrNotArchived, m)
			}
		}
	}
	months := 0
	if v, err := s.DB.Setting(ctx, SettingRetentionMonths); err == nil {
		months, _ = strconv.Atoi(strings.TrimSpace(v))
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if months <= 0 {
		return fmt.Errorf("%w：本所未设置保存期限（%s），聊天记录永久保存", model.ErrInvalidInput, SettingRetentionMonths)
	}
	if until := c.LastAt.AddDate(0, months, 0); now.Before(until) {
		return fmt.Errorf("%w：保存期限至 %s", model.ErrInvalidInput, until.In(Shanghai).Format("2006-01-02"))
	}
	return nil
}

// DeleteConversation deletes an archived conversation whose retention has
// passed. Only an administrator may; the deletion is audited in the same
// transaction.
func (s *Service) DeleteConversation(ctx context.Context, p *auth.Principal, id int64, actor Actor, now time.Time) error {
	if err := access.Administer(p.Actor()); err != nil {
		return err
	}
	c, err := s.DB.ConversationByID(ctx, id)
	if err != nil {
		return err
	}
	if err := s.Deletable(ctx, c, now); err != nil {
		return err
	}
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		n, err := tx.DeleteConversation(ctx, id)
		if err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: actor.ID, Actor: actor.Name, IP: actor.IP,
			Action: "chat.delete", Target: fmt.Sprintf("conversation:%d", id),
			Detail: fmt.Sprintf("%s（%s）：删除 %d 条消息（已归档，超过保存期限）", c.Title, c.Key, n)})
	})
}

// AutoArchiveDays is how many days into a month the server still produces
// the previous month's archive when it has not yet.
const AutoArchiveDays = 7

// ErrNoArchiveDue is AutoArchive's answer when there is nothing to do: the
// first days of the month are over, the month is archived already, or no
// recipient is configured.
var ErrNoArchiveDue = errors.New("无需自动归档")

// AutoArchive produces the previous month's archive into the blob store,
// encrypted to the firm's configured recipients, and records it, when it is
// within the first days of a month and no archive of that month exists.
// When there is nothing to do it returns ErrNoArchiveDue (wrapped with the
// reason).
func (s *Service) AutoArchive(ctx context.Context, now time.Time) (*model.ChatArchive, error) {
	local := now.In(Shanghai)
	if local.Day() > AutoArchiveDays {
		return nil, fmt.Errorf("%w：已过每月前 %d 天", ErrNoArchiveDue, AutoArchiveDays)
	}
	month := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, Shanghai).AddDate(0, -1, 0).Format("2006-01")
	archived, err := s.archivedMonths(ctx)
	if err != nil {
		return nil, err
	}
	if archived[month] {
		return nil, fmt.Errorf("%w：%s 已归档", ErrNoArchiveDue, month)
	}
	v, err := s.DB.Setting(ctx, SettingRecipients)
	if errors.Is(err, store.ErrNotFound) || strings.TrimSpace(v) == "" {
		return nil, fmt.Errorf("%w：未配置归档接收人", ErrNoArchiveDue)
	} else if err != nil {
		return nil, err
	}
	keys := strings.Fields(v)
	recipients, err := ParseRecipients(keys)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	var manifest *Manifest
	go func() {
		m, err := s.ExportMonth(ctx, month, recipients, pw, now)
		manifest = m
		pw.CloseWithError(err)
		done <- err
	}()
	ref, err := s.Blobs.Put(ctx, pr)
	pr.CloseWithError(err)
	if exportErr := <-done; exportErr != nil {
		return nil, exportErr
	}
	if err != nil {
		return nil, err
	}
	a := &model.ChatArchive{Month: month, Recipients: keys, BlobSHA256: ref.SHA256, Size: ref.Size,
		Messages: manifest.Messages, CreatedBy: model.ActorSystem}
	err = s.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddChatArchive(ctx, a); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{Actor: model.ActorSystem, Action: "chat.archive.auto", Target: "month:" + month,
			Detail: fmt.Sprintf("自动归档：%d 个会话，%d 条消息，SHA-256 %s", manifest.Conversations, manifest.Messages, ref.SHA256)})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// RunAutoArchive checks every interval (and at once) whether a monthly
// archive is due, until ctx ends. A produced archive or an error goes to
// report; ErrNoArchiveDue does not.
func (s *Service) RunAutoArchive(ctx context.Context, interval time.Duration, now func() time.Time, report func(*model.ChatArchive, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if a, err := s.AutoArchive(ctx, now()); !errors.Is(err, ErrNoArchiveDue) {
			report(a, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
