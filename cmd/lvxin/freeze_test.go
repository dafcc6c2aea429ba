package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// TestUserFreezeCommand: `lvxin user freeze NAME` ends the user's sessions
// and refuses their sign-in; `lvxin user unfreeze NAME` lets them back in.
func TestUserFreezeCommand(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	const pw = "correct horse battery"
	var token string
	withDB := func(fn func(db *store.DB, a *auth.Service)) {
		t.Helper()
		db, err := store.Open(ctx, store.Options{DataDir: dir, Migrate: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		fn(db, auth.New(db, nil))
	}
	cli := func(args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		code := run(ctx, append([]string{"--data", dir}, args...), &out, &errOut)
		return out.String(), errOut.String(), code
	}
	if _, stderr, code := cli("audit", "verify"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	withDB(func(db *store.DB, a *auth.Service) {
		if _, err := a.CreateUser(ctx, nil, auth.NewUser{Username: "wang", DisplayName: "王主任", Role: model.RoleAdmin, Password: pw}, auth.Client{}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.CreateUser(ctx, nil, auth.NewUser{Username: "zhang", DisplayName: "张律师", Role: model.RoleLawyer, Password: pw}, auth.Client{}); err != nil {
			t.Fatal(err)
		}
		res, err := a.Login(ctx, "zhang", pw, auth.Client{IP: "10.0.0.1"})
		if err != nil {
			t.Fatal(err)
		}
		token = res.Token
	})
	out, stderr, code := cli("user", "freeze", "zhang")
	if code != 0 || !strings.Contains(out, "已紧急冻结 zhang：1 个会话已下线") || !strings.Contains(out, "weixin110.qq.com") {
		t.Fatalf("freeze: %d %q %q", code, out, stderr)
	}
	if out, _, _ := cli("user", "list"); !strings.Contains(out, "已紧急冻结") {
		t.Fatalf("list does not show the freeze: %q", out)
	}
	withDB(func(db *store.DB, a *auth.Service) {
		if _, err := a.Authenticate(ctx, token, auth.Client{IP: "10.0.0.1"}); !errors.Is(err, auth.ErrNoSession) {
			t.Fatalf("session survived the freeze: %v", err)
		}
		if _, err := a.Login(ctx, "zhang", pw, auth.Client{IP: "10.0.0.2"}); !errors.Is(err, auth.ErrFrozen) {
			t.Fatalf("frozen user signed in: %v", err)
		}
		evs, err := db.FindAudit(ctx, store.AuditFilter{Action: "user.freeze"})
		if err != nil || len(evs) != 1 || evs[0].Actor != model.ActorCLI {
			t.Fatalf("audit: %v %+v", err, evs)
		}
		// The admins hear of it in the notification centre (security).
		admin, err := db.UserByUsername(ctx, "wang")
		if err != nil {
			t.Fatal(err)
		}
		notes, err := db.Notifications(ctx, store.NotificationFilter{UserID: admin.ID})
		if err != nil || len(notes) != 1 || notes[0].Kind != model.NotifySecurity || notes[0].Title != "用户已紧急冻结：张律师" ||
			!strings.HasPrefix(notes[0].Link, "/admin/users/") {
			t.Fatalf("admin notifications: %v %+v", err, notes)
		}
	})
	if _, stderr, code := cli("user", "freeze", "nobody"); code == 0 || stderr == "" {
		t.Fatalf("freeze of an unknown user: %d %q", code, stderr)
	}
	out, stderr, code = cli("user", "unfreeze", "zhang")
	if code != 0 || !strings.Contains(out, "已解除 zhang 的紧急冻结") {
		t.Fatalf("unfreeze: %d %q %q", code, out, stderr)
	}
	if _, stderr, code := cli("user", "unfreeze", "zhang"); code == 0 || !strings.Contains(stderr, "该用户未被冻结") {
		t.Fatalf("second unfreeze: %d %q", code, stderr)
	}
	withDB(func(db *store.DB, a *auth.Service) {
		if _, err := a.Login(ctx, "zhang", pw, auth.Client{IP: "10.0.0.3"}); err != nil {
			t.Fatalf("login after unfreeze: %v", err)
		}
	})
}
