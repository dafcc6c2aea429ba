// Command search benchmarks chat search latency on an imported data folder
// (SQLite) or database (PostgreSQL): queries that find many messages and
// AND queries of common words that find none, timed through
// archive.Service.Search (newest 50 with highlights), against `grep` over
// the same message texts. Baseline and lvxin runs alternate in pairs; it
// prints p50/p95 per query kind and pair (zero-hit ANDs on their own), how
// many searches stopped at the request budget, the median ratio, its
// spread and the load average. `order` measures whether the order of AND
// terms matters to SQLite's FTS5, `ranges` whether bounding one FTS5
// statement to a window of rowids bounds its work.
package main

import (
	"bufio"
	"cmp"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/chatexport"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: search gen|run|order ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "run":
		err = run(os.Args[2:])
	case "order":
		err = order(os.Args[2:])
	case "ranges":
		err = ranges(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// gen writes a generated WeChatMsg export of n messages and the texts of
// its messages, one a line, for the grep baseline.
func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	n := fs.Int("n", 1_000_000, "messages")
	out := fs.String("out", "export.csv", "export file")
	texts := fs.String("texts", "texts.txt", "texts for grep")
	fs.Parse(args)
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := chatexport.GenerateWeChatMsgCSV(f, *n, 1); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	t, err := os.Create(*texts)
	if err != nil {
		return err
	}
	bt := bufio.NewWriter(t)
	_, err = chatexport.Parse(context.Background(), bufio.NewReader(f), *out, chatexport.FormatWeChatMsgCSV, chatexport.Options{},
		func(_ *model.Conversation, m *model.Message) error {
			bt.WriteString(strings.ReplaceAll(m.Text, "\n", " "))
			return bt.WriteByte('\n')
		})
	if err != nil {
		return err
	}
	if err := bt.Flush(); err != nil {
		return err
	}
	return t.Close()
}

type querySet struct {
	name    string
	queries []string
}

// The generated messages join one or two of a fixed set of phrases, so
// words of three different phrases never meet in one message: each "zero"
// query is an AND of words that each occur in 3–10 % of the messages.
var sets = []querySet{
	{"hit", []string{"押金", "合同", "律师", "违约金", "仲裁 提交", "押金 房东"}},
	{"zero", []string{"押金 工资 仲裁", "合同 证据 开庭", "律师费 押金 工资", "房东 违约 材料", "条款 公证 工资", "金额 时效 押金", "24 押金", "pdf 合同"}},
	{"absent", []string{"押金工资", "合同律师费"}},
}

func percentile(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[int(float64(len(s)-1)*p)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load ?"
	}
	return "load " + strings.Fields(string(b))[0]
}

// grepQuery counts the lines of texts holding every word of q with fixed
// string greps piped into each other: a linear scan of all messages.
func grepQuery(texts, q string) time.Duration {
	words := strings.Fields(q)
	cmdline := "grep -F -- '" + words[0] + "' '" + texts + "'"
	for _, w := range words[1:] {
		cmdline += " | grep -F -- '" + w + "'"
	}
	start := time.Now()
	cmd := exec.Command("sh", "-c", cmdline+" | wc -l")
	cmd.Stdout = io.Discard
	_ = cmd.Run()
	return time.Since(start)
}

// run alternates the grep baseline and lvxin's search, pairs times.
func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	data := fs.String("data", "", "data folder")
	url := fs.String("database-url", "", "PostgreSQL URL (empty: SQLite in the data folder)")
	texts := fs.String("texts", "texts.txt", "texts for grep")
	pairs := fs.Int("pairs", 3, "baseline/lvxin pairs")
	rounds := fs.Int("rounds", 30, "rounds per query and pair")
	budget := fs.Int("budget", 0, "messages one search covers (0: the store's default, -1: the whole archive)")
	fs.Parse(args)
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: *data, URL: *url})
	if err != nil {
		return err
	}
	defer db.Close()
	svc := &archive.Service{DB: db}
	engine := "SQLite"
	if *url != "" {
		engine = "PostgreSQL"
	}
	var n int
	if err := countMessages(ctx, db, &n); err != nil {
		return err
	}
	fmt.Printf("machine: %s/%s, %d CPUs; %s, %d messages; %s; %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(),
		engine, n, time.Now().UTC().Format("2006-01-02 15:04 UTC"), loadavg())
	// Warm the caches once (the first query of a process opens files).
	for _, set := range sets {
		for _, q := range set.queries {
			if _, err := svc.SearchPage(ctx, store.SearchQuery{Terms: archive.ParseQuery(q), Limit: 50, Budget: *budget}, archive.SortNewest); err != nil {
				return err
			}
		}
	}
	var ratios []float64
	for p := 1; p <= *pairs; p++ {
		var greps []time.Duration
		for _, set := range sets {
			for _, q := range set.queries {
				greps = append(greps, grepQuery(*texts, q))
			}
		}
		grepP50 := percentile(greps, 0.5)
		line := fmt.Sprintf("pair %d: grep p50 %s", p, ms(grepP50))
		var all []time.Duration
		for _, set := range sets {
			var ds []time.Duration
			hits, stopped := 0, 0
			cpu0 := cpuTime()
			for _, q := range set.queries {
				terms := archive.ParseQuery(q)
				for range *rounds {
					start := time.Now()
					res, err := svc.SearchPage(ctx, store.SearchQuery{Terms: terms, Limit: 50, Budget: *budget}, archive.SortNewest)
					if err != nil {
						return err
					}
					ds = append(ds, time.Since(start))
					hits += len(res.Results)
					if res.More != 0 {
						stopped++
					}
				}
			}
			cpu := (cpuTime() - cpu0) / time.Duration(len(ds))
			all = append(all, ds...)
			line += fmt.Sprintf("; %s p50 %s p95 %s cpu %s (%.1f results, %d of %d stopped at the budget)", set.name, ms(percentile(ds, 0.5)),
				ms(percentile(ds, 0.95)), ms(cpu), float64(hits)/float64(len(ds)), stopped, len(ds))
		}
		p95 := percentile(all, 0.95)
		ratio := float64(p95) / float64(grepP50)
		ratios = append(ratios, ratio)
		fmt.Printf("%s; all p95 %s; ratio %.4f; %s\n", line, ms(p95), ratio, loadavg())
	}
	slices.Sort(ratios)
	fmt.Printf("ratio: %.4f (median of %d pairs, spread %.4f–%.4f; search p95 / grep p50, below 1 is faster); %s\n",
		ratios[len(ratios)/2], len(ratios), ratios[0], ratios[len(ratios)-1], loadavg())
	return nil
}

// cpuTime is the CPU time this process has used (user and system, every
// thread): per query it shows the cost of a search apart from the waiting
// that a loaded machine adds to the wall-clock times.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func countMessages(ctx context.Context, db *store.DB, n *int) error {
	convs, err := db.Conversations(ctx)
	if err != nil {
		return err
	}
	for _, c := range convs {
		*n += c.Messages
	}
	return nil
}

// order times the same FTS5 AND query with its tokens in three orders:
// as written, rarest first and most common first (SQLite only; opens the
// database file read-only, with the modernc driver the store registers).
func order(args []string) error {
	fs := flag.NewFlagSet("order", flag.ExitOnError)
	path := fs.String("db", "lvxin.db", "SQLite database of an imported data folder")
	rounds := fs.Int("rounds", 50, "rounds per query and order")
	optimize := fs.Bool("optimize", false, "first merge the index into one segment (FTS5 'optimize'; writes to the database)")
	fs.Parse(args)
	mode := "ro"
	if *optimize {
		mode = "rw"
	}
	sqldb, err := sql.Open("sqlite", "file:"+*path+"?mode="+mode)
	if err != nil {
		return err
	}
	defer sqldb.Close()
	ctx := context.Background()
	if *optimize {
		start := time.Now()
		if _, err := sqldb.ExecContext(ctx, "INSERT INTO message_fts(message_fts) VALUES('optimize')"); err != nil {
			return err
		}
		fmt.Printf("optimize: %s\n", time.Since(start).Round(time.Millisecond))
	}
	// The vocabulary of the index (how many messages hold each token), as a
	// temporary table: the store keeps none (looking a token up walks its
	// whole doclist, which costs more than the search; printed below).
	if _, err := sqldb.ExecContext(ctx, "CREATE VIRTUAL TABLE temp.message_fts_vocab USING fts5vocab(main, message_fts, 'row')"); err != nil {
		return err
	}
	fmt.Printf("FTS5 AND term order, %s, %s\n", *path, loadavg())
	for _, set := range sets {
		for _, q := range set.queries {
			var tokens []string
			for _, w := range strings.Fields(q) {
				tokens = append(tokens, store.QueryTokens(w)...)
			}
			if len(tokens) < 2 {
				continue
			}
			docs := map[string]int64{}
			var lookups []time.Duration
			for range *rounds {
				start := time.Now()
				for _, t := range tokens {
					var n int64
					_ = sqldb.QueryRowContext(ctx, "SELECT doc FROM temp.message_fts_vocab WHERE term = ?", t).Scan(&n)
					docs[t] = n
				}
				lookups = append(lookups, time.Since(start))
			}
			rare := slices.Clone(tokens)
			slices.SortStableFunc(rare, func(a, b string) int { return cmp.Compare(docs[a], docs[b]) })
			common := slices.Clone(rare)
			slices.Reverse(common)
			line := fmt.Sprintf("%-12s", q)
			for _, o := range []struct {
				name   string
				tokens []string
			}{{"as written", tokens}, {"rarest first", rare}, {"commonest first", common}} {
				quoted := make([]string, len(o.tokens))
				for i, t := range o.tokens {
					quoted[i] = `"` + t + `"`
				}
				match := strings.Join(quoted, " AND ")
				var ds []time.Duration
				for range *rounds {
					start := time.Now()
					rows, err := sqldb.QueryContext(ctx, "SELECT rowid FROM message_fts WHERE message_fts MATCH ? ORDER BY rowid DESC LIMIT 50", match)
					if err != nil {
						return err
					}
					for rows.Next() {
					}
					rows.Close()
					ds = append(ds, time.Since(start))
				}
				line += fmt.Sprintf("  %s p50 %s", o.name, ms(percentile(ds, 0.5)))
			}
			fmt.Printf("%s  vocabulary lookups p50 %s (docs: %v)\n", line, ms(percentile(lookups, 0.5)), docs)
		}
	}
	return nil
}

// ranges times one FTS5 AND statement over id ranges of different sizes
// (the newest, the oldest, the whole archive), newest first: whether a
// statement limited to a window of rowids costs in proportion to the
// window (SQLite only; the database is opened read-only).
func ranges(args []string) error {
	fs := flag.NewFlagSet("ranges", flag.ExitOnError)
	path := fs.String("db", "lvxin.db", "SQLite database of an imported data folder")
	rounds := fs.Int("rounds", 20, "rounds per query and range")
	window := fs.Int("window", 250_000, "messages per window")
	fs.Parse(args)
	sqldb, err := sql.Open("sqlite", "file:"+*path+"?mode=ro")
	if err != nil {
		return err
	}
	defer sqldb.Close()
	ctx := context.Background()
	idAt := func(offset int) (int64, error) {
		var id int64
		err := sqldb.QueryRowContext(ctx, "SELECT id FROM messages ORDER BY id DESC LIMIT 1 OFFSET ?", offset).Scan(&id)
		return id, err
	}
	var total int
	if err := sqldb.QueryRowContext(ctx, "SELECT count(*) FROM messages").Scan(&total); err != nil {
		return err
	}
	newest, err := idAt(*window - 1)
	if err != nil {
		return err
	}
	oldest, err := idAt(total - *window)
	if err != nil {
		return err
	}
	fmt.Printf("FTS5 AND statement over id ranges, %s, %d messages, window %d, %s\n", *path, total, *window, loadavg())
	for _, set := range sets {
		for _, q := range set.queries {
			var quoted []string
			for _, w := range strings.Fields(q) {
				for _, t := range store.QueryTokens(w) {
					quoted = append(quoted, `"`+t+`"`)
				}
			}
			match := strings.Join(quoted, " AND ")
			// The same words each ORed with the top mark (migration 00035:
			// a document above every message holding only 窗界标顶), as the
			// store's statements for a window with an upper end.
			topped := match
			if len(quoted) > 1 {
				topped = "(" + strings.Join(quoted, ` OR "窗界标顶") AND (`) + ` OR "窗界标顶")`
			}
			line := fmt.Sprintf("%-6s %-12s", set.name, q)
			for _, r := range []struct {
				name   string
				match  string
				lo, hi int64
			}{{"all", match, -1 << 62, 1 << 62}, {"newest window", match, newest, 1 << 62}, {"oldest window", match, -1 << 62, oldest},
				{"oldest window with the top mark", topped, -1 << 62, oldest}} {
				var ds []time.Duration
				for range *rounds {
					start := time.Now()
					rows, err := sqldb.QueryContext(ctx, `SELECT rowid FROM message_fts WHERE message_fts MATCH ?
						AND rowid >= ? AND rowid <= ? ORDER BY rowid DESC LIMIT 50`, r.match, r.lo, r.hi)
					if err != nil {
						return err
					}
					for rows.Next() {
					}
					rows.Close()
					ds = append(ds, time.Since(start))
				}
				line += fmt.Sprintf("  %s p50 %s", r.name, ms(percentile(ds, 0.5)))
			}
			fmt.Println(line)
		}
	}
	return nil
}
