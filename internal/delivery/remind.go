package delivery

import (
	"context"
	"fmt"
	"time"

	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// ReminderDue is when a confidential document sent at sentAt and still
// unconfirmed is reminded of: one working day later (the next working
// day, at the same time of day in Shanghai).
func ReminderDue(cal *calendar.Calendar, sentAt time.Time) time.Time {
	local := sentAt.In(calendar.Shanghai)
	day := calendar.DateOf(local)
	next := cal.AddWorkdays(day, 1).In(calendar.Shanghai)
	return next.Add(local.Sub(day.In(calendar.Shanghai)))
}

// RemindUnconfirmed notifies the sender of each link to a confidential
// document or trade secret that is still unconfirmed one working day after
// it was sent (once per link, the mark and the notification in one
// transaction). It returns how many reminders went out. serve calls it
// periodically.
func (s *Service) RemindUnconfirmed(ctx context.Context) (int, error) {
	cal, err := s.cfg.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	// One working day is at least a calendar day.
	candidates, err := s.cfg.DB.UnconfirmedConfidential(ctx, now.Add(-24*time.Hour))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range candidates {
		if now.Before(ReminderDue(cal, d.SentAt)) {
			continue
		}
		doc, err := s.cfg.DB.Document(ctx, d.DocumentID)
		if err != nil {
			return sent, err
		}
		marked := false
		err = s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
			ok, err := tx.MarkDeliveryReminded(ctx, d.ID, now)
			if err != nil || !ok {
				return err
			}
			marked = true
			if d.IssuedByID == 0 || s.cfg.NotifyTx == nil {
				return nil
			}
			return s.cfg.NotifyTx(ctx, tx, model.Notification{UserID: d.IssuedByID, Kind: model.NotifyDeliveryUnconfirmed, MatterID: d.MatterID,
				Title: fmt.Sprintf("%s文件未确认收悉：%s", doc.Classification.Label(), doc.Title),
				Body: fmt.Sprintf("%s 发给 %s 的“%s”已过一个工作日仍未确认收悉%s。", d.SentAt.In(calendar.Shanghai).Format("2006-01-02 15:04"),
					d.Recipient, doc.Title, map[bool]string{true: "（对方尚未打开链接）"}[d.FirstOpenedAt.IsZero()]),
				Link: fmt.Sprintf("/deliveries/%d", d.ID), DedupKey: fmt.Sprintf("delivery.unconfirmed/%d", d.ID)})
		})
		if err != nil {
			return sent, err
		}
		if marked {
			sent++
		}
	}
	return sent, nil
}

// RunReminders calls RemindUnconfirmed now and then every interval until
// ctx ends, reporting each outcome to report.
func (s *Service) RunReminders(ctx context.Context, interval time.Duration, report func(n int, err error)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		n, err := s.RemindUnconfirmed(ctx)
		if ctx.Err() != nil {
			return
		}
		report(n, err)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
