// Command upgradefixture makes the upgrade fixtures of one lvxin release
// (scripts/make-upgrade-fixture.sh builds that release's binary and runs
// this). It drives the OLD binary only through its command line and its web
// pages: the demo firm, chats imported into different matters (one ZIP with
// an attachment, one export imported from two accounts), preserved evidence
// with checkpoints and RFC 3161 timestamps from a loopback authority, saved
// deadlines and the audit trail; then it records what every user sees
// (upgradecheck.Manifest) and packs, per engine, the database, the data
// folder and a backup made by the old binary.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/lvxin/lvxin/internal/tsa"
	"github.com/lvxin/lvxin/internal/upgradecheck"
)

// Password is every fixture user's password (a fictional firm).
const Password = "Fixture-Password-2026"

func main() {
	bin := flag.String("bin", "", "the old lvxin binary")
	commit := flag.String("commit", "", "the commit the binary was built from")
	out := flag.String("out", "", "output folder (e2e/testdata/upgrade/COMMIT)")
	chats := flag.String("chats", "internal/chatexport/testdata", "folder with chat export samples")
	pg := flag.String("postgres", os.Getenv("LVXIN_TEST_POSTGRES_URL"), "PostgreSQL server URL (empty: SQLite only)")
	flag.Parse()
	if *bin == "" || *out == "" || *commit == "" {
		log.Fatal("usage: upgradefixture -bin OLD_LVXIN -commit COMMIT -out DIR [-postgres URL]")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	authority, err := tsa.NewTestAuthority()
	if err != nil {
		log.Fatal(err)
	}
	tsaServer := httptest.NewServer(authority)
	defer tsaServer.Close()
	work, err := os.MkdirTemp("", "lvxin-fixture-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)
	chain := filepath.Join(work, "tsa-chain.pem")
	if err := os.WriteFile(chain, authority.ChainPEM(), 0o600); err != nil {
		log.Fatal(err)
	}
	f := &fixture{bin: *bin, commit: *commit, out: *out, chats: *chats, work: work, tsaURL: tsaServer.URL, tsaChain: chain}
	if err := f.make("sqlite", ""); err != nil {
		log.Fatalf("sqlite: %v", err)
	}
	if *pg == "" {
		log.Print("no PostgreSQL URL: the postgres fixture was not made")
		return
	}
	dbURL, drop, err := createDatabase(*pg)
	if err != nil {
		log.Fatal(err)
	}
	defer drop()
	if err := f.make("postgres", dbURL); err != nil {
		log.Fatalf("postgres: %v", err)
	}
}

type fixture struct {
	bin, commit, out, chats, work string
	tsaURL, tsaChain              string
	// per engine
	engine, dataDir, dbURL string
}

func (f *fixture) cli(stdin string, args ...string) (string, error) {
	full := []string{"--data", f.dataDir}
	if f.dbURL != "" {
		full = append(full, "--database-url", f.dbURL)
	}
	cmd := exec.Command(f.bin, append(full, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("lvxin %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

func (f *fixture) make(engine, dbURL string) error {
	ctx := context.Background()
	f.engine, f.dbURL = engine, dbURL
	f.dataDir = filepath.Join(f.work, engine, "data")
	if err := os.MkdirAll(f.dataDir, 0o700); err != nil {
		return err
	}
	log.Printf("%s: demo firm", engine)
	demo, err := f.cli("", "demo")
	if err != nil {
		return err
	}
	users := []string{"admin"}
	for _, m := range regexp.MustCompile(`(demo-[a-z]+)（`).FindAllStringSubmatch(demo, -1) {
		users = append(users, m[1])
	}
	if len(users) < 4 {
		return fmt.Errorf("demo users not found in %q", demo)
	}
	if _, err := f.cli(Password+"\n", "user", "add", "--role", "admin", "--name", "王主任", "--password-stdin", "admin"); err != nil {
		return err
	}
	for _, u := range users[1:] {
		if _, err := f.cli(Password+"\n", "user", "passwd", "--password-stdin", u); err != nil {
			return err
		}
	}
	srv, err := f.serve()
	if err != nil {
		return err
	}
	defer srv.stop()
	// Whose matters are whose, as the lawyers see them.
	mattersOf := map[string][]int64{}
	for _, u := range []string{"demo-zhang", "demo-li"} {
		c, err := upgradecheck.Login(srv.url, u, Password)
		if err != nil {
			return err
		}
		v, err := c.View(nil)
		if err != nil {
			return err
		}
		mattersOf[u] = v.Lists["matters"]
	}
	zhang, li := only(mattersOf["demo-zhang"], mattersOf["demo-li"]), only(mattersOf["demo-li"], mattersOf["demo-zhang"])
	if len(zhang) < 2 || len(li) < 1 {
		return fmt.Errorf("demo matters: zhang %v, li %v", mattersOf["demo-zhang"], mattersOf["demo-li"])
	}
	log.Printf("%s: chats (zhang's matters %v, li's %v)", engine, zhang, li)
	zip, err := f.exportZIP()
	if err != nil {
		return err
	}
	imports := [][]string{
		{"import", f.sample("wechatmsg.csv"), "--matter", id(zhang[0]), "--self-wxid", "wxid_lawyer_zhang"},
		// The same conversation exported from another account, for another matter.
		{"import", f.sample("wechatmsg.csv"), "--matter", id(li[0]), "--self-wxid", "wxid_lawyer_li"},
		{"import", f.sample("chatlog.json"), "--matter", id(li[0])},
		{"import", f.sample("wecom.jsonl"), "--matter", id(zhang[1])},
		{"import", zip, "--matter", id(zhang[1])},
		{"import", f.sample("wechatmsg.txt")},
		{"import", f.sample("forwarded.txt"), "--self-name", "李静律师"},
	}
	for _, args := range imports {
		if _, err := f.cli("", args...); err != nil {
			return err
		}
	}
	log.Printf("%s: evidence", engine)
	files := map[string]string{"借条.txt": "今借到人民币壹万元整，2026年3月1日前归还。", "转账记录.txt": "2025-12-01 转账 10000.00 元",
		"聊天截图说明.txt": "委托人微信发送原图三张", "其他.txt": "无关材料"}
	paths := map[string]string{}
	for name, body := range files {
		p := filepath.Join(f.work, engine, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			return err
		}
		paths[name] = p
	}
	evidence := [][]string{
		{"evidence", "add", "--firm", "fixture", "--matter", "#" + id(zhang[0]), "--source", "委托人王某微信发送", "--tsa-url", f.tsaURL, "--tsa-chain", f.tsaChain, paths["借条.txt"], paths["转账记录.txt"]},
		{"evidence", "add", "--matter", "#" + id(li[0]), "--tsa-url", f.tsaURL, "--tsa-chain", f.tsaChain, paths["聊天截图说明.txt"]},
		{"evidence", "add", "--matter", "尚未登记的案件 王某", "--tsa-url", "", paths["其他.txt"]},
	}
	for _, args := range evidence {
		if _, err := f.cli("", args...); err != nil {
			return err
		}
	}
	log.Printf("%s: deadlines", engine)
	for _, d := range []struct{ user, rule, from, title, matter string }{
		{"demo-zhang", "appeal-judgment", "2026-09-25", "一审判决上诉期", "（2026）京0105民初1号"},
		{"demo-zhang", "defense", "2026-12-20", "答辩期", ""},
		{"demo-li", "appeal-ruling", "2026-11-30", "裁定上诉期", "李静的案件"},
		{"demo-wang", "evidence-period", "2026-12-01", "举证期限", ""},
	} {
		c, err := upgradecheck.Login(srv.url, d.user, Password)
		if err != nil {
			return err
		}
		status, body, err := c.Post("/deadlines", url.Values{"rule": {d.rule}, "from": {d.from}, "title": {d.title}, "matter": {d.matter}})
		if err != nil {
			return err
		}
		if status != 303 {
			return fmt.Errorf("save deadline as %s: status %d: %.300s", d.user, status, body)
		}
	}
	log.Printf("%s: what every user sees", engine)
	m := &upgradecheck.Manifest{Commit: f.commit, Engine: engine, CreatedAt: time.Now().UTC().Format(time.RFC3339), Password: Password}
	if m.Users, err = upgradecheck.Views(srv.url, users, Password, nil); err != nil {
		return err
	}
	srv.stop()
	if err := f.snapshot(ctx, m); err != nil {
		return err
	}
	return f.pack(ctx, m)
}

// snapshot records the CLI's views, the row counts and the blob files.
func (f *fixture) snapshot(ctx context.Context, m *upgradecheck.Manifest) error {
	m.Search = map[string][]string{}
	for _, q := range upgradecheck.SearchQueries {
		out, err := f.cli("", "search", "--json", "--limit", "1000", q)
		if err != nil {
			return err
		}
		if m.Search[q], err = upgradecheck.ParseSearch(out); err != nil {
			return err
		}
	}
	out, err := f.cli("", "evidence", "list", "--json")
	if err != nil {
		return err
	}
	if m.Evidence, err = upgradecheck.ParseEvidence(out); err != nil {
		return err
	}
	if out, err = f.cli("", "audit", "verify"); err != nil {
		return err
	}
	if m.AuditRows, err = upgradecheck.ParseAuditRows(out); err != nil {
		return err
	}
	if out, err = f.cli("", "ledger", "verify"); err != nil {
		return err
	}
	m.LedgerVerify = strings.Split(strings.TrimSpace(out), "\n")
	db, err := f.openSQL()
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version").Scan(&m.SchemaVersion); err != nil {
		return err
	}
	if m.Counts, err = upgradecheck.CountRows(ctx, db, f.engine == "postgres"); err != nil {
		return err
	}
	m.Blobs, err = upgradecheck.BlobDigests(f.dataDir)
	return err
}

func (f *fixture) openSQL() (*sql.DB, error) {
	if f.engine == "postgres" {
		return sql.Open("pgx", f.dbURL)
	}
	return sql.Open("sqlite", "file:"+filepath.Join(f.dataDir, "lvxin.db")+"?mode=ro")
}

// pack writes ENGINE-data.tar.gz (the data folder: for SQLite with the
// database file), postgres.dump (PostgreSQL), ENGINE-backup.tar.gz (made by
// the old binary's `lvxin backup`) and ENGINE-manifest.json.
func (f *fixture) pack(ctx context.Context, m *upgradecheck.Manifest) error {
	prefix := filepath.Join(f.out, f.engine)
	backup := filepath.Join(f.work, f.engine, "backup.tar")
	if _, err := f.cli("", "backup", "--out", backup); err != nil {
		return err
	}
	if err := gzipFile(backup, prefix+"-backup.tar.gz"); err != nil {
		return err
	}
	if f.engine == "postgres" {
		cmd := exec.CommandContext(ctx, "pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file="+filepath.Join(f.out, "postgres.dump"), "--dbname="+f.dbURL)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("pg_dump: %w: %s", err, out)
		}
	}
	if err := tarGz(f.dataDir, prefix+"-data.tar.gz"); err != nil {
		return err
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(prefix+"-manifest.json", append(data, '\n'), 0o644)
}

// exportZIP is an export folder with a referenced image, zipped.
func (f *fixture) exportZIP() (string, error) {
	raw, err := os.ReadFile(f.sample("pywxdump.csv"))
	if err != nil {
		return "", err
	}
	p := filepath.Join(f.work, f.engine, "王五导出.zip")
	var buf bytes.Buffer
	zw := newZip(&buf)
	for _, e := range []struct {
		name string
		body []byte
	}{{"王五/pywxdump.csv", raw}, {"王五/FileStorage/MsgAttach/abc/Image/2024-03/9e107d.dat", []byte("图片：租赁合同第一页")}} {
		if err := zw.add(e.name, e.body); err != nil {
			return "", err
		}
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return p, os.WriteFile(p, buf.Bytes(), 0o600)
}

func (f *fixture) sample(name string) string { return filepath.Join(f.chats, name) }

// server is the old binary's `lvxin serve` on a loopback port.
type server struct {
	url string
	cmd *exec.Cmd
}

func (f *fixture) serve() (*server, error) {
	args := []string{"--data", f.dataDir}
	if f.dbURL != "" {
		args = append(args, "--database-url", f.dbURL)
	}
	cmd := exec.Command(f.bin, append(args, "serve", "--addr", "127.0.0.1:0")...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, "http://"); i >= 0 && strings.HasPrefix(line, "律信已启动") {
				found <- strings.SplitN(line[i:], "（", 2)[0]
			}
		}
	}()
	select {
	case s.url = <-found:
		return s, nil
	case <-time.After(30 * time.Second):
		s.stop()
		return nil, errors.New("old lvxin serve did not start")
	}
}

func (s *server) stop() {
	if s.cmd.Process != nil && s.cmd.ProcessState == nil {
		s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
			<-done
		}
	}
}

// createDatabase makes a fresh database on the server for the fixture.
func createDatabase(server string) (string, func(), error) {
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return "", nil, err
	}
	var b [4]byte
	rand.Read(b[:])
	name := "lvxin_fixture_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := url.Parse(server)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	}, nil
}

// only is the ids of a that are not in b.
func only(a, b []int64) []int64 {
	var out []int64
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || x == y
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

func id(n int64) string { return fmt.Sprint(n) }
