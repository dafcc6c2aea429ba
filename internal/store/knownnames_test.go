package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestKnownNames(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := db.Now()
		for _, stmt := range []struct {
			q    string
			args []any
		}{
			{"INSERT INTO contacts (kind, name, organization, created_at, updated_at) VALUES ('person', '王建国', '北京某某科技有限公司', ?, ?)", []any{now, now}},
			{"INSERT INTO contacts (kind, name, created_at, updated_at) VALUES ('org', '上海某某贸易有限公司', ?, ?)", []any{now, now}},
			{"INSERT INTO contacts (kind, name, created_at, updated_at) VALUES ('person', '李', ?, ?)", []any{now, now}},
		} {
			if err := store.ExecRawArgs(ctx, db, stmt.q, stmt.args...); err != nil {
				t.Fatal(err)
			}
		}
		persons, orgs, err := db.KnownNames(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(persons, "王建国") || slices.Contains(persons, "李") {
			t.Fatalf("persons: %v", persons)
		}
		if !slices.Contains(orgs, "北京某某科技有限公司") || !slices.Contains(orgs, "上海某某贸易有限公司") {
			t.Fatalf("orgs: %v", orgs)
		}
	})
}
