// Package schedule owns the deadline workflow of lvxin: the Chinese working
// calendar with the firm's imported holiday years, computing deadlines with
// internal/deadline and saving them against a lawyer (and later a matter),
// the lists of what is overdue or due soon, and each user's personal
// iCalendar feed. The rules themselves live in internal/calendar and
// internal/deadline; this package adds storage, access and audit.
package schedule

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/deadline"
	"github.com/lvxin/lvxin/internal/ics"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Service implements the workflow on a store.
type Service struct {
	db  *store.DB
	now func() time.Time
	// base, when set, replaces the embedded holiday years (SetBaseYears).
	base []calendar.Year
	// poster, when set, receives the schedule's notifications (SetPoster).
	poster Poster
}

// New returns a Service; now may be nil for time.Now.
func New(db *store.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now}
}

// Today is the current date in Asia/Shanghai.
func (s *Service) Today() calendar.Date { return calendar.DateOf(s.now().In(calendar.Shanghai)) }

// SetBaseYears makes the service's calendars start from these years
// instead of the embedded ones (the firm's imported years still lie over
// them): tests give their own holiday data, so that they hold whatever
// years a binary embeds. Call it before the service is used.
func (s *Service) SetBaseYears(years []calendar.Year) { s.base = slices.Clone(years) }

// Calendar returns the embedded holiday data (or SetBaseYears') with the
// firm's imported years laid over it.
func (s *Service) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	overrides, err := importedYears(ctx, s.db)
	if err != nil {
		return nil, err
	}
	return s.calendarOf(overrides)
}

// calendarOf builds the service's calendar with overrides laid over its
// base years.
func (s *Service) calendarOf(overrides []calendar.Year) (*calendar.Calendar, error) {
	if s.base == nil {
		return calendar.New(overrides...)
	}
	return calendar.Of(append(slices.Clone(s.base), overrides...)...)
}

// LoadCalendar builds the calendar of a database (nil: embedded data only).
func LoadCalendar(ctx context.Context, db *store.DB) (*calendar.Calendar, error) {
	if db == nil {
		return calendar.Default(), nil
	}
	overrides, err := importedYears(ctx, db)
	if err != nil {
		return nil, err
	}
	return calendar.New(overrides...)
}

// importedYears reads the years imported into db.
func importedYears(ctx context.Context, db *store.DB) ([]calendar.Year, error) {
	rows, err := db.HolidayYears(ctx)
	if err != nil {
		return nil, err
	}
	var years []calendar.Year
	for _, row := range rows {
		y, err := calendar.ParseHolidayCN(strings.NewReader(row.Data), fmt.Sprintf("数据库中 %d 年的节假日数据", row.Year))
		if err != nil {
			return nil, err
		}
		years = append(years, y)
	}
	return years, nil
}

// ImportHolidays validates a holiday-cn file and stores its year, replacing
// the embedded data for that year, and recomputes every open deadline in the
// same transaction; it returns the deadlines moved. A malformed file changes
// nothing.
func (s *Service) ImportHolidays(ctx context.Context, r io.Reader, source, actor string) (calendar.Year, []*model.DeadlineChange, error) {
	y, err := calendar.ParseHolidayCN(r, source)
	if err != nil {
		return calendar.Year{}, nil, err
	}
	var buf bytes.Buffer
	if err := calendar.WriteHolidayCN(&buf, y); err != nil {
		return calendar.Year{}, nil, err
	}
	// The combined calendar must still build before anything is stored.
	existing, err := s.db.HolidayYears(ctx)
	if err != nil {
		return calendar.Year{}, nil, err
	}
	var overrides []calendar.Year
	for _, row := range existing {
		if row.Year == y.Year {
			continue
		}
		old, err := calendar.ParseHolidayCN(strings.NewReader(row.Data), "db")
		if err != nil {
			return calendar.Year{}, nil, err
		}
		overrides = append(overrides, old)
	}
	cal, err := s.calendarOf(append(overrides, y))
	if err != nil {
		return calendar.Year{}, nil, err
	}
	// The year and every open deadline it moves change together.
	var changes []*model.DeadlineChange
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutHolidayYear(ctx, &model.HolidayYear{Year: y.Year, Data: buf.String(), Source: source, ImportedBy: actor}); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, &model.AuditEvent{Actor: actor, Action: "calendar.import",
			Target: fmt.Sprintf("holidays/%d", y.Year), Detail: fmt.Sprintf("%s（%d 个日期）", source, len(y.Days))}); err != nil {
			return err
		}
		changes, err = recomputeTx(ctx, tx, cal, s.poster, actor, fmt.Sprintf("导入 %d 年节假日安排", y.Year))
		return err
	})
	if err != nil {
		return calendar.Year{}, nil, err
	}
	return y, changes, nil
}

// Compute runs a rule on the firm's calendar. from is YYYY-MM-DD.
func (s *Service) Compute(ctx context.Context, ruleID, from string, foreign bool) (deadline.Result, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return deadline.Result{}, err
	}
	return deadline.ComputeText(cal, ruleID, from, deadline.Options{Foreign: foreign})
}

// SaveInput is a deadline to compute and save.
type SaveInput struct {
	Title     string
	MatterID  int64 // 0 while the deadline stands alone
	MatterRef string
	RuleID    string
	From      string
	Foreign   bool
	TriggerID int64 // the chain trigger it follows from, if any
}

// Save computes the deadline anew on the server (a client's figure is
// never trusted) and saves it for the signed-in user.
func (s *Service) Save(ctx context.Context, p *auth.Principal, in SaveInput) (*model.Deadline, error) {
	var d *model.Deadline
	err := s.db.Update(ctx, func(tx *store.Tx) (err error) {
		d, err = s.SaveTx(ctx, tx, p, in)
		return err
	})
	return d, err
}

// SaveTx is Save inside a caller's transaction, for workflows whose change
// and deadline must land together (closing a matter and its
// group-dissolution deadline).
func (s *Service) SaveTx(ctx context.Context, tx *store.Tx, p *auth.Principal, in SaveInput) (*model.Deadline, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	return saveTx(ctx, tx, cal, p, p.User.ID, in)
}

// saveTx computes and saves a deadline owned by ownerID, audited as p.
func saveTx(ctx context.Context, tx *store.Tx, cal *calendar.Calendar, p *auth.Principal, ownerID int64, in SaveInput) (*model.Deadline, error) {
	res, err := deadline.ComputeText(cal, in.RuleID, in.From, deadline.Options{Foreign: in.Foreign})
	if err != nil {
		return nil, err
	}
	title := strings.TrimSpace(in.Title)
	if title == "" {
		title = res.RuleName
	}
	if utf8.RuneCountInString(title) > 200 || utf8.RuneCountInString(in.MatterRef) > 200 {
		return nil, fmt.Errorf("%w：标题和案件说明各不超过 200 字", model.ErrInvalidInput)
	}
	resultJSON, err := json.Marshal(res)
	if err != nil {
		return nil, err
	}
	d := &model.Deadline{OwnerID: ownerID, MatterID: in.MatterID, MatterRef: strings.TrimSpace(in.MatterRef), Title: title,
		RuleID: res.Rule, FromDate: res.From.String(), Foreign: res.Foreign, DueDate: res.Due.String(), Statute: res.Statute,
		Result: string(resultJSON), Provisional: res.Provisional, CalendarVersion: cal.Version(), TriggerID: in.TriggerID}
	if err := tx.CreateDeadline(ctx, d); err != nil {
		return nil, err
	}
	if err := tx.AppendAudit(ctx, &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, Action: "deadline.create",
		Target: fmt.Sprintf("deadline/%d", d.ID), Detail: fmt.Sprintf("%s %s → %s", d.RuleID, d.FromDate, d.DueDate)}); err != nil {
		return nil, err
	}
	return d, nil
}

// SetDone marks a deadline done (or open again). Only its owner or an admin
// may.
func (s *Service) SetDone(ctx context.Context, p *auth.Principal, id int64, done bool) error {
	d, err := s.db.DeadlineByID(ctx, id)
	if err != nil {
		return err
	}
	if err := access.ViewDeadline(p.Actor(), d); err != nil {
		return err
	}
	status := model.DeadlineOpen
	if done {
		status = model.DeadlineDone
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetDeadlineStatus(ctx, id, status, s.now()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, Action: "deadline." + string(status),
			Target: fmt.Sprintf("deadline/%d", id)})
	})
}

// Overview is what a lawyer must watch: open deadlines that are overdue, due
// within 7 days, and due within 30 days (the 7-day ones excluded).
type Overview struct {
	Today   calendar.Date
	Overdue []*model.Deadline
	Next7   []*model.Deadline
	Next30  []*model.Deadline
	Later   []*model.Deadline
}

// Upcoming lists a user's open deadlines by urgency.
func (s *Service) Upcoming(ctx context.Context, p *auth.Principal) (*Overview, error) {
	list, err := s.db.FindDeadlines(ctx, store.DeadlineFilter{OwnerID: p.User.ID, Status: model.DeadlineOpen})
	if err != nil {
		return nil, err
	}
	today := s.Today()
	ov := &Overview{Today: today}
	in7, in30 := today.AddDays(7).String(), today.AddDays(30).String()
	for _, d := range list {
		switch {
		case d.DueDate < today.String():
			ov.Overdue = append(ov.Overdue, d)
		case d.DueDate <= in7:
			ov.Next7 = append(ov.Next7, d)
		case d.DueDate <= in30:
			ov.Next30 = append(ov.Next30, d)
		default:
			ov.Later = append(ov.Later, d)
		}
	}
	return ov, nil
}

// NewFeedToken issues the user's secret iCalendar feed token; any earlier
// token stops working.
func (s *Service) NewFeedToken(ctx context.Context, p *auth.Principal) (string, error) {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetCalendarFeed(ctx, p.User.ID, hashToken(token), token); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, Action: "calendar.feed_new", Target: "user/" + p.User.Username})
	})
	return token, err
}

// FeedToken returns p's current feed token, so the subscription page can
// show the address again: "" with ok true for a feed issued before tokens
// were kept (regenerate it to see an address), ok false when p has no feed.
func (s *Service) FeedToken(ctx context.Context, p *auth.Principal) (token string, ok bool, err error) {
	token, err = s.db.CalendarFeedToken(ctx, p.User.ID)
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	return token, err == nil, err
}

// RevokeFeed stops the user's feed.
func (s *Service) RevokeFeed(ctx context.Context, p *auth.Principal) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteCalendarFeed(ctx, p.User.ID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, Action: "calendar.feed_revoke", Target: "user/" + p.User.Username})
	})
}

// Feed renders the iCalendar feed behind a token: the user's open
// deadlines, each an all-day event with alarms 7 days and 1 day before.
// An unknown token is store.ErrNotFound.
func (s *Service) Feed(ctx context.Context, token, baseURL string) ([]byte, error) {
	userID, err := s.db.CalendarFeedUser(ctx, hashToken(token))
	if err != nil {
		return nil, err
	}
	list, err := s.db.FindDeadlines(ctx, store.DeadlineFilter{OwnerID: userID, Status: model.DeadlineOpen})
	if err != nil {
		return nil, err
	}
	changes, err := s.db.FindDeadlineChanges(ctx, store.DeadlineChangeFilter{OwnerID: userID, OpenOnly: true})
	if err != nil {
		return nil, err
	}
	firstDue := map[int64]string{} // the due date before the oldest change
	for _, c := range changes {    // newest first
		if c.Cause == model.CauseCalendar {
			firstDue[c.DeadlineID] = c.OldDue
		}
	}
	// Alarms ring at the start of the lawyer's working day, not at the
	// midnight an all-day event begins.
	pol, err := s.Policy(ctx, userID)
	if err != nil {
		return nil, err
	}
	feed := ics.Feed{Name: "律信 · 期限", AlarmTime: pol.Start}
	for _, d := range list {
		due, err := calendar.ParseDate(d.DueDate)
		if err != nil {
			return nil, err
		}
		ruleName := d.RuleID
		if rule, ok := deadline.Lookup(d.RuleID); ok {
			ruleName = rule.Name
		}
		desc := fmt.Sprintf("%s\n规则：%s\n依据：%s\n起算日：%s", d.Title, ruleName, d.Statute, d.FromDate)
		if d.MatterRef != "" {
			desc += "\n案件：" + d.MatterRef
		}
		if d.Provisional {
			desc += "\n注意：所涉年份的节假日安排尚未公布，到期日为暂定，请在公布后核对。"
		}
		if old, ok := firstDue[d.ID]; ok && old != d.DueDate {
			desc += fmt.Sprintf("\n%s（原届满日 %s）。", RecalculatedNotice, old)
		}
		ev := ics.Event{UID: fmt.Sprintf("deadline-%d@lvxin", d.ID), Date: due, Summary: "【期限】" + d.Title, Description: desc}
		if baseURL != "" {
			ev.URL = strings.TrimRight(baseURL, "/") + "/deadlines"
		}
		feed.Events = append(feed.Events, ev)
	}
	var buf bytes.Buffer
	if err := ics.Write(&buf, feed, s.now()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
