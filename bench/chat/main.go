// Command chat benchmarks the chat archive: it generates a WeChatMsg export
// (gen), and measures search latency over an imported data folder (search)
// against `grep -c` over the same message texts.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/chatexport"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: chat gen|search ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "search":
		err = search(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// gen writes the export and, for the baselines, the parsed message texts:
// texts.csv (one quoted column, for sqlite3 .import) and texts.txt (one
// message a line, newlines as spaces, for grep).
func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	n := fs.Int("n", 1_000_000, "messages")
	out := fs.String("out", "export.csv", "export file")
	textsCSV := fs.String("texts-csv", "texts.csv", "texts for sqlite3")
	textsTXT := fs.String("texts-txt", "texts.txt", "texts for grep")
	fs.Parse(args)
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := chatexport.GenerateWeChatMsgCSV(f, *n, 1); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	tc, _ := os.Create(*textsCSV)
	tt, _ := os.Create(*textsTXT)
	bc, bt := bufio.NewWriter(tc), bufio.NewWriter(tt)
	cw := csv.NewWriter(bc)
	_, err = chatexport.Parse(context.Background(), bufio.NewReader(f), *out, chatexport.FormatWeChatMsgCSV, chatexport.Options{},
		func(_ *model.Conversation, m *model.Message) error {
			bt.WriteString(strings.ReplaceAll(m.Text, "\n", " "))
			bt.WriteByte('\n')
			return cw.Write([]string{m.Text})
		})
	if err != nil {
		return err
	}
	cw.Flush()
	for _, err := range []error{bc.Flush(), bt.Flush(), tc.Close(), tt.Close(), f.Close()} {
		if err != nil {
			return err
		}
	}
	return nil
}

type querySet struct {
	name    string
	queries []string
}

var sets = []querySet{
	{"1 字", []string{"钱", "押", "律", "证", "房", "谢"}},
	{"2 字", []string{"合同", "押金", "违约", "仲裁", "律师", "工资"}},
	{"4 字", []string{"诉讼时效", "劳动合同", "仲裁申请", "聊天记录", "开庭时间", "拖欠工资"}},
	{"AND", []string{"押金 房东", "合同 条款", "违约金 百分之二十", "律师 材料", "仲裁 提交", "公司 工资"}},
}

func percentile(d []time.Duration, p float64) time.Duration {
	sort.Slice(d, func(a, b int) bool { return d[a] < d[b] })
	return d[int(float64(len(d)-1)*p)]
}

// search times archive.Service.Search (newest 50 with highlights) over the
// data folder, and `grep -c` over texts.txt with the first term.
func search(args []string) error {
	fs := flag.NewFlagSet("search", flag.ExitOnError)
	data := fs.String("data", "", "data folder")
	texts := fs.String("texts", "texts.txt", "texts for grep")
	rounds := fs.Int("rounds", 30, "rounds per query")
	fs.Parse(args)
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: *data})
	if err != nil {
		return err
	}
	defer db.Close()
	svc := &archive.Service{DB: db}
	// grep baseline, median of 5 runs of each query's first term.
	var greps []time.Duration
	for _, set := range sets {
		for _, q := range set.queries {
			for range 3 {
				start := time.Now()
				cmd := exec.Command("grep", "-c", strings.Fields(q)[0], *texts)
				cmd.Stdout = io.Discard
				_ = cmd.Run() // exit 1 when nothing matches
				greps = append(greps, time.Since(start))
			}
		}
	}
	grepP50 := percentile(greps, 0.5)
	fmt.Printf("grep -c p50: %.1f ms\n", float64(grepP50.Microseconds())/1000)
	var all []time.Duration
	for _, set := range sets {
		var ds []time.Duration
		hits := 0
		for _, q := range set.queries {
			terms := archive.ParseQuery(q)
			for range *rounds {
				start := time.Now()
				res, err := svc.Search(ctx, store.SearchQuery{Terms: terms, Limit: 50}, archive.SortNewest)
				if err != nil {
					return err
				}
				ds = append(ds, time.Since(start))
				hits += len(res)
			}
		}
		all = append(all, ds...)
		p50, p95 := percentile(ds, 0.5), percentile(ds, 0.95)
		fmt.Printf("%s: p50 %.2f ms, p95 %.2f ms (%.1f results per query)\n", set.name,
			float64(p50.Microseconds())/1000, float64(p95.Microseconds())/1000, float64(hits)/float64(len(ds)))
	}
	p95 := percentile(all, 0.95)
	fmt.Printf("all queries p95: %.2f ms\n", float64(p95.Microseconds())/1000)
	fmt.Printf("search ratio: %.3f (p95 search / p50 grep -c; below 1 is faster)\n", float64(p95)/float64(grepP50))
	return nil
}
