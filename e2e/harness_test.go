package e2e

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lvxin/lvxin/internal/store/storetest"
)

// lvxinBin is the binary built once for all tests.
var lvxinBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lvxin-e2e-")
	if err != nil {
		panic(err)
	}
	lvxinBin = filepath.Join(dir, "lvxin")
	build := exec.Command("go", "build", "-o", lvxinBin, "../cmd/lvxin")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building lvxin:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runCLI runs lvxin with args and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(lvxinBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run lvxin %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// server is a running `lvxin serve`.
type server struct {
	URL      string
	SetupURL string
	DataDir  string
	DBURL    string
	cmd      *exec.Cmd
	mu       sync.Mutex
	log      strings.Builder
}

// engines lists the databases the end-to-end tests run against.
func engines(t *testing.T) []storetest.Engine {
	return storetest.Engines(t)
}

// startServer runs lvxin serve on a free loopback port, with extra serve
// flags.
func startServer(t *testing.T, e storetest.Engine, extra ...string) *server {
	t.Helper()
	s := &server{DataDir: filepath.Join(e.DataDir, "data"), DBURL: e.URL}
	args := []string{"--data", s.DataDir}
	if e.URL != "" {
		args = append(args, "--database-url", e.URL)
	}
	args = append(args, "serve", "--addr", "127.0.0.1:0")
	args = append(args, extra...)
	s.cmd = exec.Command(lvxinBin, args...)
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stderr = &lockedWriter{s: s}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", s.logText())
		}
	})
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(30 * time.Second)
	for s.URL == "" || s.SetupURL == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("server exited early: %s", s.logText())
			}
			if i := strings.Index(line, "http://"); i >= 0 && strings.HasPrefix(line, "律信已启动") {
				s.URL = strings.Fields(strings.SplitN(line[i:], "（", 2)[0])[0]
			}
			if strings.Contains(line, "/setup?token=") {
				s.SetupURL = strings.TrimSpace(line)
			}
		case <-deadline:
			t.Fatalf("server did not start: %s", s.logText())
		}
	}
	go func() {
		for range lines {
		}
	}()
	return s
}

func (s *server) logText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

type lockedWriter struct{ s *server }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.s.log.Write(p)
}

// browser starts a fresh headless Chromium with its own profile. Without a
// Chromium the test is skipped, except under CI=true, where it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium not found under CI=true: the browser suite must run (apt-get install chromium)")
		}
		t.Skip("Chromium not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(390, 844), // a phone screen
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first call starts the browser and must not carry a timeout: the
	// browser lives as long as that call's context.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// stepTimeout bounds each browser step. A step takes a second or two; the
// bound is generous because CI machines are shared and a step that waits
// for a page can wait behind every other package's tests.
const stepTimeout = 60 * time.Second

// run executes browser actions and fails the test with a step name.
func run(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// auditRows reads the audit page open in ctx: for each action code of its
// rows (data-action), the words the row shows for it (the filter's option
// list names every action, so the page text alone proves nothing).
func auditRows(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	rows := get(t, ctx, "audit rows", chromedp.Evaluate[[][]string](
		`[...document.querySelectorAll("tr[data-action]")].map(r => [r.dataset.action, r.querySelector(".audit-what").textContent])`))
	out := map[string]string{}
	for _, r := range rows {
		if len(r) == 2 {
			out[r[0]] += r[1] + "\n"
		}
	}
	return out
}

// get runs one action that returns a value.
func get[T any](t *testing.T, ctx context.Context, step string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// screenshot saves a full-page PNG when LVXIN_SCREENSHOTS names a folder,
// so a person can look at what the tests saw (for example on a phone-sized
// window).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("LVXIN_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := get(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// submit clicks the element with the given id and waits until the page the
// click leads to has loaded. Waiting for an element alone is not enough when
// the old page already shows it (a form saved twice shows the same link
// before and after): the wait would be met on the old page, before the
// browser navigated.
func submit(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Evaluate[bool](`window.__lvxinOldPage = true`)(ctx, t); err != nil {
			return err
		}
		if _, err := chromedp.Click(chromedp.ID(id))(ctx, t); err != nil {
			return err
		}
		// A poll inside the page does not survive the navigation, so ask
		// from here; an evaluation that meets the navigation half-way
		// fails and is asked again.
		for {
			loaded, err := chromedp.Evaluate[bool](`window.__lvxinOldPage !== true && document.readyState === "complete"`)(ctx, t)
			if err == nil && loaded {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("the page after clicking #%s did not load: %w", id, ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
}
