// Command wecom measures lvxin's WeCom callback endpoint under load. It
// starts a real `lvxin serve` (SQLite, or PostgreSQL with -database-url)
// configured with a callback Token and EncodingAESKey, and a bare HTTP
// server (this program re-executed with -bare) that only reads the body
// and answers "success". Clients on loopback send correctly signed and
// encrypted callbacks, each with a fresh nonce and MsgId, as fast as they
// can for -phase, to the bare server and to lvxin in turn (-pairs pairs).
// lvxin checks the timestamp and signature, decrypts, parses, records the
// nonce and the event durably (group commit) and then answers 200.
// It prints each run's requests/s and p99, the median ratio of lvxin's
// requests/s to the bare server's, the spread and the load average
// (target: ratio ≥ 0.5).
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/wecom"
)

const (
	token  = "BenchToken1"
	aesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	corpID = "wwBenchCorp"
)

func main() {
	bin := flag.String("lvxin", "", "path to the lvxin binary")
	bare := flag.Bool("bare", false, "run the bare baseline server (internal)")
	pairs := flag.Int("pairs", 3, "bare/lvxin pairs")
	phase := flag.Duration("phase", 5*time.Second, "duration of each run")
	clients := flag.Int("c", 16, "concurrent clients")
	dbURL := flag.String("database-url", "", "PostgreSQL URL of an empty database (default: SQLite in the data folder)")
	flag.Parse()
	if *bare {
		serveBare()
		return
	}
	if *bin == "" {
		fail("missing -lvxin")
	}
	dir, err := os.MkdirTemp("", "lvxin-bench-wecom-")
	check(err)
	defer os.RemoveAll(dir)
	data := filepath.Join(dir, "data")
	check(os.MkdirAll(data, 0o700))
	configure(data, *dbURL)

	global := []string{"--data", data}
	if *dbURL != "" {
		global = append(global, "--database-url", *dbURL)
	}
	lvxin, lvxinURL := start(*bin, append(global, "serve", "--addr", "127.0.0.1:0")...)
	defer lvxin.Process.Kill()
	self, err := os.Executable()
	check(err)
	bareCmd, bareURL := start(self, "-bare")
	defer bareCmd.Process.Kill()

	engine := "SQLite"
	if *dbURL != "" {
		engine = "PostgreSQL"
	}
	fmt.Printf("machine: %s/%s, %d CPUs; %s; %d clients, %s per run; %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(),
		engine, *clients, *phase, loadavg())
	crypto, err := wecom.New(wecom.Config{Token: token, EncodingAESKey: aesKey, ReceiveID: corpID})
	check(err)
	// Warm both up (connections, the settings load, the first commit).
	measure(crypto, bareURL, *clients, time.Second, "warm")
	measure(crypto, lvxinURL+"/wecom/callback", *clients, time.Second, "warm")

	var rpsRatios, p99Ratios []float64
	for i := range *pairs {
		b := measure(crypto, bareURL, *clients, *phase, fmt.Sprintf("b%d", i))
		l := measure(crypto, lvxinURL+"/wecom/callback", *clients, *phase, fmt.Sprintf("l%d", i))
		rr := l.rps / b.rps
		pr := float64(l.p99) / float64(b.p99)
		rpsRatios = append(rpsRatios, rr)
		p99Ratios = append(p99Ratios, pr)
		fmt.Printf("pair %d: bare %.0f req/s p50 %s p99 %s (%d, %d errors); lvxin %.0f req/s p50 %s p99 %s (%d, %d errors); req/s ratio %.2f, p99 ratio %.2f; %s\n",
			i+1, b.rps, b.p50, b.p99, b.n, b.errors, l.rps, l.p50, l.p99, l.n, l.errors, rr, pr, loadavg())
		if l.errors > 0 {
			fmt.Printf("  lvxin errors, first: %s\n", l.firstErr)
		}
	}
	slices.Sort(rpsRatios)
	slices.Sort(p99Ratios)
	fmt.Printf("callbacks lvxin/bare req/s: median %.2f, spread %.2f–%.2f over %d pairs; p99 lvxin/bare: median %.2f, spread %.2f–%.2f; %s, %s\n",
		rpsRatios[len(rpsRatios)/2], rpsRatios[0], rpsRatios[len(rpsRatios)-1], len(rpsRatios),
		p99Ratios[len(p99Ratios)/2], p99Ratios[0], p99Ratios[len(p99Ratios)-1], time.Now().UTC().Format("2006-01-02 15:04 UTC"), loadavg())
	fmt.Printf("ratio: %.2f\n", rpsRatios[len(rpsRatios)/2])

	// Every acknowledged callback must be in the queue.
	db, err := store.Open(context.Background(), store.Options{DataDir: data, URL: *dbURL})
	check(err)
	defer db.Close()
	events, err := db.FindWeComEvents(context.Background(), store.WeComEventFilter{Limit: 10_000_000})
	check(err)
	fmt.Printf("queued events: %d (every acknowledged lvxin callback, warm-up included: %d)\n", len(events), acked)
	if len(events) != acked {
		fail("queued %d events but %d callbacks were acknowledged", len(events), acked)
	}
}

// acked counts lvxin's 200 answers (checked against the queue at the end).
var (
	ackMu sync.Mutex
	acked int
)

func configure(data, dbURL string) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: data, URL: dbURL, Migrate: true})
	check(err)
	defer db.Close()
	svc, err := wecom.NewService(wecom.ServiceConfig{DB: db, DataDir: data})
	check(err)
	_, err = svc.SaveSettings(ctx, nil, wecom.SettingsInput{CorpID: corpID, Token: token, EncodingAESKey: aesKey}, "")
	check(err)
}

// start runs a server that prints its http:// address on stdout.
func start(bin string, args ...string) (*exec.Cmd, string) {
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	check(err)
	cmd.Stderr = io.Discard
	check(cmd.Start())
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "http://"); i >= 0 {
			go io.Copy(io.Discard, stdout)
			return cmd, strings.Fields(strings.SplitN(line[i:], "（", 2)[0])[0]
		}
	}
	fail("%s did not start", bin)
	return nil, ""
}

// serveBare is the baseline: read the body, answer "success".
func serveBare() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	fmt.Printf("bare http://%s\n", ln.Addr())
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, 64<<10))
		_, _ = io.WriteString(w, "success")
	})}
	check(srv.Serve(ln))
}

type result struct {
	n, errors int
	rps       float64
	p50, p99  time.Duration
	firstErr  string
}

// measure sends sealed callbacks from clients for d and collects latencies.
func measure(crypto *wecom.Crypto, target string, clients int, d time.Duration, tag string) result {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var mu sync.Mutex
	var lat []time.Duration
	res := result{}
	isLvxin := strings.HasSuffix(target, "/wecom/callback")
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			errs, first := 0, ""
			ok := 0
			for i := 0; time.Now().Before(deadline); i++ {
				id := fmt.Sprintf("%s-%d-%d", tag, c, i)
				plain, err := wecom.SimPlaintext(wecom.SimOptions{Kind: wecom.SimMessage, CorpID: corpID, Text: "基准测试消息 " + id,
					MsgID: id, At: time.Now()})
				check(err)
				q, body, err := wecom.SealCallback(crypto, plain, time.Now(), id)
				check(err)
				began := time.Now()
				resp, err := hc.Post(target+"?"+q.Encode(), "text/xml", bytes.NewReader(body))
				if err == nil {
					answer, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK || string(answer) != "success" {
						err = fmt.Errorf("HTTP %d %q", resp.StatusCode, answer)
					}
				}
				if err != nil {
					if errs++; first == "" {
						first = err.Error()
					}
					continue
				}
				ok++
				mine = append(mine, time.Since(began))
			}
			mu.Lock()
			lat = append(lat, mine...)
			res.errors += errs
			if res.firstErr == "" {
				res.firstErr = first
			}
			mu.Unlock()
			if isLvxin {
				ackMu.Lock()
				acked += ok
				ackMu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	res.n = len(lat)
	res.rps = float64(len(lat)) / d.Seconds()
	if len(lat) > 0 {
		res.p50 = lat[len(lat)/2]
		res.p99 = lat[len(lat)*99/100]
	}
	return res
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load ?"
	}
	return "load " + strings.Join(strings.Fields(string(data))[:3], " ")
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench/wecom: "+format+"\n", args...)
	os.Exit(1)
}
