package inbox

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/store"
)

// ReportRow is one lawyer's week.
type ReportRow struct {
	LawyerID     int64
	Name         string
	Answered     int     // waits answered in the week
	Median       float64 // median first-response time, working minutes
	WithinTarget int     // answered within the firm's target
	Waiting      int     // conversations waiting for a reply now
}

// Share is the percentage answered within the target ("—" with none).
func (r ReportRow) Share() string {
	if r.Answered == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", float64(r.WithinTarget)*100/float64(r.Answered))
}

// MedianText formats the median ("—" with none).
func (r ReportRow) MedianText() string {
	if r.Answered == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f 分钟", r.Median)
}

// WeeklyReport is the response-time report of one week (Monday to Sunday,
// Asia/Shanghai).
type WeeklyReport struct {
	Monday, Sunday calendar.Date
	TargetMinutes  int
	Rows           []ReportRow
}

// Median returns the median of values (0 for none).
func Median(values []int) float64 {
	if len(values) == 0 {
		return 0
	}
	v := slices.Clone(values)
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return float64(v[n/2])
	}
	return float64(v[n/2-1]+v[n/2]) / 2
}

// MondayOf returns the Monday of d's week.
func MondayOf(d calendar.Date) calendar.Date {
	back := (int(d.Weekday()) + 6) % 7
	return d.AddDays(-back)
}

// Report computes the weekly response-time report of the week holding
// day: admins see every lawyer, others themselves only.
func (s *Service) Report(ctx context.Context, p *auth.Principal, day calendar.Date) (*WeeklyReport, error) {
	settings, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	mon := MondayOf(day)
	rep := &WeeklyReport{Monday: mon, Sunday: mon.AddDays(6), TargetMinutes: settings.TargetMinutes}
	var only int64
	if p != nil && !access.IsAdmin(p.Actor()) {
		only = userOf(p)
	}
	from, to := mon.In(calendar.Shanghai), mon.AddDays(7).In(calendar.Shanghai)
	resps, err := s.db.InboxResponses(ctx, only, from, to)
	if err != nil {
		return nil, err
	}
	minutes := map[int64][]int{}
	rows := map[int64]*ReportRow{}
	row := func(id int64) *ReportRow {
		if rows[id] == nil {
			rows[id] = &ReportRow{LawyerID: id, Name: s.lawyerName(ctx, id)}
		}
		return rows[id]
	}
	for _, r := range resps {
		minutes[r.LawyerID] = append(minutes[r.LawyerID], r.WorkingMinutes)
		rw := row(r.LawyerID)
		rw.Answered++
		if r.WorkingMinutes <= settings.TargetMinutes {
			rw.WithinTarget++
		}
	}
	f := store.InboxFilter{}
	if only != 0 {
		f.Narrow, f.LawyerID = true, only
	}
	convs, err := s.db.FindInboxConversations(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, c := range convs {
		if !c.WaitingSince.IsZero() && c.LawyerID != 0 && (only == 0 || c.LawyerID == only) {
			row(c.LawyerID).Waiting++
		}
	}
	if only != 0 {
		row(only)
	}
	for id, rw := range rows {
		rw.Median = Median(minutes[id])
		rep.Rows = append(rep.Rows, *rw)
	}
	slices.SortFunc(rep.Rows, func(a, b ReportRow) int { return int(a.LawyerID - b.LawyerID) })
	return rep, nil
}

// Now is the service's clock (for the web layer's default week).
func (s *Service) Now() time.Time { return s.cfg.Now() }
