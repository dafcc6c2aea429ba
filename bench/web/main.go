// Command web is the web benchmark: it starts a real `lvxin serve` on
// loopback, then measures login throughput (argon2id dominates) and an
// authenticated page render under concurrent load, each as requests/s and
// as a ratio against a bare net/http handler measured in the same run with
// the same load generator. The bare handler and each lvxin measurement
// alternate -pairs times (default 3); every pair is printed with the
// 1-minute load average, then the median ratio and its spread.
//
// Logins come from many loopback source addresses (127.0.1.x) so that the
// per-address login throttle does not cap the measurement: the throttle
// stays on, exactly as in production.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lvxin/lvxin/bench/internal/cleanup"
)

const password = "基准测试用的足够长密码-2026"

func main() {
	defer cleanup.Run()
	bin := flag.String("lvxin", "", "path to the lvxin binary")
	duration := flag.Duration("duration", 10*time.Second, "duration of each measurement")
	conc := flag.Int("c", 16, "concurrent clients")
	pairs := flag.Int("pairs", 3, "bare and lvxin measurements, alternating")
	flag.Parse()
	if *bin == "" {
		fail("missing -lvxin")
	}
	if *pairs < 1 {
		fail("-pairs must be at least 1")
	}
	dir, err := os.MkdirTemp("", "lvxin-bench-")
	check(err)
	cleanup.Add(func() { os.RemoveAll(dir) })
	data := filepath.Join(dir, "data")

	add := exec.Command(*bin, "--data", data, "user", "add", "--role", "lawyer", "--name", "基准", "--password-stdin", "bench")
	add.Stdin = strings.NewReader(password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		fail("user add: %v %s", err, out)
	}
	srv := exec.Command(*bin, "--data", data, "serve", "--addr", "127.0.0.1:0")
	stdout, _ := srv.StdoutPipe()
	check(srv.Start())
	cleanup.Add(func() { srv.Process.Kill(); srv.Wait() })
	base := ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if i := strings.Index(sc.Text(), "http://"); i >= 0 {
			base = strings.Fields(strings.SplitN(sc.Text()[i:], "（", 2)[0])[0]
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if base == "" {
		fail("server did not start")
	}

	bare := httptestServer()
	defer bare.Close()

	fmt.Printf("machine: %s/%s, %d CPUs; load: %d clients, %s each, %d pairs; load average %s\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), *conc, *duration, *pairs, loadAvg())
	bareRun := func() (float64, time.Duration) {
		return load(*conc, *duration, func(i int) func() error {
			c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			return func() error { return get(c, bare.URL+"/") }
		})
	}

	// Pages first, while the user has one session per client (a realistic
	// device list); the login phase below creates hundreds more. The same
	// signed-in clients serve every page run.
	pageClients := make([]*http.Client, *conc)
	for i := range pageClients {
		c := newClient(fmt.Sprintf("127.0.2.%d", 1+i))
		tok, err := csrf(c, base+"/login")
		check(err)
		check(postLogin(c, base, tok))
		pageClients[i] = c
	}
	for _, path := range []string{"/", "/security"} {
		compare(fmt.Sprintf("page render (%s, signed in)", path), *pairs, bareRun, func() (float64, time.Duration) {
			return load(*conc, *duration, func(i int) func() error {
				c := pageClients[i]
				return func() error { return get(c, base+path) }
			})
		})
	}
	var ipSeq atomic.Int32
	compare("login (argon2id 19 MiB, t=2)", *pairs, bareRun, func() (float64, time.Duration) {
		return load(*conc, *duration, func(i int) func() error {
			return func() error {
				// A fresh browser-like client per login, from the next source address.
				n := ipSeq.Add(1)
				c := newClient(fmt.Sprintf("127.0.1.%d", 1+int(n)%250))
				tok, err := csrf(c, base+"/login")
				if err != nil {
					return err
				}
				return postLogin(c, base, tok)
			}
		})
	})
}

// compare alternates the bare handler and an lvxin measurement pairs times
// and prints each pair, then the median ratio (lvxin / bare requests per
// second), its spread and a `ratio: X` line.
func compare(name string, pairs int, bare, lvxin func() (float64, time.Duration)) {
	var ratios []float64
	for p := 1; p <= pairs; p++ {
		loadBefore := loadAvg()
		bareRPS, bareP := bare()
		rps, p95 := lvxin()
		ratio := rps / bareRPS
		ratios = append(ratios, ratio)
		fmt.Printf("%s, pair %d: bare %.0f req/s (p95 %s) | lvxin %.1f req/s (p95 %s) | ratio %.4f | load %s -> %s\n",
			name, p, bareRPS, bareP, rps, p95, ratio, loadBefore, loadAvg())
	}
	sort.Float64s(ratios)
	med := ratios[len(ratios)/2]
	if len(ratios)%2 == 0 {
		med = (ratios[len(ratios)/2-1] + ratios[len(ratios)/2]) / 2
	}
	fmt.Printf("%s: median ratio %.4f, spread %.4f-%.4f (%d pairs)\n", name, med, ratios[0], ratios[len(ratios)-1], len(ratios))
	fmt.Printf("ratio: %.4f (%s / bare handler, median)\n", med, name)
}

// loadAvg is the 1-minute load average, or "?".
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

func newClient(srcIP string) *http.Client {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(srcIP)}}
	return &http.Client{Jar: jar, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 1},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func csrf(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := csrfRE.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no csrf token on %s", u)
	}
	return string(m[1]), nil
}

func postLogin(c *http.Client, base, tok string) error {
	resp, err := c.PostForm(base+"/login", url.Values{"csrf_token": {tok}, "username": {"bench"}, "password": {password}, "next": {"/"}})
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("login: status %d", resp.StatusCode)
	}
	return nil
}

func get(c *http.Client, u string) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return nil
}

// load runs conc workers for d, each calling the function its factory made,
// and returns requests per second and the 95th-percentile latency. Any
// error aborts the benchmark: a failing request must not count as served.
func load(conc int, d time.Duration, factory func(i int) func() error) (float64, time.Duration) {
	workers := make([]func() error, conc)
	for i := range workers {
		workers[i] = factory(i)
	}
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for _, w := range workers {
		wg.Add(1)
		go func(w func() error) {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if err := w(); err != nil {
					fail("request failed: %v", err)
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p95 := time.Duration(0)
	if len(lat) > 0 {
		p95 = lat[len(lat)*95/100]
	}
	return float64(len(lat)) / elapsed.Seconds(), p95.Round(10 * time.Microsecond)
}

type bareServer struct {
	URL string
	srv *http.Server
}

func (b *bareServer) Close() { b.srv.Close() }

func httptestServer() *bareServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok")
	})}
	go srv.Serve(ln)
	return &bareServer{URL: "http://" + ln.Addr().String(), srv: srv}
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	cleanup.Fail("bench", format, args...)
}
