package schedule_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	ical "github.com/arran4/golang-ical"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// The subscription address can be shown again (the token is kept beside
// its hash), a new one replaces it, and the feed's alarms ring at the
// lawyer's working-hours start on the alarm day; rule names are words.
func TestFeedTokenAgainAndAlarmTime(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := schedule.New(db, nil)
		zhang := principal(t, db, "zhang", model.RoleLawyer)
		if _, ok, err := svc.FeedToken(ctx, zhang); err != nil || ok {
			t.Fatalf("no feed yet: ok=%v err=%v", ok, err)
		}
		first, err := svc.NewFeedToken(ctx, zhang)
		if err != nil {
			t.Fatal(err)
		}
		again, ok, err := svc.FeedToken(ctx, zhang)
		if err != nil || !ok || again != first {
			t.Fatalf("token again = %q %v %v, issued %q", again, ok, err, first)
		}
		second, err := svc.NewFeedToken(ctx, zhang)
		if err != nil {
			t.Fatal(err)
		}
		if again, _, _ := svc.FeedToken(ctx, zhang); again != second || second == first {
			t.Fatalf("after regenerating: shown %q, new %q, old %q", again, second, first)
		}
		if _, err := svc.Feed(ctx, first, ""); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("old token still serves the feed: %v", err)
		}
		if _, err := svc.Save(ctx, zhang, schedule.SaveInput{Title: "上诉期", RuleID: "appeal-judgment", From: "2026-12-01"}); err != nil {
			t.Fatal(err)
		}
		triggers := func() ([]string, string) {
			data, err := svc.Feed(ctx, second, "https://lvxin.example")
			if err != nil {
				t.Fatal(err)
			}
			cal, err := ical.ParseCalendar(strings.NewReader(string(data)))
			if err != nil {
				t.Fatal(err)
			}
			ev := cal.Events()[0]
			var out []string
			for _, a := range ev.Alarms() {
				out = append(out, a.GetProperty(ical.ComponentPropertyTrigger).Value)
			}
			return out, ev.GetProperty(ical.ComponentPropertyDescription).Value
		}
		got, desc := triggers()
		if strings.Join(got, ",") != "-P6DT15H,-PT15H" {
			t.Errorf("default 09:00 alarms: %v", got)
		}
		if !strings.Contains(desc, "规则：民事一审判决上诉期") || strings.Contains(desc, "appeal-judgment") {
			t.Errorf("rule not in words: %q", desc)
		}
		if _, err := svc.SetPolicy(ctx, zhang, zhang.User.ID, "08:30", "17:30"); err != nil {
			t.Fatal(err)
		}
		if got, _ := triggers(); strings.Join(got, ",") != "-P6DT15H30M,-PT15H30M" {
			t.Errorf("08:30 alarms: %v", got)
		}
		if err := svc.RevokeFeed(ctx, zhang); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := svc.FeedToken(ctx, zhang); ok {
			t.Error("revoked feed still has a token")
		}
	})
}

func TestPublicURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "",
		" https://lvxin.example.cn/ ":   "https://lvxin.example.cn",
		"http://10.0.0.5:8080":          "http://10.0.0.5:8080",
		"https://firm.example/lvxin/":   "https://firm.example/lvxin",
		"ftp://firm.example":            "!",
		"firm.example":                  "!",
		"https://firm.example/?a=1":     "!",
		"https://firm.example/#x":       "!",
		"https://user:pw@firm.example":  "!",
		"https://firm.example/a b":      "!",
		"https://firm.example/\r\nX: y": "!",
	} {
		got, err := schedule.NormalizePublicURL(in)
		if want == "!" {
			if !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "公开地址") {
				t.Errorf("%q accepted as %q (%v)", in, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q = %q, %v; want %q", in, got, err, want)
		}
	}
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := schedule.New(db, nil)
		admin := principal(t, db, "admin", model.RoleAdmin)
		zhang := principal(t, db, "zhang", model.RoleLawyer)
		if err := svc.SetPublicURL(ctx, zhang, "https://x.example"); err == nil {
			t.Fatal("a lawyer set the firm's public address")
		}
		if err := svc.SetPublicURL(ctx, admin, "https://lvxin.example.cn/"); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetPublicURL(ctx, admin, "https://lvxin.example.cn"); err != nil {
			t.Fatal(err)
		}
		if v, err := svc.PublicURL(ctx); err != nil || v != "https://lvxin.example.cn" {
			t.Fatalf("public url %q %v", v, err)
		}
		events, err := db.FindAudit(ctx, store.AuditFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ev := range events {
			if ev.Action == "setting.public_url" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d audit rows for one change", n)
		}
	})
}

// FuzzNormalizePublicURL: whatever an admin types (or --public-url says)
// is refused with a Chinese error or becomes an address that is stable,
// http(s), has a host and carries no white space, query or fragment.
func FuzzNormalizePublicURL(f *testing.F) {
	for _, s := range []string{"https://lvxin.example.cn/", "http://10.0.0.5:8080", "lvxin.example", "https://a/?x#y", "https://用户@律所.cn/路径/", " \t", "https://[::1]:8080/x/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := schedule.NormalizePublicURL(in)
		if err != nil {
			if !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "公开地址") {
				t.Fatalf("%q: unexpected error %v", in, err)
			}
			return
		}
		if out == "" {
			if strings.TrimSpace(in) != "" {
				t.Fatalf("%q accepted as empty", in)
			}
			return
		}
		if again, err := schedule.NormalizePublicURL(out); err != nil || again != out {
			t.Fatalf("%q → %q is not stable: %q %v", in, out, again, err)
		}
		u, err := url.Parse(out)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" ||
			strings.ContainsAny(out, " \t\r\n") || strings.HasSuffix(out, "/") {
			t.Fatalf("%q → %q: %v", in, out, err)
		}
	})
}
