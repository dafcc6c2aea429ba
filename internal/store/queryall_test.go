package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestQueryAll(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var want []string
		for _, name := range []string{"zhao", "qian", "sun"} {
			u := &model.User{Username: name, DisplayName: name, Role: model.RoleLawyer, PasswordHash: "h"}
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
				t.Fatal(err)
			}
			want = append(want, name)
		}
		scanName := func(row interface{ Scan(...any) error }) (string, error) {
			var s string
			err := row.Scan(&s)
			return s, err
		}

		got, err := store.QueryAllForTest(ctx, db, scanName, "SELECT username FROM users WHERE role = ? ORDER BY id", string(model.RoleLawyer))
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("every row in order: got %q, %v; want %q", got, err, want)
		}

		none, err := store.QueryAllForTest(ctx, db, scanName, "SELECT username FROM users WHERE username = ?", "nobody")
		if err != nil || none != nil {
			t.Fatalf("no rows: got %#v, %v; want nil, nil error", none, err)
		}

		errStop := errors.New("stop")
		calls := 0
		failing := func(row interface{ Scan(...any) error }) (string, error) {
			if calls++; calls == 2 {
				return "", errStop
			}
			return scanName(row)
		}
		partial, err := store.QueryAllForTest(ctx, db, failing, "SELECT username FROM users ORDER BY id")
		if !errors.Is(err, errStop) || partial != nil || calls != 2 {
			t.Fatalf("scan error: got %q, %v after %d rows; want nil, errStop after 2", partial, err, calls)
		}

		bad, err := store.QueryAllForTest(ctx, db, scanName, "SELECT username FROM users WHERE username = ?", "a\x00b")
		if !errors.Is(err, store.ErrInvalidText) || bad != nil {
			t.Fatalf("invalid argument: got %q, %v; want nil, ErrInvalidText", bad, err)
		}

		if _, err := store.QueryAllForTest(ctx, db, scanName, "SELECT no_such_column FROM users"); err == nil {
			t.Fatal("a failing query returned no error")
		}
	})
}
