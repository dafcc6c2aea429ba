// Command login measures what a large upload does to everybody else. It
// starts a real `lvxin serve` (SQLite, or PostgreSQL with -database-url)
// on loopback and:
//
//  1. measures login latency (p99 of sequential logins by a few clients)
//     while nothing else runs ("idle") and while another user imports a
//     large chat ZIP over and over ("loaded": an export whose 15 rows show
//     one 200 MB file, plus other large media and thousands of messages),
//     alternating idle and loaded runs; it prints each pair's ratio, the
//     median ratio, the spread and the load average (target: ratio ≤ 2);
//  2. uploads a 1 GB file to /evidence, streamed from a generator, while
//     sampling the serve process's resident memory, and prints the peak
//     against the idle RSS; it fails when the peak grows by more than
//     -max-rss-growth (the upload must be streamed, not buffered).
//
// Logins come from many loopback source addresses so that the per-address
// login throttle (left on) does not interfere.
package main

import (
	"archive/zip"
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
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
	pairs := flag.Int("pairs", 3, "idle/loaded pairs")
	phase := flag.Duration("phase", 10*time.Second, "duration of each idle or loaded run")
	clients := flag.Int("c", 2, "concurrent login clients")
	messages := flag.Int("messages", 5000, "text messages in the import")
	mediaMB := flag.Int("media-mb", 200, "size of each large attachment in MB")
	uploadMB := flag.Int64("upload-mb", 1024, "size of the evidence upload in MB (0: skip)")
	maxGrowth := flag.Int64("max-rss-growth", 128, "largest allowed growth of the serve RSS during the upload, MB")
	maxUpload := flag.String("max-upload", "8GiB", "serve --max-upload (empty: not passed, for binaries before it)")
	dbURL := flag.String("database-url", "", "PostgreSQL URL of an empty database (default: SQLite in the data folder)")
	flag.Parse()
	if *bin == "" {
		fail("missing -lvxin")
	}
	dir, err := os.MkdirTemp("", "lvxin-bench-login-")
	check(err)
	cleanup.Add(func() { os.RemoveAll(dir) })
	data := filepath.Join(dir, "data")
	global := []string{"--data", data}
	if *dbURL != "" {
		global = append(global, "--database-url", *dbURL)
	}
	for _, u := range []string{"bench", "importer"} {
		add := exec.Command(*bin, append(global, "user", "add", "--role", "lawyer", "--name", u, "--password-stdin", u)...)
		add.Stdin = strings.NewReader(password + "\n")
		if out, err := add.CombinedOutput(); err != nil {
			fail("user add: %v %s", err, out)
		}
	}
	args := append(global, "serve", "--addr", "127.0.0.1:0")
	if *maxUpload != "" {
		args = append(args, "--max-upload", *maxUpload)
	}
	srv := exec.Command(*bin, args...)
	srv.Env = append(os.Environ(), "TMPDIR="+dir)
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
	zipPath := filepath.Join(dir, "export.zip")
	check(writeZip(zipPath, *messages, int64(*mediaMB)<<20))
	st, err := os.Stat(zipPath)
	check(err)
	engine := "SQLite"
	if *dbURL != "" {
		engine = "PostgreSQL"
	}
	fmt.Printf("machine: %s/%s, %d CPUs; %s; %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), engine, loadavg())
	fmt.Printf("import: ZIP of %d KB holding %d messages, one %d MB file shown by 15 rows and 4 more %d MB files\n",
		st.Size()>>10, *messages+15+4, *mediaMB, *mediaMB)

	importer := newClient("127.0.3.1")
	check(postLogin(importer, base, "importer"))
	imports := 0
	var ratios, ratios50 []float64
	for i := range *pairs {
		idle := measureLogins(base, *clients, *phase)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var done atomic.Int32
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				check(importZip(importer, base, zipPath))
				done.Add(1)
			}
		}()
		time.Sleep(500 * time.Millisecond) // the import is under way
		loaded := measureLogins(base, *clients, *phase)
		close(stop)
		wg.Wait()
		imports += int(done.Load())
		ratio := float64(loaded.p99) / float64(idle.p99)
		ratios = append(ratios, ratio)
		ratios50 = append(ratios50, float64(loaded.p50)/float64(idle.p50))
		fmt.Printf("pair %d: idle p50 %s p99 %s (%d logins); loaded p50 %s p99 %s (%d logins, %d imports); ratio %.2f; %s\n",
			i+1, idle.p50, idle.p99, idle.n, loaded.p50, loaded.p99, loaded.n, done.Load(), ratio, loadavg())
	}
	slices.Sort(ratios)
	slices.Sort(ratios50)
	fmt.Printf("login p99 loaded/idle: median %.2f, spread %.2f–%.2f over %d pairs (%d imports); p50 loaded/idle: median %.2f, spread %.2f–%.2f; %s, %s\n",
		ratios[len(ratios)/2], ratios[0], ratios[len(ratios)-1], len(ratios), imports,
		ratios50[len(ratios50)/2], ratios50[0], ratios50[len(ratios50)-1], time.Now().UTC().Format("2006-01-02 15:04 UTC"), loadavg())
	fmt.Printf("ratio: %.2f\n", ratios[len(ratios)/2])

	if *uploadMB > 0 {
		uploadRSS(base, srv.Process.Pid, *uploadMB<<20, *maxGrowth<<20)
	}
}

type latencies struct {
	p50, p99 time.Duration
	n        int
}

var ipSeq atomic.Int32

// measureLogins runs conc clients logging in one after another for d.
func measureLogins(base string, conc int, d time.Duration) latencies {
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				c := newClient(fmt.Sprintf("127.0.1.%d", 1+int(ipSeq.Add(1))%250))
				t0 := time.Now()
				check(postLogin(c, base, "bench"))
				mu.Lock()
				lat = append(lat, time.Since(t0))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	return latencies{p50: lat[len(lat)/2].Round(100 * time.Microsecond), p99: lat[len(lat)*99/100].Round(100 * time.Microsecond), n: len(lat)}
}

// writeZip writes an export folder as a ZIP: a PyWxDump CSV whose first 15
// rows show big.dat, 4 rows each show another file, then text messages.
func writeZip(path string, messages int, mediaSize int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	w, err := zw.Create("王五/pywxdump.csv")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime")
	at := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	row := 0
	next := func(kind, text, src string) {
		row++
		fmt.Fprintf(bw, "%d,%d,%s,%d,wxid_wangwu,wxid_wangwu,%s,%s,%s\n", row, 7000000000000000000+row, kind, row%2, text, src,
			at.Add(time.Duration(row)*time.Minute).Format("2006-01-02 15:04:05"))
	}
	for range 15 {
		next("视频", "", `FileStorage\Video\big.dat`)
	}
	for i := range 4 {
		next("文件", "", fmt.Sprintf(`FileStorage\File\part%d.dat`, i))
	}
	for i := range messages {
		next("文本", fmt.Sprintf("张律师您好，关于合同第%d条的违约金条款，我们想再确认一下付款时间。", i), "")
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	for i, name := range []string{"big.dat", "../File/part0.dat", "../File/part1.dat", "../File/part2.dat", "../File/part3.dat"} {
		w, err := zw.Create(filepath.ToSlash(filepath.Clean("王五/FileStorage/Video/" + name)))
		if err != nil {
			return err
		}
		// Distinct compressible content per file.
		block := []byte(strings.Repeat(fmt.Sprintf("文件%d的内容", i), 1024))
		for written := int64(0); written < mediaSize; written += int64(len(block)) {
			if _, err := w.Write(block[:min(int64(len(block)), mediaSize-written)]); err != nil {
				return err
			}
		}
	}
	return zw.Close()
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func newClient(srcIP string) *http.Client {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(srcIP)}}
	return &http.Client{Jar: jar, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 1},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func csrf(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := csrfRE.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no csrf token on %s (%d)", u, resp.StatusCode)
	}
	return string(m[1]), nil
}

func postLogin(c *http.Client, base, user string) error {
	tok, err := csrf(c, base+"/login")
	if err != nil {
		return err
	}
	resp, err := c.PostForm(base+"/login", url.Values{"csrf_token": {tok}, "username": {user}, "password": {password}, "next": {"/"}})
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

// upload posts a multipart form with the token first and one file streamed
// from body.
func upload(c *http.Client, base, page, action, name string, body io.Reader) (int, string, error) {
	tok, err := csrf(c, base+page)
	if err != nil {
		return 0, "", err
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("csrf_token", tok)
		fw, _ := mw.CreateFormFile("file", name)
		if _, err := io.Copy(fw, body); err != nil {
			pw.CloseWithError(err)
			return
		}
		pw.CloseWithError(mw.Close())
	}()
	req, _ := http.NewRequest("POST", base+action, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	page2, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page2), nil
}

func importZip(c *http.Client, base, zipPath string) error {
	f, err := os.Open(zipPath)
	if err != nil {
		return err
	}
	defer f.Close()
	code, page, err := upload(c, base, "/chats", "/chats/import", "王五.zip", f)
	if err != nil {
		return err
	}
	if code != http.StatusOK || !strings.Contains(page, `id="import-media"`) {
		return fmt.Errorf("import: status %d %s", code, errorLine(page))
	}
	return nil
}

func errorLine(page string) string {
	if m := regexp.MustCompile(`id="error">([^<]*)<`).FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}

// pattern yields n bytes of a repeating non-trivial pattern.
type pattern struct {
	left int64
	buf  []byte
}

func (p *pattern) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	n := copy(b, p.buf[:min(int64(len(p.buf)), p.left, int64(len(b)))])
	p.left -= int64(n)
	return n, nil
}

// uploadRSS uploads size bytes to /evidence and samples the serve
// process's RSS meanwhile.
func uploadRSS(base string, pid int, size, maxGrowth int64) {
	c := newClient("127.0.4.1")
	check(postLogin(c, base, "bench"))
	runtime.GC()
	idle := rss(pid)
	var peak atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for ctx.Err() == nil {
			if r := rss(pid); r > peak.Load() {
				peak.Store(r)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i*31 + i>>8)
	}
	t0 := time.Now()
	code, page, err := upload(c, base, "/evidence", "/evidence", "录像.mp4", &pattern{left: size, buf: buf})
	took := time.Since(t0)
	cancel()
	check(err)
	if code != http.StatusOK || !strings.Contains(page, "本次已保全 1 个文件") {
		fail("evidence upload: status %d %s", code, errorLine(page))
	}
	growth := peak.Load() - idle
	fmt.Printf("evidence upload of %d MB in %s (%.0f MB/s): serve RSS idle %d MB, peak %d MB, growth %d MB (limit %d MB); %s\n",
		size>>20, took.Round(time.Millisecond), float64(size>>20)/took.Seconds(), idle>>20, peak.Load()>>20, growth>>20, maxGrowth>>20, loadavg())
	if growth > maxGrowth {
		fail("the upload grew the server by %d MB: it is buffered, not streamed", growth>>20)
	}
}

// rss is a process's resident set in bytes, from /proc.
func rss(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
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
	cleanup.Fail("bench", format, args...)
}
