package schedule_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func principal(t *testing.T, db *store.DB, username string, role model.Role) *auth.Principal {
	t.Helper()
	u := &model.User{Username: username, DisplayName: username, Role: role, PasswordHash: "x"}
	if err := db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreateUser(context.Background(), u) }); err != nil {
		t.Fatal(err)
	}
	return &auth.Principal{User: u, Session: &model.Session{}}
}

func TestWorkingHours(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := schedule.New(db, nil)
		zhang := principal(t, db, "zhang", model.RoleLawyer)
		li := principal(t, db, "li", model.RoleAssistant)
		// Default 09:00-18:00 on working days: Saturday 2026-02-14 is an adjusted working day.
		at := func(s string) time.Time {
			tm, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Shanghai)
			if err != nil {
				t.Fatal(err)
			}
			return tm
		}
		cases := []struct {
			when   string
			inside bool
			next   string
		}{
			{"2026-02-14 10:00", true, ""},                  // 调休上班的周六
			{"2026-02-16 10:00", false, "2026-02-24 09:00"}, // 春节 15-23 Feb
			{"2026-03-06 18:30", false, "2026-03-09 09:00"}, // Friday evening
			{"2026-03-09 08:59", false, "2026-03-09 09:00"},
		}
		for _, c := range cases {
			st, err := svc.Status(ctx, zhang.User.ID, at(c.when))
			if err != nil {
				t.Fatal(err)
			}
			if st.Inside != c.inside || (c.next != "" && !st.NextStart.Equal(at(c.next))) {
				t.Errorf("%s: inside=%v next=%v, want %v %s", c.when, st.Inside, st.NextStart.In(calendar.Shanghai), c.inside, c.next)
			}
		}
		if _, err := svc.SetPolicy(ctx, zhang, zhang.User.ID, "08:30", "17:30"); err != nil {
			t.Fatal(err)
		}
		st, _ := svc.Status(ctx, zhang.User.ID, at("2026-03-09 08:45"))
		if !st.Inside {
			t.Fatal("08:45 outside 08:30-17:30")
		}
		if _, err := svc.SetPolicy(ctx, zhang, zhang.User.ID, "18:00", "09:00"); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("end before start: %v", err)
		}
		if _, err := svc.SetPolicy(ctx, li, zhang.User.ID, "10:00", "11:00"); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("assistant changing a lawyer's hours: %v", err)
		}
	})
}

func TestImportHolidaysIsAllOrNothing(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := schedule.New(db, nil)
		_, _, err := svc.ImportHolidays(ctx, strings.NewReader(`{"year":2027,"days":[{"name":"元旦","date":"2027-01-01","isOffDay":"yes"}]}`), "bad.json", "test")
		if err == nil {
			t.Fatal("malformed file accepted")
		}
		if years, _ := db.HolidayYears(ctx); len(years) != 0 {
			t.Fatal("malformed file stored")
		}
		y, _, err := svc.ImportHolidays(ctx, strings.NewReader(`{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`), "2027.json", "test")
		if err != nil || y.Year != 2027 {
			t.Fatal(err)
		}
		cal, err := svc.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d := cal.Day(calendar.MustDate(2027, 1, 1)); d.Workday || d.Provisional {
			t.Fatalf("imported year not used: %+v", d)
		}
		rep, _ := db.VerifyAudit(ctx)
		if !rep.OK() || rep.Rows != 1 {
			t.Fatalf("audit: %+v", rep)
		}
	})
}

func TestSaveRecomputesOnServer(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := schedule.New(db, func() time.Time { return time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC) })
		p := principal(t, db, "zhang", model.RoleLawyer)
		d, err := svc.Save(ctx, p, schedule.SaveInput{RuleID: "appeal-ruling", From: "2026-04-28"})
		if err != nil {
			t.Fatal(err)
		}
		// 10 days from 28 Apr ends 8 May (Friday; 1-5 May holiday does not stretch day counts).
		if d.DueDate != "2026-05-08" || d.Title == "" || d.OwnerID != p.User.ID {
			t.Fatalf("saved: %+v", d)
		}
		ov, err := svc.Upcoming(ctx, p)
		if err != nil || len(ov.Next7) != 1 || len(ov.Next30) != 0 || len(ov.Overdue) != 0 {
			t.Fatalf("overview on 2026-05-01: %+v %v", ov, err)
		}
		if _, err := svc.Save(ctx, p, schedule.SaveInput{RuleID: "appeal-ruling", From: "2026-04-31"}); err == nil {
			t.Fatal("impossible date saved")
		}
	})
}
