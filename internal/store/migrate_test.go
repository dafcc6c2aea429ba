package store_test

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// goodMigration changes existing data and adds a table; badMigration does
// some work and then fails.
const (
	goodMigration = `-- +goose Up
-- 说明：测试用迁移：改写一项设置并新建一张表
CREATE TABLE upgrade_probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL);
INSERT INTO upgrade_probe (id, note) VALUES (1, 'added');
UPDATE settings SET value = 'changed by 900' WHERE key = 'probe';

-- +goose Down
DROP TABLE upgrade_probe;
UPDATE settings SET value = 'before' WHERE key = 'probe';
`
	badMigration = `-- +goose Up
-- 说明：测试用迁移：中途出错
UPDATE settings SET value = 'changed by 901' WHERE key = 'probe';
INSERT INTO no_such_table (x) VALUES (1);

-- +goose Down
SELECT 1;
`
)

func openEngine(t *testing.T, e storetest.Engine, opts store.Options) (*store.DB, error) {
	t.Helper()
	opts.DataDir, opts.URL = e.DataDir, e.URL
	db, err := store.Open(context.Background(), opts)
	if err == nil {
		t.Cleanup(func() { db.Close() })
	}
	return db, err
}

func probeValue(t *testing.T, db *store.DB) string {
	t.Helper()
	v, err := db.Setting(context.Background(), "probe")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestUpgradeIsAllOrNothing injects a data-changing migration followed by a
// failing one: the upgrade fails, and the database keeps its version, its
// data and its tables, exactly as before.
func TestUpgradeIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db, err := openEngine(t, e, store.Options{Migrate: true, Release: "v0.1.0"})
			if err != nil {
				t.Fatal(err)
			}
			latest, err := db.SchemaVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rel, err := db.Setting(ctx, store.ReleaseSetting); err != nil || rel != "v0.1.0" {
				t.Fatalf("release of a new database: %q %v", rel, err)
			}
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetSetting(ctx, "probe", "before") }); err != nil {
				t.Fatal(err)
			}
			db.Close()

			// Without Migrate, a pending migration is refused, not applied.
			opts, err := store.WithMigrationsForTest(store.Options{}, store.Dialect(e.Name), map[string]string{"00900_good.sql": goodMigration})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := openEngine(t, e, opts); !errors.Is(err, store.ErrSchemaOutdated) {
				t.Fatalf("open without migrate: %v, want ErrSchemaOutdated", err)
			}

			// A hook that refuses (for example a failed backup) stops the upgrade.
			opts.Migrate = true
			opts.BeforeUpgrade = func(context.Context, *store.DB, store.UpgradePlan) error { return errors.New("backup failed") }
			if _, err := openEngine(t, e, opts); err == nil || err.Error() != "backup failed" {
				t.Fatalf("refusing hook: %v", err)
			}

			// Good then bad: nothing of either remains.
			opts, err = store.WithMigrationsForTest(store.Options{Migrate: true, Release: "v0.2.0"}, store.Dialect(e.Name),
				map[string]string{"00900_good.sql": goodMigration, "00901_bad.sql": badMigration})
			if err != nil {
				t.Fatal(err)
			}
			var plan store.UpgradePlan
			opts.BeforeUpgrade = func(_ context.Context, _ *store.DB, p store.UpgradePlan) error { plan = p; return nil }
			_, err = openEngine(t, e, opts)
			if !errors.Is(err, store.ErrUpgradeFailed) || !strings.Contains(err.Error(), "00901_bad.sql") {
				t.Fatalf("failing upgrade: %v", err)
			}
			if plan.From != latest || plan.To != 901 || len(plan.Pending) != 2 ||
				plan.Pending[0].Summary != "测试用迁移：改写一项设置并新建一张表" || plan.Pending[1].Version != 901 || plan.Release != "v0.1.0" {
				t.Fatalf("plan: %+v", plan)
			}
			db, err = openEngine(t, e, store.Options{})
			if err != nil {
				t.Fatalf("reopen after failed upgrade: %v", err)
			}
			if v, err := db.SchemaVersion(ctx); err != nil || v != latest {
				t.Fatalf("version after failed upgrade: %d %v, want %d", v, err, latest)
			}
			if v := probeValue(t, db); v != "before" {
				t.Fatalf("data changed by a failed upgrade: %q", v)
			}
			if err := store.ExecRaw(ctx, db, "SELECT count(*) FROM upgrade_probe"); err == nil {
				t.Fatal("table of the failed upgrade exists")
			}
			if rel, _ := db.Setting(ctx, store.ReleaseSetting); rel != "v0.1.0" {
				t.Fatalf("release after failed upgrade: %q", rel)
			}
			db.Close()

			// The good one alone lands, with the release that made it.
			opts, err = store.WithMigrationsForTest(store.Options{Migrate: true, Release: "v0.2.0"}, store.Dialect(e.Name),
				map[string]string{"00900_good.sql": goodMigration})
			if err != nil {
				t.Fatal(err)
			}
			db, err = openEngine(t, e, opts)
			if err != nil {
				t.Fatalf("good upgrade: %v", err)
			}
			if v := probeValue(t, db); v != "changed by 900" {
				t.Fatalf("data step not applied: %q", v)
			}
			if rel, _ := db.Setting(ctx, store.ReleaseSetting); rel != "v0.2.0" {
				t.Fatalf("release after upgrade: %q", rel)
			}
			db.Close()

			// Today's binary refuses the newer database, naming both
			// versions and what to do.
			_, err = openEngine(t, e, store.Options{Migrate: true})
			if !errors.Is(err, store.ErrSchemaTooNew) {
				t.Fatalf("newer database: %v", err)
			}
			for _, want := range []string{"900", "v0.2.0", "只支持到", "备份"} {
				if !strings.Contains(err.Error(), want) {
					t.Fatalf("newer database message %q lacks %q", err, want)
				}
			}
		})
	}
}

// TestUpgradeRunsEveryMigration brings a database from version 1 to today
// through the one-transaction upgrade path, and compares its schema with a
// database created from scratch: every migration (including later ones)
// must work inside the single upgrade transaction.
func TestUpgradeRunsEveryMigration(t *testing.T) {
	ctx := context.Background()
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			fsys, err := store.MigrationsFS(store.Dialect(e.Name))
			if err != nil {
				t.Fatal(err)
			}
			entries, err := fs.ReadDir(fsys, ".")
			if err != nil {
				t.Fatal(err)
			}
			later := map[string]string{}
			for _, entry := range entries[1:] {
				later[entry.Name()] = "" // removed: the database starts at version 1
			}
			opts, err := store.WithMigrationsForTest(store.Options{Migrate: true}, store.Dialect(e.Name), later)
			if err != nil {
				t.Fatal(err)
			}
			db, err := openEngine(t, e, opts)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := db.SchemaVersion(ctx); v != 1 {
				t.Fatalf("start version %d", v)
			}
			db.Close()
			var plan store.UpgradePlan
			db, err = openEngine(t, e, store.Options{Migrate: true, BeforeUpgrade: func(_ context.Context, _ *store.DB, p store.UpgradePlan) error {
				plan = p
				return nil
			}})
			if err != nil {
				t.Fatalf("upgrade from 1: %v", err)
			}
			if plan.From != 1 || len(plan.Pending) != len(entries)-1 {
				t.Fatalf("plan %+v", plan)
			}
			for _, m := range plan.Pending {
				if m.Summary == "" || strings.Contains(m.Summary, "没有说明") {
					t.Errorf("migration %s has no Chinese summary (add a line \"-- 说明：…\" under -- +goose Up)", m.Name)
				}
			}
			upgradedSchema, err := store.SchemaForTest(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			fresh := storetest.Engines(t)
			var other storetest.Engine
			for _, f := range fresh {
				if f.Name == e.Name {
					other = f
				}
			}
			freshDB := storetest.Open(t, other, nil)
			freshSchema, err := store.SchemaForTest(ctx, freshDB)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(upgradedSchema, freshSchema) {
				for _, s := range upgradedSchema {
					if !slices.Contains(freshSchema, s) {
						t.Errorf("only after upgrade: %s", s)
					}
				}
				for _, s := range freshSchema {
					if !slices.Contains(upgradedSchema, s) {
						t.Errorf("only when fresh: %s", s)
					}
				}
			}
		})
	}
}
