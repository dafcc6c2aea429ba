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

// TestUpgradeRebuildsSQLiteTableWithoutCascade: a migration that rebuilds
// a table the SQLite way (new table, copy, drop, rename) must not delete
// the rows that refer to it, and a migration that leaves a dangling
// reference is refused as a whole. (PostgreSQL changes tables in place with
// ALTER TABLE, so this is SQLite's own case.)
func TestUpgradeRebuildsSQLiteTableWithoutCascade(t *testing.T) {
	ctx := context.Background()
	e := storetest.Engines(t)[0]
	const parentChild = `-- +goose Up
-- 说明：测试用：父表与子表
CREATE TABLE probe_parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE probe_child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES probe_parent(id) ON DELETE CASCADE);
INSERT INTO probe_parent (id, name) VALUES (1, 'a'), (2, 'b');
INSERT INTO probe_child (id, parent_id) VALUES (10, 1), (11, 1), (12, 2);
-- +goose Down
DROP TABLE probe_child;
DROP TABLE probe_parent;
`
	const rebuild = `-- +goose Up
-- 说明：测试用：重建父表（增加一列）
CREATE TABLE probe_parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');
INSERT INTO probe_parent_new (id, name) SELECT id, name FROM probe_parent;
DROP TABLE probe_parent;
ALTER TABLE probe_parent_new RENAME TO probe_parent;
-- +goose Down
SELECT 1;
`
	const dangling = `-- +goose Up
-- 说明：测试用：删掉被引用的记录
DELETE FROM probe_parent WHERE id = 2;
-- +goose Down
SELECT 1;
`
	db, err := openEngine(t, e, store.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	opts, err := store.WithMigrationsForTest(store.Options{Migrate: true}, store.SQLite, map[string]string{"00900_probe.sql": parentChild})
	if err != nil {
		t.Fatal(err)
	}
	if db, err = openEngine(t, e, opts); err != nil {
		t.Fatal(err)
	}
	db.Close()
	files := map[string]string{"00900_probe.sql": parentChild, "00901_rebuild.sql": rebuild}
	if opts, err = store.WithMigrationsForTest(store.Options{Migrate: true}, store.SQLite, files); err != nil {
		t.Fatal(err)
	}
	if db, err = openEngine(t, e, opts); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	if err := store.ExecRaw(ctx, db, "SELECT note FROM probe_parent"); err != nil {
		t.Fatalf("rebuilt table: %v", err)
	}
	if n, err := store.QueryIntForTest(ctx, db, "SELECT count(*) FROM probe_child"); err != nil || n != 3 {
		t.Fatalf("rows referring to the rebuilt table: %d %v, want 3", n, err)
	}
	// Foreign keys are on again after the upgrade.
	if err := store.ExecRaw(ctx, db, "INSERT INTO probe_child (id, parent_id) VALUES (99, 1)"); err != nil {
		t.Fatal(err)
	}
	if err := store.ExecRaw(ctx, db, "INSERT INTO probe_child (id, parent_id) VALUES (100, 42)"); err == nil {
		t.Fatal("foreign keys are off after the upgrade")
	}
	db.Close()
	files["00902_dangling.sql"] = dangling
	if opts, err = store.WithMigrationsForTest(store.Options{Migrate: true}, store.SQLite, files); err != nil {
		t.Fatal(err)
	}
	if _, err = openEngine(t, e, opts); !errors.Is(err, store.ErrUpgradeFailed) || !strings.Contains(err.Error(), "probe_child") {
		t.Fatalf("dangling reference: %v", err)
	}
}
