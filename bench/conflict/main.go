// Command conflictbench fills a database with a generated client book and
// measures the conflict check (clientbook.Service.Check on its cached
// index) against a plain full-table scan: reading every contact and every
// matter party from the database and comparing normalised names and
// identifiers row by row, the way a check without an index works. Both run
// in the same invocation on the same data, alternating -pairs times (scan,
// then index), and their exact hits must agree every time. Each pair prints
// its two p95s, their ratio and the 1-minute load average; the last lines
// give the median ratio and its spread.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/conflict"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰飞鹏辉建国文斌宇浩凯晨旭阳佳琪欣怡子轩梓涵雨婷思远志宏海燕")
	regions  = []string{"北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "苏州", "天津", "重庆"}
	cores    = []rune("云杉青禾远帆星河蓝海恒泰华盛鼎新瑞丰嘉禾博雅君安致远天成宏达永信中和汇通金桥银泰东方")
	trades   = []string{"科技", "贸易", "物流", "建设工程", "餐饮管理", "文化传媒", "医药", "电子", "投资咨询", "网络技术"}
	forms    = []string{"有限公司", "有限责任公司", "股份有限公司"}
)

func person(r *rand.Rand) string {
	n := string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))])
	if r.IntN(2) == 0 {
		n += string(given[r.IntN(len(given))])
	}
	return n
}

func org(r *rand.Rand) string {
	core := string(cores[r.IntN(len(cores))]) + string(cores[r.IntN(len(cores))]) + string(cores[r.IntN(len(cores))])
	return regions[r.IntN(len(regions))] + core + trades[r.IntN(len(trades))] + forms[r.IntN(len(forms))]
}

func phone(r *rand.Rand) string { return fmt.Sprintf("13%d%08d", r.IntN(10), r.IntN(100000000)) }

func main() {
	nContacts := flag.Int("contacts", 100000, "contacts to generate")
	nMatters := flag.Int("matters", 50000, "matters to generate (two parties each)")
	nQueries := flag.Int("queries", 400, "queries for the indexed check")
	nScans := flag.Int("scans", 20, "queries for the full-table scan")
	pairs := flag.Int("pairs", 3, "scan and indexed runs, alternating")
	dbURL := flag.String("database-url", "", "PostgreSQL URL; empty for SQLite in a temporary folder")
	flag.Parse()
	if *pairs < 1 {
		log.Fatal("-pairs must be at least 1")
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "conflictbench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, store.Options{DataDir: dir, URL: *dbURL, Migrate: true})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	r := rand.New(rand.NewPCG(7, 11))
	start := time.Now()
	lead := &model.User{Username: "bench", DisplayName: "bench", Role: model.RoleLawyer, PasswordHash: "x"}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, lead) }); err != nil {
		log.Fatal(err)
	}
	const batch = 5000
	for done := 0; done < *nContacts; done += batch {
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i := done; i < min(done+batch, *nContacts); i++ {
				c := &model.Contact{Kind: model.ContactPerson, Name: person(r), Phone: phone(r), Tags: []string{"现有客户"}}
				if i%3 == 0 {
					c.Kind, c.Name = model.ContactOrg, org(r)
				}
				if err := tx.CreateContact(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	for done := 0; done < *nMatters; done += batch {
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i := done; i < min(done+batch, *nMatters); i++ {
				m := &model.Matter{Title: fmt.Sprintf("案件%d", i), Type: model.MatterCivil, Status: model.MatterInProgress, LeadLawyerID: lead.ID,
					Parties: []model.Party{
						{Name: person(r), Kind: model.ContactPerson, Role: model.PartyClient, Phone: phone(r)},
						{Name: org(r), Kind: model.ContactOrg, Role: model.PartyOpposing},
					}}
				if err := tx.CreateMatter(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	fill := time.Since(start)

	// Queries: half taken from the data in a variant spelling, half random.
	cands, err := clientbook.LoadCandidates(ctx, db)
	if err != nil {
		log.Fatal(err)
	}
	queries := make([]conflict.Query, *nQueries)
	for i := range queries {
		switch i % 4 {
		case 0:
			queries[i] = conflict.Query{Name: cands[r.IntN(len(cands))].Name}
		case 1: // a known name with full-width and ASCII spaces around it
			n := []rune(cands[r.IntN(len(cands))].Name)
			queries[i] = conflict.Query{Name: "　" + string(n) + " "}
		case 2:
			queries[i] = conflict.Query{Name: org(r)}
		default:
			queries[i] = conflict.Query{Name: person(r), Phone: phone(r)}
		}
	}

	svc := clientbook.New(db, nil, nil)
	t0 := time.Now()
	if _, err := svc.Index(ctx); err != nil {
		log.Fatal(err)
	}
	build := time.Since(t0)
	fmt.Printf("machine: %d CPU, %s/%s, %s, engine %s\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, time.Now().Format("2006-01-02"), db.Dialect())
	fmt.Printf("data: %d contacts, %d matters (%d candidates), filled in %s\n", *nContacts, *nMatters, len(cands), fill.Round(time.Millisecond))
	// The baseline and the index alternate; each pair scans a different
	// slice of the queries (the scan is slow) and checks all of them.
	var ratios []float64
	var lastIndexed, lastScans []time.Duration
	for p := range *pairs {
		loadBefore := loadAvg()
		scans := make([]time.Duration, min(*nScans, len(queries)))
		scanned := make([]int, len(scans))
		for i := range scans {
			q := (p*len(scans) + i) % len(queries)
			t := time.Now()
			n, err := fullScan(ctx, db, queries[q])
			if err != nil {
				log.Fatal(err)
			}
			scans[i], scanned[i] = time.Since(t), n
		}
		indexed := make([]time.Duration, len(queries))
		indexedHits := make([]int, len(queries))
		for i, q := range queries {
			t := time.Now()
			rep, err := svc.Check(ctx, []clientbook.Query{{Query: q}}, 0)
			if err != nil {
				log.Fatal(err)
			}
			indexed[i] = time.Since(t)
			for _, h := range rep.Names[0].Hits {
				if h.StrengthNum >= int(conflict.StrengthName) {
					indexedHits[i]++
				}
			}
		}
		for i, n := range scanned {
			q := (p*len(scans) + i) % len(queries)
			if n != indexedHits[q] {
				log.Fatalf("query %q: full scan found %d exact hits, the index %d", queries[q].Name, n, indexedHits[q])
			}
		}
		pi, ps := p95(indexed), p95(scans)
		ratio := float64(ps) / float64(pi)
		ratios = append(ratios, ratio)
		fmt.Printf("pair %d: full-table scan p95 %s (%d queries) | indexed check p95 %s, p50 %s (%d queries) | ratio %.1f | load %s -> %s\n",
			p+1, ps, len(scans), pi, p50(indexed), len(indexed), ratio, loadBefore, loadAvg())
		lastIndexed, lastScans = indexed, scans
	}
	// After a write, the next check brings the cached index up to date from
	// the change log (one contact renamed, one matter's party changed);
	// before the change log it rebuilt the whole index.
	updates := make([]time.Duration, 5)
	for i := range updates {
		err := db.Update(ctx, func(tx *store.Tx) error {
			c, err := db.ContactByID(ctx, int64(1+r.IntN(*nContacts)))
			if err != nil {
				return err
			}
			c.Name = person(r)
			if err := tx.UpdateContact(ctx, c); err != nil {
				return err
			}
			m, err := db.MatterByID(ctx, int64(1+r.IntN(*nMatters)))
			if err != nil {
				return err
			}
			m.Parties[1].Role = model.PartyThird
			return tx.UpdateParty(ctx, &m.Parties[1])
		})
		if err != nil {
			log.Fatal(err)
		}
		t := time.Now()
		if _, err := svc.Index(ctx); err != nil {
			log.Fatal(err)
		}
		updates[i] = time.Since(t)
	}
	t0 = time.Now()
	if _, err := clientbook.New(db, nil, nil).Index(ctx); err != nil {
		log.Fatal(err)
	}
	rebuild := time.Since(t0)
	fmt.Printf("index build (once, at the first check): %s; full rebuild after the writes: %s\n", build.Round(time.Millisecond), rebuild.Round(time.Millisecond))
	fmt.Printf("index update after a write (1 contact + 1 matter changed, incremental): p50 %s, max %s\n", p50(updates), pct(updates, 1))
	fmt.Printf("last pair: indexed check p50 %s, p95 %s; full-table scan p50 %s, p95 %s (exact hits agree in every pair)\n",
		p50(lastIndexed), p95(lastIndexed), p50(lastScans), p95(lastScans))
	sort.Float64s(ratios)
	med := ratios[len(ratios)/2]
	if len(ratios)%2 == 0 {
		med = (ratios[len(ratios)/2-1] + ratios[len(ratios)/2]) / 2
	}
	fmt.Printf("ratio (scan p95 / index p95): median %.1f, spread %.1f-%.1f (%d pairs), load at end %s\n", med, ratios[0], ratios[len(ratios)-1], len(ratios), loadAvg())
	fmt.Printf("ratio: %.1f\n", med)
}

// loadAvg is the 1-minute load average, or "?".
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// fullScan is the baseline: read every contact and every matter party and
// compare the normalised name key and the identifiers row by row. It
// returns the number of exact (name or identifier) hits.
func fullScan(ctx context.Context, db *store.DB, q conflict.Query) (int, error) {
	contacts, err := db.FindContacts(ctx, store.ContactFilter{})
	if err != nil {
		return 0, err
	}
	parties, err := db.AllMatterParties(ctx)
	if err != nil {
		return 0, err
	}
	qk := conflict.Normalize(q.Name).String()
	qp := conflict.NormalizePhone(q.Phone)
	match := func(name, phone string) bool {
		if qk != "" && conflict.Normalize(name).String() == qk {
			return true
		}
		return qp != "" && conflict.NormalizePhone(phone) == qp
	}
	n := 0
	for _, c := range contacts {
		if match(c.Name, c.Phone) {
			n++
		}
	}
	for _, p := range parties {
		if match(p.Name, p.Phone) {
			n++
		}
	}
	return n, nil
}

func pct(ds []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[int(p*float64(len(s)-1))].Round(time.Microsecond)
}

func p95(ds []time.Duration) time.Duration { return pct(ds, 0.95) }
func p50(ds []time.Duration) time.Duration { return pct(ds, 0.50) }
