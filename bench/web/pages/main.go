// Command pages is the page benchmark of the workbench: it fills a data
// folder with a firm of -lawyers lawyers, -matters matters (with parties,
// staff and deadlines) and -messages chat messages, starts a real `lvxin
// serve` on it, signs in as one lawyer and measures the p95 latency of the
// dashboard, a matter page, /chats, a conversation and the global search,
// each against /healthz measured right before it in the same run. The
// baseline and page runs alternate (-pairs pairs); it prints every pair's
// ratio, the median, the spread (max-min) and the load average.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/lvxin/lvxin/bench/internal/cleanup"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

const password = "基准测试用的足够长密码-2026"

var phrases = []string{
	"张律师您好", "合同我看过了", "押金的事怎么办", "明天上午有空吗", "好的", "收到",
	"对方一直不回复", "我把聊天记录截图发您", "开庭时间定在下周三", "需要准备哪些材料",
	"身份证复印件和劳动合同", "仲裁申请书已经提交", "请确认一下金额", "谢谢律师", "辛苦了",
	"房东说押金不退", "这个条款对我们不利", "诉讼时效还有多久", "证据要公证吗",
}

func main() {
	defer cleanup.Run()
	bin := flag.String("lvxin", "", "path to the lvxin binary")
	lawyers := flag.Int("lawyers", 200, "lawyers")
	matters := flag.Int("matters", 20000, "matters")
	messages := flag.Int("messages", 1000000, "chat messages")
	convs := flag.Int("conversations", 2000, "conversations")
	requests := flag.Int("n", 200, "requests per measurement")
	pairs := flag.Int("pairs", 3, "baseline/page pairs per page")
	dbURL := flag.String("database-url", "", "PostgreSQL URL of an empty database (default: SQLite in the data folder)")
	flag.Parse()
	if *bin == "" {
		fail("missing -lvxin")
	}
	dir, err := os.MkdirTemp("", "lvxin-pages-")
	check(err)
	cleanup.Add(func() { os.RemoveAll(dir) })
	data := filepath.Join(dir, "data")
	global := []string{"--data", data}
	engine := "SQLite"
	if *dbURL != "" {
		global = append(global, "--database-url", *dbURL)
		engine = "PostgreSQL"
	}
	add := exec.Command(*bin, append(global, "user", "add", "--role", "lawyer", "--name", "基准律师", "--password-stdin", "bench")...)
	add.Stdin = strings.NewReader(password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		fail("user add: %v %s", err, out)
	}
	start := time.Now()
	site := seed(data, *dbURL, *lawyers, *matters, *convs, *messages)
	fmt.Printf("%s: seeded %d lawyers, %d matters, %d conversations, %d messages in %s\n", engine, *lawyers, *matters, *convs, *messages,
		time.Since(start).Round(time.Second))

	srv := exec.Command(*bin, append(global, "serve", "--addr", "127.0.0.1:0")...)
	stdout, _ := srv.StdoutPipe()
	srv.Stderr = io.Discard
	check(srv.Start())
	cleanup.Add(func() { srv.Process.Kill(); srv.Wait() })
	base := ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if i := strings.Index(sc.Text(), "http://"); i >= 0 && strings.HasPrefix(sc.Text(), "律信已启动") {
			base = strings.Fields(strings.SplitN(sc.Text()[i:], "（", 2)[0])[0]
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if base == "" {
		fail("server did not start")
	}
	c := login(base)
	pages := []struct{ name, path string }{
		{"dashboard", "/"},
		{"matter page", fmt.Sprintf("/matters/%d", site.matter)},
		{"chats", "/chats"},
		{"conversation", fmt.Sprintf("/chats/%d", site.conversation)},
		{"search", "/search?q=" + url.QueryEscape("押金")},
	}
	fmt.Printf("machine: %d cores; load average at start %s\n", numCPU(), loadavg())
	for _, p := range pages {
		get(c, base+p.path) // warm
		var ratios []float64
		var last [2]time.Duration
		for range *pairs {
			h := p95(c, base+"/healthz", *requests)
			v := p95(c, base+p.path, *requests)
			ratios = append(ratios, float64(v)/float64(h))
			last = [2]time.Duration{h, v}
		}
		slices.Sort(ratios)
		fmt.Printf("%-13s p95 %8s (healthz %7s)  ratio: %.1f  pairs %v  spread %.1f\n", p.name, last[1].Round(time.Microsecond),
			last[0].Round(time.Microsecond), ratios[len(ratios)/2], fmtRatios(ratios), ratios[len(ratios)-1]-ratios[0])
	}
	fmt.Printf("load average at end %s\n", loadavg())
}

type site struct{ matter, conversation int64 }

// seed writes the firm straight into the database, in a few large
// transactions: lawyer "bench" (id 1) leads every lawyers-th matter.
func seed(data, dbURL string, lawyers, matters, convs, messages int) site {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: data, URL: dbURL})
	check(err)
	defer db.Close()
	rng := rand.New(rand.NewPCG(7, 2026))
	ids := []int64{1}
	var s site
	check(db.Update(ctx, func(tx *store.Tx) error {
		for i := 1; i < lawyers; i++ {
			u := &model.User{Username: fmt.Sprintf("lawyer%d", i), DisplayName: fmt.Sprintf("律师%d", i), Role: model.RoleLawyer, PasswordHash: "x"}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			ids = append(ids, u.ID)
		}
		return nil
	}))
	var matterIDs []int64
	const batch = 2000
	for startAt := 0; startAt < matters; startAt += batch {
		check(db.Update(ctx, func(tx *store.Tx) error {
			for i := startAt; i < min(startAt+batch, matters); i++ {
				lead := ids[i%len(ids)]
				m := &model.Matter{Title: fmt.Sprintf("某%d公司合同纠纷", i), Type: model.MatterCivil, Status: model.MatterInProgress,
					CaseNumber: fmt.Sprintf("（2026）京0105民初%d号", 10000+i), LeadLawyerID: lead,
					Parties: []model.Party{{Name: fmt.Sprintf("某%d科技有限公司", i), Kind: model.ContactOrg, Role: model.PartyClient},
						{Name: fmt.Sprintf("对方%d", i), Kind: model.ContactPerson, Role: model.PartyOpposing}}}
				if err := tx.CreateMatter(ctx, m); err != nil {
					return err
				}
				matterIDs = append(matterIDs, m.ID)
				for k := range 2 {
					due := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(700)).Format("2006-01-02")
					if err := tx.CreateDeadline(ctx, &model.Deadline{OwnerID: lead, MatterID: m.ID, MatterRef: m.Title,
						Title: fmt.Sprintf("期限%d-%d", i, k), RuleID: "appeal-judgment", FromDate: "2026-01-01", DueDate: due, Result: "{}"}); err != nil {
						return err
					}
				}
			}
			return nil
		}))
	}
	s.matter = matterIDs[0]
	var convIDs []int64
	var importID int64
	check(db.Update(ctx, func(tx *store.Tx) error {
		for i := range convs {
			matter := matterIDs[(i*len(ids))%len(matterIDs)] // the bench lawyer's matters first
			if i%2 == 1 {
				matter = matterIDs[rng.IntN(len(matterIDs))]
			}
			imp := &model.ChatImport{FileName: fmt.Sprintf("chat%d.csv", i), Format: "wechatmsg-csv", SHA256: fmt.Sprintf("%064x", i),
				Size: 1, MatterID: matter, ImportedBy: "bench"}
			if err := tx.CreateChatImport(ctx, imp); err != nil {
				return err
			}
			c := &model.Conversation{Key: fmt.Sprintf("%d@chatroom", i), Kind: model.ConversationGroup, Title: fmt.Sprintf("客户群 %d", i+1),
				Participants: []model.Participant{{WxID: fmt.Sprintf("wxid_client%d", i), Nickname: fmt.Sprintf("客户%d", i)}, {WxID: "wxid_self", Nickname: "律师", IsSelf: true}}}
			if _, err := tx.EnsureConversation(ctx, c, store.ConversationOrigin{Scope: "bench", MatterID: matter, ImportID: imp.ID}); err != nil {
				return err
			}
			if err := tx.SaveConversation(ctx, c); err != nil {
				return err
			}
			convIDs = append(convIDs, c.ID)
			if i == 0 {
				importID = imp.ID
			}
		}
		return nil
	}))
	s.conversation = convIDs[0]
	at := time.Date(2024, 1, 1, 1, 0, 0, 0, time.UTC)
	const msgBatch = 100000
	for startAt := 0; startAt < messages; startAt += msgBatch {
		check(db.Update(ctx, func(tx *store.Tx) error {
			w, err := tx.NewMessageWriter(ctx, importID)
			if err != nil {
				return err
			}
			defer w.Close()
			for i := startAt; i < min(startAt+msgBatch, messages); i++ {
				at = at.Add(time.Duration(1+rng.IntN(30)) * time.Second)
				text := phrases[rng.IntN(len(phrases))]
				if rng.IntN(2) == 0 {
					text += "，" + phrases[rng.IntN(len(phrases))]
				}
				ci := rng.IntN(len(convIDs))
				m := &model.Message{Key: fmt.Sprintf("m%d", i), ConversationID: convIDs[ci], SentAt: at, SenderWxID: fmt.Sprintf("wxid_client%d", ci),
					Kind: model.MessageText, Text: text, SourceLine: i + 2}
				if _, err := w.Insert(ctx, m); err != nil {
					return err
				}
			}
			return w.Flush(ctx)
		}))
	}
	return s
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func login(base string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: time.Minute}
	body := get(c, base+"/login")
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		fail("no csrf token on /login")
	}
	resp, err := c.PostForm(base+"/login", url.Values{"csrf_token": {m[1]}, "username": {"bench"}, "password": {password}, "next": {"/"}})
	check(err)
	resp.Body.Close()
	if b := get(c, base+"/"); !strings.Contains(b, "我的期限") {
		fail("login failed")
	}
	return c
}

func get(c *http.Client, u string) string {
	resp, err := c.Get(u)
	check(err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		fail("GET %s: %d", u, resp.StatusCode)
	}
	return string(b)
}

// p95 requests u n times, one after another, and returns the 95th
// percentile latency (body read in full).
func p95(c *http.Client, u string, n int) time.Duration {
	d := make([]time.Duration, n)
	for i := range d {
		t := time.Now()
		get(c, u)
		d[i] = time.Since(t)
	}
	slices.Sort(d)
	return d[n*95/100]
}

func fmtRatios(r []float64) string {
	s := make([]string, len(r))
	for i, v := range r {
		s[i] = fmt.Sprintf("%.1f", v)
	}
	return "[" + strings.Join(s, " ") + "]"
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return strings.Count(string(b), "processor\t:")
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	cleanup.Fail("pages", format, args...)
}
