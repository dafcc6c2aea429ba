package schedule_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// arrangement2027 is a made-up 2027 notice for the test: 春节 rest from
// 02-05 to 02-13 and an adjusted working Saturday 02-20.
const arrangement2027 = `{"year":2027,"papers":[],"days":[
	{"name":"元旦","date":"2027-01-01","isOffDay":true},
	{"name":"春节","date":"2027-02-05","isOffDay":true},
	{"name":"春节","date":"2027-02-06","isOffDay":true},
	{"name":"春节","date":"2027-02-07","isOffDay":true},
	{"name":"春节","date":"2027-02-08","isOffDay":true},
	{"name":"春节","date":"2027-02-09","isOffDay":true},
	{"name":"春节","date":"2027-02-10","isOffDay":true},
	{"name":"春节","date":"2027-02-11","isOffDay":true},
	{"name":"春节","date":"2027-02-12","isOffDay":true},
	{"name":"春节","date":"2027-02-13","isOffDay":true},
	{"name":"春节","date":"2027-02-20","isOffDay":false}]}`

// yearsThrough is the embedded holiday data up to last only: the tests of
// provisional years start their services from it (SetBaseYears), so that
// they hold whatever later years a binary comes to embed.
func yearsThrough(t *testing.T, last int) []calendar.Year {
	t.Helper()
	var years []calendar.Year
	for _, y := range calendar.EmbeddedYears() {
		if y.Year <= last {
			years = append(years, y)
		}
	}
	if len(years) == 0 || years[len(years)-1].Year != last {
		t.Fatalf("the embedded data lacks %d", last)
	}
	return years
}

func TestSetBaseYears(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := schedule.New(db, nil)
		svc.SetBaseYears(yearsThrough(t, 2025))
		cal, err := svc.Calendar(ctx)
		if err != nil || !cal.HasYear(2025) || cal.HasYear(2026) || !cal.Day(calendar.MustDate(2026, 3, 2)).Provisional {
			t.Fatalf("base years through 2025: 2026 should be provisional (%v)", err)
		}
		// Imported years lie over the base years.
		if _, _, err := svc.ImportHolidays(ctx, strings.NewReader(arrangement2027), "2027.json", "admin"); err != nil {
			t.Fatal(err)
		}
		if cal, err = svc.Calendar(ctx); err != nil || !cal.HasYear(2027) || cal.HasYear(2026) {
			t.Fatalf("after importing 2027: %v", err)
		}
	})
}

func TestImportRecomputesSavedDeadlines(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
		svc := schedule.New(db, func() time.Time { return now })
		svc.SetBaseYears(yearsThrough(t, 2026)) // 2027 provisional until imported
		zhang := principal(t, db, "zhang", model.RoleLawyer)
		wang := principal(t, db, "wang", model.RoleLawyer)

		// Provisional 2027: 01-24 + 15 days = 02-08 (正月初三, fixed) → 02-09.
		later, err := svc.Save(ctx, zhang, schedule.SaveInput{Title: "上诉", RuleID: "appeal-judgment", From: "2027-01-24"})
		if err != nil || later.DueDate != "2027-02-09" || !later.Provisional || later.CalendarVersion == "" {
			t.Fatalf("provisional save: %+v %v", later, err)
		}
		// 02-10 + 10 days = Saturday 02-20 → Monday 02-22 until 02-20 turns out to be worked.
		earlier, err := svc.Save(ctx, zhang, schedule.SaveInput{Title: "裁定上诉", RuleID: "appeal-ruling", From: "2027-02-10"})
		if err != nil || earlier.DueDate != "2027-02-22" {
			t.Fatalf("provisional save: %+v %v", earlier, err)
		}
		done, err := svc.Save(ctx, zhang, schedule.SaveInput{Title: "已办", RuleID: "appeal-judgment", From: "2027-01-24"})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.SetDone(ctx, zhang, done.ID, true); err != nil {
			t.Fatal(err)
		}
		unaffected, err := svc.Save(ctx, wang, schedule.SaveInput{Title: "答辩", RuleID: "defense", From: "2026-03-02"})
		if err != nil {
			t.Fatal(err)
		}
		token, err := svc.NewFeedToken(ctx, zhang)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := svc.Feed(ctx, token, "")
		if err != nil || !strings.Contains(string(feed), "20270209") || !strings.Contains(string(feed), "20270222") {
			t.Fatalf("feed before import: %v\n%s", err, feed)
		}

		if _, _, err := svc.ImportHolidays(ctx, strings.NewReader(arrangement2027), "2027.json", "admin"); err != nil {
			t.Fatal(err)
		}

		got, _ := db.DeadlineByID(ctx, later.ID)
		if got.DueDate != "2027-02-15" || got.Provisional || got.CalendarVersion == later.CalendarVersion {
			t.Errorf("after import, 上诉 = %s provisional %v version %s", got.DueDate, got.Provisional, got.CalendarVersion)
		}
		if !strings.Contains(got.Result, "2027-02-15") || strings.Contains(got.Result, "暂定结果") {
			t.Errorf("stored result not recomputed: %s", got.Result)
		}
		got, _ = db.DeadlineByID(ctx, earlier.ID)
		if got.DueDate != "2027-02-20" || got.Provisional {
			t.Errorf("after import, 裁定上诉 = %s provisional %v", got.DueDate, got.Provisional)
		}
		if got, _ := db.DeadlineByID(ctx, done.ID); got.DueDate != "2027-02-09" {
			t.Errorf("a done deadline moved: %s", got.DueDate)
		}
		if got, _ := db.DeadlineByID(ctx, unaffected.ID); got.DueDate != unaffected.DueDate {
			t.Errorf("an unaffected deadline moved: %s", got.DueDate)
		}

		// The owner is told: dashboard entries, history, audit log.
		changes, err := svc.Changes(ctx, zhang.User.ID)
		if err != nil || len(changes) != 2 {
			t.Fatalf("changes for zhang: %v %+v", err, changes)
		}
		byTitle := map[string]*model.DeadlineChange{}
		for _, c := range changes {
			byTitle[c.Title] = c
		}
		if c := byTitle["裁定上诉"]; c == nil || !c.Earlier() || c.OldDue != "2027-02-22" || c.NewDue != "2027-02-20" || !strings.Contains(c.Reason, "2027") {
			t.Errorf("earlier move: %+v", c)
		}
		if c := byTitle["上诉"]; c == nil || c.Earlier() || c.OldDue != "2027-02-09" || !c.OldProvisional || c.NewProvisional {
			t.Errorf("later move: %+v", c)
		}
		if other, _ := svc.Changes(ctx, wang.User.ID); len(other) != 0 {
			t.Errorf("wang sees changes of zhang's deadlines: %+v", other)
		}
		if h, _ := svc.History(ctx, later.ID); len(h) != 1 || h[0].OldDue != "2027-02-09" {
			t.Errorf("history: %+v", h)
		}
		events, _ := db.FindAudit(ctx, store.AuditFilter{Action: schedule.AuditRecalculated})
		if len(events) != 2 {
			t.Fatalf("audit events: %d", len(events))
		}
		for _, ev := range events {
			if !strings.HasPrefix(ev.Detail, schedule.RecalculatedNotice) {
				t.Errorf("audit detail %q", ev.Detail)
			}
		}
		if rep, err := db.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Fatalf("audit chain: %+v", rep)
		}

		feed, err = svc.Feed(ctx, token, "")
		if err != nil || !strings.Contains(string(feed), "20270215") || !strings.Contains(string(feed), "20270220") ||
			strings.Contains(string(feed), "20270222") || !strings.Contains(string(feed), "原届满日") {
			t.Fatalf("feed after import: %v\n%s", err, feed)
		}

		// Nothing is stale any more: a second pass changes nothing.
		again, err := svc.Recompute(ctx, "系统", "启动检查")
		if err != nil || len(again) != 0 {
			t.Fatalf("second recompute: %v %+v", err, again)
		}
	})
}

// TestRecomputeOnNewerEmbeddedData stands for a deadline saved by an older
// binary (weekends only in 2027, no version): start-up recomputes it.
func TestRecomputeOnNewerEmbeddedData(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := schedule.New(db, func() time.Time { return time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC) })
		svc.SetBaseYears(yearsThrough(t, 2026)) // 2027 provisional
		p := principal(t, db, "zhang", model.RoleLawyer)
		d, err := svc.Save(ctx, p, schedule.SaveInput{RuleID: "appeal-judgment", From: "2027-01-24"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.UpdateDeadlineComputation(ctx, store.RecomputedDeadline{ID: d.ID, FromDate: d.FromDate, DueDate: "2027-02-08",
				Statute: d.Statute, Result: d.Result, Provisional: true})
		}); err != nil {
			t.Fatal(err)
		}
		changes, err := svc.Recompute(ctx, "系统", "内置节假日数据更新")
		if err != nil || len(changes) != 1 || changes[0].OldDue != "2027-02-08" || changes[0].NewDue != "2027-02-09" {
			t.Fatalf("recompute: %v %+v", err, changes)
		}
		if got, _ := db.DeadlineByID(ctx, d.ID); got.DueDate != "2027-02-09" || got.CalendarVersion == "" {
			t.Fatalf("after recompute: %+v", got)
		}
	})
}
