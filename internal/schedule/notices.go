package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Poster posts a notification inside a workflow's transaction
// (*notify.Service is one); the schedule posts "deadline due" and
// "calendar changed" notifications through it.
type Poster interface {
	PostTx(ctx context.Context, tx *store.Tx, n model.Notification) error
}

// SetPoster makes the service post notifications through p (nil: none).
// Call it before the service is used.
func (s *Service) SetPoster(p Poster) { s.poster = p }

// dueNoticeBatch bounds the deadlines one round of NotifyDue reads.
const dueNoticeBatch = 5000

// NotifyDue posts one "deadline due" notification per open deadline due
// today or tomorrow (Asia/Shanghai) to its owner, the lawyer responsible
// for it. It is idempotent per deadline and day (the notification's dedup
// key), so the job may run as often as it likes; it returns how many
// deadlines it looked at.
func (s *Service) NotifyDue(ctx context.Context) (int, error) {
	if s.poster == nil {
		return 0, nil
	}
	today := s.Today()
	tomorrow := today.AddDays(1)
	list, err := s.db.DueDeadlines(ctx, today.String(), tomorrow.String(), dueNoticeBatch)
	if err != nil {
		return 0, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		for _, d := range list {
			when := "今日"
			if d.DueDate == tomorrow.String() {
				when = "明日"
			}
			body := "届满日 " + d.DueDate
			if d.MatterRef != "" {
				body += "，" + d.MatterRef
			}
			n := model.Notification{UserID: d.OwnerID, Kind: model.NotifyDeadlineDue, Title: fmt.Sprintf("期限%s到期：%s", when, d.Title),
				Body: body, Link: fmt.Sprintf("/deadlines/%d", d.ID), MatterID: d.MatterID,
				DedupKey: fmt.Sprintf("deadline.due:%d:%s", d.ID, today)}
			if err := s.poster.PostTx(ctx, tx, n); err != nil {
				return err
			}
		}
		return nil
	})
	return len(list), err
}

// RunDueNotices runs NotifyDue now and then every interval until ctx ends;
// failures go to report.
func (s *Service) RunDueNotices(ctx context.Context, interval time.Duration, report func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.NotifyDue(ctx); err != nil && ctx.Err() == nil && report != nil {
			report(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// postCalendarChanged tells a deadline's owner, inside tx, that new holiday
// data moved it.
func postCalendarChanged(ctx context.Context, tx *store.Tx, p Poster, d *model.Deadline, c *model.DeadlineChange) error {
	if p == nil {
		return nil
	}
	return p.PostTx(ctx, tx, model.Notification{UserID: d.OwnerID, Kind: model.NotifyCalendarChanged,
		Title: "期限因节假日安排调整：" + d.Title, Body: describeChange(c), Link: fmt.Sprintf("/deadlines/%d", d.ID), MatterID: d.MatterID})
}
