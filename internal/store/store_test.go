package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func fixedClock() func() time.Time {
	t := time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.UTC)
	return func() time.Time { return t }
}

func TestUsersRoundTrip(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := &model.User{Username: "zhang", DisplayName: "张三", Role: model.RoleLawyer, PasswordHash: "h"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		dup := &model.User{Username: "zhang", DisplayName: "x", Role: model.RoleAdmin, PasswordHash: "h"}
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, dup) })
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate username: got %v, want ErrConflict", err)
		}
		got, err := db.UserByUsername(ctx, "zhang")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || got.DisplayName != "张三" || got.Role != model.RoleLawyer || !got.CreatedAt.Equal(u.CreatedAt) {
			t.Fatalf("round trip: got %+v want %+v", got, u)
		}
		got.LockedUntil = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		got.TOTPEnabled = true
		got.TOTPLastStep = 42
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.UpdateUser(ctx, got) }); err != nil {
			t.Fatal(err)
		}
		again, _ := db.UserByID(ctx, u.ID)
		if !again.LockedUntil.Equal(got.LockedUntil) || !again.TOTPEnabled || again.TOTPLastStep != 42 {
			t.Fatalf("update lost: %+v", again)
		}
		if _, err := db.UserByUsername(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing user: got %v", err)
		}
	})
}

func TestUpdateRollsBackOnError(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateUser(ctx, &model.User{Username: "a", DisplayName: "a", Role: model.RoleAdmin, PasswordHash: "h"}); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, &model.AuditEvent{Actor: "a", Action: "user.create"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v", err)
		}
		if n, _ := db.CountAdmins(ctx); n != 0 {
			t.Fatalf("user survived rollback")
		}
		rep, err := db.VerifyAudit(ctx)
		if err != nil || rep.Rows != 0 || !rep.OK() {
			t.Fatalf("audit after rollback: %+v %v", rep, err)
		}
	})
}

func TestSessions(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := &model.User{Username: "li", DisplayName: "李四", Role: model.RoleAssistant, PasswordHash: "h"}
		now := db.Now()
		var s1, s2 model.Session
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			for i, s := range []*model.Session{&s1, &s2} {
				*s = model.Session{UserID: u.ID, TokenHash: "hash" + string(rune('a'+i)), CSRFToken: "c", Stage: model.StageFull,
					IP: "127.0.0.1", UserAgent: "test", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour)}
				if err := tx.CreateSession(ctx, s); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		active, err := db.ActiveSessions(ctx, u.ID, now, now.Add(-30*time.Minute))
		if err != nil || len(active) != 2 {
			t.Fatalf("active: %d %v", len(active), err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.RevokeSession(ctx, s1.ID, "self", now) }); err != nil {
			t.Fatal(err)
		}
		got, _ := db.SessionByTokenHash(ctx, "hasha")
		if got.RevokedAt.IsZero() || got.RevokedBy != "self" {
			t.Fatalf("revoke not stored: %+v", got)
		}
		var n int64
		if err := db.Update(ctx, func(tx *store.Tx) (err error) { n, err = tx.RevokeUserSessions(ctx, u.ID, "admin", now); return }); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("revoke all revoked %d, want 1", n)
		}
		active, _ = db.ActiveSessions(ctx, u.ID, now, now.Add(-30*time.Minute))
		if len(active) != 0 {
			t.Fatalf("sessions left after revoke-all: %d", len(active))
		}
	})
}

func TestSetupTokenIsOneTime(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := db.Now()
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AddSetupToken(ctx, "tok", now, now.Add(time.Hour)) }); err != nil {
			t.Fatal(err)
		}
		use := func() error {
			return db.Update(ctx, func(tx *store.Tx) error { return tx.UseSetupToken(ctx, "tok", now) })
		}
		if err := use(); err != nil {
			t.Fatal(err)
		}
		if err := use(); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("second use: %v", err)
		}
	})
}

func TestAuditChainDetectsTampering(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := 0; i < 5; i++ {
			if err := db.Audit(ctx, &model.AuditEvent{Actor: "张三", Action: "matter.view", Target: "matter/1", IP: "127.0.0.1"}); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := db.VerifyAudit(ctx)
		if err != nil || !rep.OK() || rep.Rows != 5 {
			t.Fatalf("clean log: %+v %v", rep, err)
		}
		// The log refuses edits through SQL.
		if err := store.ExecRaw(ctx, db, "UPDATE audit_log SET detail = 'x' WHERE id = 2"); err == nil {
			t.Fatal("update of audit_log was allowed")
		}
		// Tampering around the triggers is caught by verification.
		if err := store.TamperAuditForTest(ctx, db, "UPDATE audit_log SET detail = 'edited' WHERE id = 2"); err != nil {
			t.Fatal(err)
		}
		rep, _ = db.VerifyAudit(ctx)
		if rep.OK() || rep.Problems[0].ID != 2 {
			t.Fatalf("edit not detected: %+v", rep)
		}
		if err := store.TamperAuditForTest(ctx, db, "UPDATE audit_log SET detail = '' WHERE id = 2"); err != nil {
			t.Fatal(err)
		}
		if err := store.TamperAuditForTest(ctx, db, "DELETE FROM audit_log WHERE id = 3"); err != nil {
			t.Fatal(err)
		}
		rep, _ = db.VerifyAudit(ctx)
		if rep.OK() || rep.Problems[0].ID != 3 {
			t.Fatalf("deletion not detected: %+v", rep)
		}
	})
}

func TestAuditDetectsTailDeletion(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := 0; i < 3; i++ {
			if err := db.Audit(ctx, &model.AuditEvent{Actor: "a", Action: "login.ok"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.TamperAuditForTest(ctx, db, "DELETE FROM audit_log WHERE id = 3"); err != nil {
			t.Fatal(err)
		}
		rep, _ := db.VerifyAudit(ctx)
		if rep.OK() {
			t.Fatal("deleting the newest row was not detected")
		}
	})
}

func TestOpenRejectsBadDatabases(t *testing.T) {
	ctx := context.Background()
	t.Run("corrupt file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, store.SQLiteFileName), []byte(strings.Repeat("not a database ", 400)), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := store.Open(ctx, store.Options{DataDir: dir, Migrate: true})
		if !errors.Is(err, store.ErrCorrupt) {
			t.Fatalf("got %v, want ErrCorrupt", err)
		}
	})
	t.Run("foreign sqlite database", func(t *testing.T) {
		dir := t.TempDir()
		db, err := store.Open(ctx, store.Options{DataDir: dir, URL: "sqlite:" + filepath.Join(dir, "other.db"), Migrate: false})
		if err == nil {
			db.Close()
		}
		// Build a foreign database with a table of someone else's.
		if err := store.CreateForeignSQLiteForTest(filepath.Join(dir, store.SQLiteFileName)); err != nil {
			t.Fatal(err)
		}
		_, err = store.Open(ctx, store.Options{DataDir: dir, Migrate: true})
		if !errors.Is(err, store.ErrForeignDatabase) {
			t.Fatalf("got %v, want ErrForeignDatabase", err)
		}
	})
	t.Run("data dir is a file", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := store.Open(ctx, store.Options{DataDir: f, Migrate: true})
		if err == nil || !strings.Contains(err.Error(), "数据目录") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unsupported url", func(t *testing.T) {
		_, err := store.Open(ctx, store.Options{DataDir: t.TempDir(), URL: "mysql://root@localhost/x"})
		if err == nil || !strings.Contains(err.Error(), "不支持") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unreachable postgres", func(t *testing.T) {
		_, err := store.Open(ctx, store.Options{DataDir: t.TempDir(), URL: "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"})
		if err == nil || !strings.Contains(err.Error(), "无法连接") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestSchemaCheckWithoutMigrate(t *testing.T) {
	dir := t.TempDir()
	_, err := store.Open(context.Background(), store.Options{DataDir: dir, Migrate: false})
	if err == nil || !strings.Contains(err.Error(), "落后") {
		t.Fatalf("fresh database without migrate: got %v", err)
	}
}
