package e2e

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/pressly/goose/v3"

	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/upgradecheck"
)

// fixtureRelease is the release whose databases the upgrade tests start
// from (scripts/make-upgrade-fixture.sh makes them). When a new release
// lands, make its fixtures and add it here; keep the older ones while firms
// may still run them.
var fixtureReleases = []string{"a7f5e51"}

// upgraded is a fixture database brought to today's schema.
type upgraded struct {
	engine   string
	dataDir  string
	dbURL    string
	manifest *upgradecheck.Manifest
	// migrateOut is what `lvxin migrate` printed.
	migrateOut string
}

func (u *upgraded) args(args ...string) []string {
	pre := []string{"--data", u.dataDir}
	if u.dbURL != "" {
		pre = append(pre, "--database-url", u.dbURL)
	}
	return append(pre, args...)
}

func (u *upgraded) sqlDB(t *testing.T) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if u.engine == "postgres" {
		db, err = sql.Open("pgx", u.dbURL)
	} else {
		db, err = sql.Open("sqlite", "file:"+filepath.Join(u.dataDir, store.SQLiteFileName)+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// migrationCheck is the upgrade test of one data-changing migration: it
// runs when a fixture's schema is older than version. counts, when set,
// says which row counts the migration changes on purpose (before -> the
// counts expected after); views, when set, says how object ids move (for
// example a conversation split in two: the same users must see the same
// messages under the new ids); check looks at the upgraded data itself.
type migrationCheck struct {
	version int64
	name    string
	counts  func(before map[string]int64) map[string]int64
	views   func(before map[string]*upgradecheck.UserView) map[string]*upgradecheck.UserView
	check   func(t *testing.T, u *upgraded)
}

// pendingChecks are the checks of the migrations the upgrade of u applied.
func pendingChecks(u *upgraded) []migrationCheck {
	latest, _ := store.LatestSchemaVersion(store.SQLite)
	var out []migrationCheck
	for _, mc := range migrationChecks {
		if mc.version > u.manifest.SchemaVersion && mc.version <= latest {
			out = append(out, mc)
		}
	}
	return out
}

// migrationChecks: a migration that changes existing data adds its entry
// here (for example 00011: each conversation keeps its messages and the
// matter it belonged to once its identity is scoped to the source account).
// The checks below (counts, digests, search, every user's view) run for
// every upgrade in any case.
var migrationChecks = []migrationCheck{
	{version: 35, name: "SQLite's search index has its top mark, once, above every message", counts: func(want map[string]int64) map[string]int64 {
		delete(want, "message_fts") // one document more (checked below)
		return want
	}, check: func(t *testing.T, u *upgraded) {
		if u.engine != "sqlite" {
			return
		}
		var n int
		var id int64
		if err := u.sqlDB(t).QueryRow(`SELECT count(*), max(rowid) FROM message_fts WHERE message_fts MATCH '"窗界标顶"'`).Scan(&n, &id); err != nil ||
			n != 1 || id != 1<<63-1 {
			t.Errorf("%d top marks, the newest at %d (%v)", n, id, err)
		}
	}},
	{version: 34, name: "the whole-table token index is gone; searching the old release's messages still finds them", check: func(t *testing.T, u *upgraded) {
		db := u.sqlDB(t)
		if u.engine != "sqlite" {
			var whole int64
			if err := db.QueryRow("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'messages_tokens'").Scan(&whole); err != nil || whole != 0 {
				t.Fatalf("%d whole-table token indexes (%v)", whole, err)
			}
		}
		// A message of the old release is found by two characters of its
		// own text, through the quarter indexes alone.
		rows, err := db.Query("SELECT body FROM messages WHERE kind = 'text' ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		var body, word string
		for rows.Next() && word == "" {
			if err := rows.Scan(&body); err != nil {
				t.Fatal(err)
			}
			r := []rune(body)
			for i := 0; i+1 < len(r) && word == ""; i++ {
				if unicode.Is(unicode.Han, r[i]) && unicode.Is(unicode.Han, r[i+1]) {
					word = string(r[i : i+2])
				}
			}
		}
		rows.Close()
		if word == "" {
			t.Fatal("the fixture has no text message with two Han characters")
		}
		out, errOut, code := runCLI(t, "", u.args("search", "--all", "--json", word)...)
		var hits []struct{ Message struct{ Text string } }
		if code != 0 || json.Unmarshal([]byte(out), &hits) != nil ||
			!slices.ContainsFunc(hits, func(h struct{ Message struct{ Text string } }) bool { return h.Message.Text == body }) {
			t.Errorf("search %q after the upgrade does not find %q: %d\n%s\n%s", word, body, code, out, errOut)
		}
	}},
	{version: 33, name: "hash keys gain their second in front; importing the old release's files again adds nothing", check: func(t *testing.T, u *upgraded) {
		db := u.sqlDB(t)
		var short int64
		q := `SELECT count(*) FROM messages WHERE length(msg_key) = 16 AND substr(msg_key, 1, 6) NOT IN (CAST('wxsvr:' AS BLOB), CAST('wecom:' AS BLOB))
			AND substr(msg_key, 1, 8) <> CAST('chatlog:' AS BLOB)`
		if u.engine != "sqlite" {
			q = `SELECT count(*) FROM messages WHERE length(msg_key) = 16 AND substr(msg_key, 1, 6) NOT IN ('wxsvr:'::bytea, 'wecom:'::bytea)
				AND substr(msg_key, 1, 8) <> 'chatlog:'::bytea`
		}
		if err := db.QueryRow(q).Scan(&short); err != nil || short != 0 {
			t.Fatalf("%d hash keys left without their second (%v)", short, err)
		}
		// The fixture imported these (scripts/upgradefixture); the same
		// files again are duplicates message by message.
		for _, args := range [][]string{{"import", chatFixture("wechatmsg.txt")}, {"import", chatFixture("forwarded.txt"), "--self-name", "李静律师"}} {
			out, errOut, code := runCLI(t, "", u.args(args...)...)
			if code != 0 || !strings.Contains(out, "新增 0 条") {
				t.Errorf("%v after the upgrade: %d %q %q", args, code, out, errOut)
			}
		}
	}},
	{version: 32, name: "PostgreSQL gains one partial token index per quarter holding messages", check: func(t *testing.T, u *upgraded) {
		db := u.sqlDB(t)
		var buckets, missing, whole int64
		if err := db.QueryRow("SELECT count(*) FROM message_token_buckets").Scan(&buckets); err != nil {
			t.Fatal(err)
		}
		if u.engine == "sqlite" {
			if buckets != 0 {
				t.Errorf("SQLite has %d token buckets", buckets)
			}
			return
		}
		// Every message lies in a bucket whose index exists.
		if err := db.QueryRow(`SELECT count(*) FROM messages m WHERE NOT EXISTS (SELECT 1 FROM message_token_buckets b
			JOIN pg_indexes i ON i.indexname = b.index_name AND i.tablename = 'messages' AND i.schemaname = current_schema()
			WHERE m.id >= b.lo AND m.id < b.hi AND i.indexdef LIKE '%gin%' AND i.indexdef LIKE '%WHERE%')`).Scan(&missing); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'messages_tokens'").Scan(&whole); err != nil {
			t.Fatal(err)
		}
		// Migration 00034 then drops the index over the whole table.
		if buckets == 0 || missing != 0 || whole != 0 {
			t.Errorf("%d buckets, %d messages outside an indexed bucket, %d whole-table token index (want >0, 0, 0)", buckets, missing, whole)
		}
	}},
	{version: 30, name: "per-day message counts are backfilled to the messages of each day", counts: func(want map[string]int64) map[string]int64 {
		// SQLite's search index gains one mark per day (checked below).
		delete(want, "message_fts")
		return want
	}, check: func(t *testing.T, u *upgraded) {
		db := u.sqlDB(t)
		if u.engine == "sqlite" {
			var fts, messages, days int64
			err := db.QueryRow(`SELECT (SELECT count(*) FROM message_fts), (SELECT count(*) FROM messages),
				(SELECT count(*) FROM message_days WHERE day > 0)`).Scan(&fts, &messages, &days)
			if err != nil {
				t.Fatal(err)
			}
			if days == 0 || fts != messages+days+1 {
				t.Errorf("search index: %d rows, want the %d messages, a mark for each of %d days and the top mark (00035)", fts, messages, days)
			}
		}
		var messages, counted, wrongDays int64
		if err := db.QueryRow("SELECT count(*) FROM messages").Scan(&messages); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("SELECT COALESCE(SUM(messages), 0) FROM message_days").Scan(&counted); err != nil {
			t.Fatal(err)
		}
		if messages == 0 || counted != messages {
			t.Errorf("message_days holds %d messages, the archive %d", counted, messages)
		}
		if err := db.QueryRow(`SELECT count(*) FROM (SELECT ((id >> 20) - CASE WHEN id < 0 THEN 86399 ELSE 0 END) / 86400 AS day, count(*) AS n
			FROM messages GROUP BY 1) m LEFT JOIN message_days d ON d.day = m.day WHERE d.messages IS NULL OR d.messages <> m.n`).Scan(&wrongDays); err != nil {
			t.Fatal(err)
		}
		if wrongDays != 0 {
			t.Errorf("%d days whose count differs from their messages", wrongDays)
		}
	}},
	{version: 11, name: "conversations keep their matter and messages once their identity is scoped", check: func(t *testing.T, u *upgraded) {
		db := u.sqlDB(t)
		rows, err := db.Query("SELECT conv_key, matter_id FROM conversations")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var key string
			var matter sql.NullInt64
			if err := rows.Scan(&key, &matter); err != nil {
				t.Fatal(err)
			}
			n++
			scope, _, ok := strings.Cut(key, "|")
			want := "u:"
			if matter.Valid {
				want = fmt.Sprintf("m:%d/u:", matter.Int64)
			}
			if !ok || !strings.HasPrefix(scope, want) {
				t.Errorf("conversation key %q after 00011, want the scope %s… of its matter and importer", key, want)
			}
		}
		if n == 0 {
			t.Error("the fixture has no conversations to check")
		}
		var dup int64
		if err := db.QueryRow("SELECT count(*) FROM (SELECT conversation_id, msg_key FROM messages GROUP BY conversation_id, msg_key HAVING count(*) > 1) d").Scan(&dup); err != nil || dup != 0 {
			t.Errorf("duplicate messages within a conversation: %d (%v)", dup, err)
		}
	}},
	{version: 10, name: "evidence linked to client-book matters keeps its item and digest", check: func(t *testing.T, u *upgraded) {
		// Runs only for fixtures older than 10; kept as the example.
		var n int64
		if err := u.sqlDB(t).QueryRow("SELECT count(*) FROM evidence_items WHERE matter_id IS NOT NULL").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Error("no evidence linked to a matter after 00010")
		}
	}},
}

// TestUpgradeFromRelease loads each release fixture on each engine, lets
// today's binary upgrade it through the normal start-up path, then checks
// that nothing was lost: ledger and audit verify, counts and digests,
// search, and what every user of the demo firm can see.
func TestUpgradeFromRelease(t *testing.T) {
	latest, err := store.LatestSchemaVersion(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	for _, release := range fixtureReleases {
		for _, engine := range fixtureEngines(t) {
			t.Run(release+"/"+engine, func(t *testing.T) {
				u := loadFixture(t, release, engine)
				out, errOut, code := runCLI(t, "", u.args("migrate")...)
				if code != 0 {
					t.Fatalf("migrate: %d %s %s", code, out, errOut)
				}
				u.migrateOut = out
				if !strings.Contains(out, fmt.Sprintf("数据库结构为最新版本 %d", latest)) {
					t.Fatalf("migrate output: %s", out)
				}
				if u.manifest.SchemaVersion < latest {
					// The plan was printed and a backup taken first.
					if !strings.Contains(out, fmt.Sprintf("从版本 %d 升级到 %d", u.manifest.SchemaVersion, latest)) || !strings.Contains(out, "升级前已备份到") {
						t.Fatalf("upgrade did not show its plan or take a backup: %s", out)
					}
				}
				checkCLI(t, u)
				checkUnchanged(t, u)
				for _, mc := range pendingChecks(u) {
					if mc.check != nil {
						t.Run(fmt.Sprintf("%05d %s", mc.version, mc.name), func(t *testing.T) { mc.check(t, u) })
					}
				}
				checkViews(t, u)
				// Reading through the web adds to the audit trail; it still verifies.
				if out, errOut, code := runCLI(t, "", u.args("audit", "verify")...); code != 0 {
					t.Fatalf("audit verify after browsing: %d %s %s", code, out, errOut)
				}
				out, _, _ = runCLI(t, "", u.args("version")...)
				if !strings.Contains(out, fmt.Sprintf("数据库 %d（%s", latest, engine)) {
					t.Fatalf("version: %s", out)
				}
			})
		}
	}
}

// TestOldBackupRestores: a backup made by the old release's `lvxin backup`
// restores with today's binary, upgrades, and holds the same data.
func TestOldBackupRestores(t *testing.T) {
	for _, release := range fixtureReleases {
		for _, engine := range fixtureEngines(t) {
			t.Run(release+"/"+engine, func(t *testing.T) {
				dir := fixtureDir(release)
				m := readManifest(t, dir, engine)
				archive := filepath.Join(t.TempDir(), "old-backup.tar")
				gunzipTo(t, filepath.Join(dir, engine+"-backup.tar.gz"), archive)
				u := &upgraded{engine: engine, dataDir: filepath.Join(t.TempDir(), "restored"), manifest: m}
				if engine == "postgres" {
					u.dbURL = storetest.PostgresDatabase(t)
				}
				out, errOut, code := runCLI(t, "", u.args("restore", archive)...)
				if code != 0 || !strings.Contains(out, "恢复完成") {
					t.Fatalf("restore old backup: %d %s %s", code, out, errOut)
				}
				if out, errOut, code = runCLI(t, "", u.args("migrate")...); code != 0 {
					t.Fatalf("migrate restored: %d %s %s", code, out, errOut)
				}
				checkCLI(t, u)
			})
		}
	}
}

// TestMigrateBacksUpFirst steps a database one migration back, then lets
// `lvxin migrate` upgrade it: the plan names the migration in Chinese, a
// backup is taken first and restores to the old version; --no-backup
// skips it; and a database newer than the binary is refused.
func TestMigrateBacksUpFirst(t *testing.T) {
	latest, err := store.LatestSchemaVersion(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			u := &upgraded{engine: e.Name, dataDir: filepath.Join(e.DataDir, "data")}
			if e.Name == "postgres" {
				// pg_dump (the backup) takes a database, not a search_path.
				u.dbURL = storetest.PostgresDatabase(t)
			}
			if out, errOut, code := runCLI(t, "", u.args("migrate")...); code != 0 || !strings.Contains(out, "新建数据库结构") {
				t.Fatalf("first migrate: %d %s %s", code, out, errOut)
			}
			if _, errOut, code := runCLI(t, "", u.args("demo")...); code != 0 {
				t.Fatalf("demo: %s", errOut)
			}
			previous := stepBack(t, u)
			out, errOut, code := runCLI(t, "", u.args("migrate")...)
			if code != 0 {
				t.Fatalf("migrate: %d %s %s", code, out, errOut)
			}
			summary := regexp.MustCompile(fmt.Sprintf(`(?m)^  %05d \p{Han}`, latest))
			if !strings.Contains(out, fmt.Sprintf("从版本 %d 升级到 %d", previous, latest)) || !summary.MatchString(out) {
				t.Fatalf("plan not shown: %s", out)
			}
			m := regexp.MustCompile(`升级前已备份到 (\S+)`).FindStringSubmatch(out)
			if m == nil || strings.Index(out, "升级前已备份到") > strings.Index(out, "数据库结构为最新版本") {
				t.Fatalf("no backup before the upgrade: %s", out)
			}
			// The backup holds the database as it was before the upgrade.
			r := &upgraded{engine: e.Name, dataDir: filepath.Join(t.TempDir(), "restored")}
			if e.Name == "postgres" {
				r.dbURL = storetest.PostgresDatabase(t)
			}
			if out, errOut, code := runCLI(t, "", r.args("restore", m[1])...); code != 0 {
				t.Fatalf("restore pre-upgrade backup: %d %s %s", code, out, errOut)
			}
			if out, _, _ := runCLI(t, "", r.args("version")...); !strings.Contains(out, fmt.Sprintf("数据库 %d（", previous)) {
				t.Fatalf("restored backup is not the pre-upgrade database: %s", out)
			}
			// --no-backup: the plan, but no backup.
			stepBack(t, u)
			before, _ := filepath.Glob(filepath.Join(u.dataDir, "backups", "*.tar"))
			out, errOut, code = runCLI(t, "", u.args("migrate", "--no-backup")...)
			after, _ := filepath.Glob(filepath.Join(u.dataDir, "backups", "*.tar"))
			if code != 0 || !strings.Contains(out, "--no-backup") || len(after) != len(before) {
				t.Fatalf("migrate --no-backup: %d %s %s (backups %d -> %d)", code, out, errOut, len(before), len(after))
			}
			// serve does the same: plan and backup before it starts listening.
			stepBack(t, u)
			_, printed := serveUpgraded(t, u)
			if !summary.MatchString(printed) || !strings.Contains(printed, "升级前已备份到") {
				t.Fatalf("serve did not show the plan and back up first: %s", printed)
			}
			// A database newer than this binary is refused with both versions.
			bumpVersion(t, u, latest+5)
			_, errOut, code = runCLI(t, "", u.args("migrate")...)
			if code == 0 || !strings.Contains(errOut, fmt.Sprintf("数据库结构版本 %d", latest+5)) || !strings.Contains(errOut, fmt.Sprintf("只支持到 %d", latest)) ||
				!strings.Contains(errOut, "UPGRADE.md") {
				t.Fatalf("newer database: %d %s", code, errOut)
			}
		})
	}
}

// stepBack undoes the latest migration with goose, as if the database had
// been made by the previous schema.
func stepBack(t *testing.T, u *upgraded) int64 {
	t.Helper()
	fsys, err := store.MigrationsFS(store.Dialect(u.engine))
	if err != nil {
		t.Fatal(err)
	}
	dialect := goose.DialectSQLite3
	if u.engine == "postgres" {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, u.sqlDB(t), fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Down(context.Background()); err != nil {
		t.Fatalf("step back: %v", err)
	}
	// Versions may have gaps: the one before the latest is what goose says.
	v, err := p.GetDBVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func bumpVersion(t *testing.T, u *upgraded, v int64) {
	t.Helper()
	if _, err := u.sqlDB(t).Exec(fmt.Sprintf("INSERT INTO goose_db_version (version_id, is_applied) VALUES (%d, TRUE)", v)); err != nil {
		t.Fatal(err)
	}
}

// fixtureEngines lists the engines of the fixtures: SQLite always,
// PostgreSQL when configured (a failure under CI=true when it is not).
func fixtureEngines(t *testing.T) []string {
	out := []string{"sqlite"}
	if storetest.PostgresURL(t) != "" {
		out = append(out, "postgres")
	}
	return out
}

func fixtureDir(release string) string { return filepath.Join("testdata", "upgrade", release) }

func readManifest(t *testing.T, dir, engine string) *upgradecheck.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, engine+"-manifest.json"))
	if err != nil {
		t.Fatalf("fixture manifest (scripts/make-upgrade-fixture.sh makes it): %v", err)
	}
	var m upgradecheck.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// loadFixture puts a release's database and data folder in place.
func loadFixture(t *testing.T, release, engine string) *upgraded {
	t.Helper()
	dir := fixtureDir(release)
	u := &upgraded{engine: engine, dataDir: filepath.Join(t.TempDir(), "data"), manifest: readManifest(t, dir, engine)}
	untarGz(t, filepath.Join(dir, engine+"-data.tar.gz"), u.dataDir)
	if engine == "postgres" {
		u.dbURL = storetest.PostgresDatabase(t)
		cmd := exec.Command("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
			"--dbname="+u.dbURL, filepath.Join(dir, "postgres.dump"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pg_restore fixture: %v: %s", err, out)
		}
	}
	return u
}

// checkCLI: the ledger and the audit trail verify, the CLI finds the same
// messages and lists the same evidence with the same digests.
func checkCLI(t *testing.T, u *upgraded) {
	t.Helper()
	m := u.manifest
	out, errOut, code := runCLI(t, "", u.args("ledger", "verify")...)
	if code != 0 {
		t.Fatalf("ledger verify: %d %s %s", code, out, errOut)
	}
	// Every check as before passes as before; today's binary may check more
	// (each of its lines must pass too) and word its conclusion more
	// precisely (it names whether a timestamp covers the log).
	got := strings.Split(strings.TrimSpace(out), "\n")
	ok := len(got) > 0 && strings.HasPrefix(got[len(got)-1], "结论：") && strings.Contains(got[len(got)-1], "校验通过")
	for _, line := range got[:max(len(got)-1, 0)] {
		ok = ok && strings.HasPrefix(line, "通过")
	}
	for _, line := range m.LedgerVerify {
		ok = ok && (strings.HasPrefix(line, "结论：") || slices.Contains(got, line))
	}
	if !ok {
		t.Errorf("ledger verify:\n%s\nbefore:\n%s", out, strings.Join(m.LedgerVerify, "\n"))
	}
	out, errOut, code = runCLI(t, "", u.args("audit", "verify")...)
	if code != 0 {
		t.Fatalf("audit verify: %d %s %s", code, out, errOut)
	}
	if rows, err := upgradecheck.ParseAuditRows(out); err != nil || rows < m.AuditRows {
		t.Errorf("audit rows: %d (%v), before %d", rows, err, m.AuditRows)
	}
	for _, q := range upgradecheck.SearchQueries {
		out, errOut, code := runCLI(t, "", u.args("search", "--json", "--limit", "1000", q)...)
		if code != 0 {
			t.Fatalf("search %s: %d %s", q, code, errOut)
		}
		got, err := upgradecheck.ParseSearch(out)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, m.Search[q]) {
			t.Errorf("search %q finds other messages:\n%q\nbefore:\n%q", q, got, m.Search[q])
		}
	}
	out, errOut, code = runCLI(t, "", u.args("evidence", "list", "--json")...)
	if code != 0 {
		t.Fatalf("evidence list: %d %s", code, errOut)
	}
	got, err := upgradecheck.ParseEvidence(out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, m.Evidence) {
		t.Errorf("evidence:\n%s\nbefore:\n%s", strings.Join(got, "\n"), strings.Join(m.Evidence, "\n"))
	}
}

// checkUnchanged: row counts as before (except where a migration says
// otherwise), every blob file byte for byte, and every blob decrypts to
// the content its name promises.
func checkUnchanged(t *testing.T, u *upgraded) {
	t.Helper()
	m := u.manifest
	want := maps.Clone(m.Counts)
	for _, mc := range pendingChecks(u) {
		if mc.counts != nil {
			want = mc.counts(want)
		}
	}
	got, err := upgradecheck.CountRows(context.Background(), u.sqlDB(t), u.engine == "postgres")
	if err != nil {
		t.Fatal(err)
	}
	if got["settings"] > want["settings"] {
		// Today's binary records state of its own in settings (the release
		// that upgraded the database, the holiday data version, the log
		// size verified): more settings, none lost.
		got["settings"] = want["settings"]
	}
	for table, n := range want {
		if got[table] != n {
			t.Errorf("table %s: %d rows after the upgrade, %d before", table, got[table], n)
		}
	}
	blobs, err := upgradecheck.BlobDigests(u.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	for path, sum := range m.Blobs {
		if blobs[path] != sum {
			t.Errorf("blob %s changed or missing", path)
		}
	}
	bs, err := blob.Open(u.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	readable := 0
	err = bs.Walk(func(sha string) error {
		if err := bs.Verify(sha); err != nil {
			return fmt.Errorf("blob %s: %w", sha, err)
		}
		readable++
		return nil
	})
	if err != nil || readable != len(m.Blobs) {
		t.Errorf("blobs readable: %d of %d (%v)", readable, len(m.Blobs), err)
	}
}

// checkViews: every user sees exactly what they saw with the old release,
// no wider and no narrower: the same lists, the same pages they may open
// (403 and 404 both count as refused), the same chat search hits.
func checkViews(t *testing.T, u *upgraded) {
	t.Helper()
	base, _ := serveUpgraded(t, u)
	m := u.manifest
	expected := m.Users
	for _, mc := range pendingChecks(u) {
		if mc.views != nil {
			expected = mc.views(expected)
		}
	}
	users := slices.Sorted(maps.Keys(expected))
	views, err := upgradecheck.Views(base, users, m.Password, upgradecheck.Objects(expected))
	if err != nil {
		t.Fatal(err)
	}
	// The footer names the release to admins only.
	for _, name := range users {
		c, err := upgradecheck.Login(base, name, m.Password)
		if err != nil {
			t.Fatal(err)
		}
		_, body, err := c.Get("/")
		if err != nil {
			t.Fatal(err)
		}
		if shown := strings.Contains(body, `id="version"`); shown != (name == "admin") {
			t.Errorf("%s: version in the footer: %v", name, shown)
		}
	}
	allowed := func(status int) string {
		switch status {
		case 200:
			return "allowed"
		case 403, 404:
			return "refused"
		}
		return fmt.Sprintf("status %d", status)
	}
	for _, name := range users {
		before, after := expected[name], views[name]
		for kind, ids := range before.Lists {
			if !slices.Equal(ids, after.Lists[kind]) {
				t.Errorf("%s: /%s lists %v, before %v", name, kind, after.Lists[kind], ids)
			}
		}
		for page, status := range before.Objects {
			if allowed(status) != allowed(after.Objects[page]) {
				t.Errorf("%s: %s is %s (%d), before %s (%d)", name, page, allowed(after.Objects[page]), after.Objects[page], allowed(status), status)
			}
		}
		for q, hits := range before.Search {
			if !slices.Equal(hits, after.Search[q]) {
				t.Errorf("%s: chat search %q hits %v, before %v", name, q, after.Search[q], hits)
			}
		}
	}
}

// serveUpgraded starts today's `lvxin serve` on the upgraded data; it
// returns the address and what serve printed before it.
func serveUpgraded(t *testing.T, u *upgraded, flags ...string) (string, string) {
	t.Helper()
	cmd := exec.Command(lvxinBin, u.args(append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...)...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logBuf strings.Builder
	cmd.Stderr = &logBuf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", logBuf.String())
		}
	})
	type started struct{ base, before string }
	found := make(chan started, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		var before strings.Builder
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, "http://"); i >= 0 && strings.HasPrefix(line, "律信已启动") {
				found <- started{strings.SplitN(line[i:], "（", 2)[0], before.String()}
				continue
			}
			before.WriteString(line + "\n")
		}
	}()
	select {
	case s := <-found:
		return s.base, s.before
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not start: %s", logBuf.String())
	}
	return "", ""
}

func gunzipTo(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
}

func untarGz(t *testing.T, src, dir string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(hdr.Name))
		if !strings.HasPrefix(p, filepath.Clean(dir)+string(filepath.Separator)) {
			t.Fatalf("fixture entry outside the folder: %s", hdr.Name)
		}
		if hdr.Typeflag == tar.TypeDir {
			if err := os.MkdirAll(p, 0o700); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
