package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/notify"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// The bell counts what is unread; opening a notification marks it read and
// follows its link; nobody opens or marks another user's notification.
func TestNotificationBell(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		ctx := context.Background()
		zhang, err := db.UserByUsername(ctx, "zhang")
		if err != nil {
			t.Fatal(err)
		}
		centre := notify.New(db, nil)
		for _, title := range []string{"期限今日到期：上诉期", "期限明日到期：举证期限"} {
			if err := centre.Post(ctx, model.Notification{UserID: zhang.ID, Kind: model.NotifyDeadlineDue, Title: title, Link: "/deadlines"}); err != nil {
				t.Fatal(err)
			}
		}
		list, err := db.Notifications(ctx, store.NotificationFilter{UserID: zhang.ID})
		if err != nil || len(list) != 2 {
			t.Fatalf("notifications: %v %v", list, err)
		}

		c := newClient(t, ts.URL)
		c.login("zhang")
		_, body, _ := c.get("/")
		if !strings.Contains(body, `<span class="bell-count">2</span>`) {
			t.Fatalf("the bell does not count 2 unread on the dashboard:\n%s", body)
		}
		_, body, _ = c.get("/notifications")
		if !strings.Contains(body, "期限今日到期：上诉期") || !strings.Contains(body, "期限到期") {
			t.Fatalf("the notification page lacks the notifications:\n%s", body)
		}

		// The admin may not open zhang's notification, nor mark it read.
		admin := newClient(t, ts.URL)
		admin.login("admin")
		if code, _, _ := admin.get("/notifications/" + strconv.FormatInt(list[0].ID, 10)); code != http.StatusNotFound {
			t.Fatalf("another user opening a notification: %d, want 404", code)
		}
		tok := admin.csrf("/notifications")
		if code, _, _ := admin.post("/notifications/read", url.Values{"csrf_token": {tok}, "id": {strconv.FormatInt(list[0].ID, 10)}}); code != http.StatusNotFound {
			t.Fatalf("another user marking a notification read: %d, want 404", code)
		}

		code, _, h := c.get("/notifications/" + strconv.FormatInt(list[0].ID, 10))
		if code != http.StatusSeeOther || h.Get("Location") != "/deadlines" {
			t.Fatalf("opening a notification: %d → %q, want 303 → /deadlines", code, h.Get("Location"))
		}
		_, body, _ = c.get("/")
		if !strings.Contains(body, `<span class="bell-count">1</span>`) {
			t.Fatal("the bell did not drop to 1 after opening one")
		}
		tok = c.csrf("/notifications")
		if code, _, _ := c.post("/notifications/read", url.Values{"csrf_token": {tok}}); code != http.StatusSeeOther {
			t.Fatalf("mark all read: %d", code)
		}
		_, body, _ = c.get("/")
		if strings.Contains(body, "bell-count") {
			t.Fatal("the bell still counts after marking all read")
		}
	})
}
