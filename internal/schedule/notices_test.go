package schedule_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/notify"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// An import that moves a deadline tells its owner, in the import's
// transaction; a deadline it does not move, nobody.
func TestCalendarChangeNotifiesTheOwner(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		svc := schedule.New(db, clock)
		svc.SetBaseYears(yearsThrough(t, 2026))
		svc.SetPoster(notify.New(db, clock))
		zhang := principal(t, db, "zhang", model.RoleLawyer)
		wang := principal(t, db, "wang", model.RoleLawyer)
		moved, err := svc.Save(ctx, zhang, schedule.SaveInput{Title: "上诉", RuleID: "appeal-judgment", From: "2027-01-24"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Save(ctx, wang, schedule.SaveInput{Title: "答辩", RuleID: "appeal-judgment", From: "2026-12-01"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.ImportHolidays(ctx, strings.NewReader(arrangement2027), "2027.json", "admin"); err != nil {
			t.Fatal(err)
		}
		list, err := db.Notifications(ctx, store.NotificationFilter{UserID: zhang.User.ID})
		if err != nil || len(list) != 1 || list[0].Kind != model.NotifyCalendarChanged || list[0].Title != "期限因节假日安排调整：上诉" ||
			!strings.Contains(list[0].Body, "2027-02-09 →") || !strings.HasSuffix(list[0].Link, "/deadlines/"+strconv.FormatInt(moved.ID, 10)) {
			t.Fatalf("zhang's notifications: %+v %v", list, err)
		}
		if list, _ := db.Notifications(ctx, store.NotificationFilter{UserID: wang.User.ID}); len(list) != 0 {
			t.Fatalf("wang's deadline did not move, yet: %+v", list)
		}
	})
}
