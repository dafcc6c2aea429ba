package e2e

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// The crash child is this test binary re-executed with these variables set.
const (
	envCrashData = "LVXIN_CRASH_CHILD_DATA"
	envCrashURL  = "LVXIN_CRASH_CHILD_URL"
)

func init() {
	if dir := os.Getenv(envCrashData); dir != "" {
		crashChild(dir, os.Getenv(envCrashURL))
		os.Exit(0)
	}
}

// crashChild writes blobs and audit rows as fast as it can and prints an
// ACK line for each write only after it is durable, until it is killed.
func crashChild(dir, url string) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: dir, URL: url, Migrate: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(3)
	}
	blobs, err := blob.Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child blob:", err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		data := make([]byte, mrand.IntN(200<<10))
		rand.Read(data)
		ref, err := blobs.Put(ctx, strings.NewReader(string(data)))
		if err != nil {
			fmt.Fprintln(os.Stderr, "child put:", err)
			os.Exit(4)
		}
		ev := &model.AuditEvent{Actor: "crash-test", Action: "crash.write", Target: ref.SHA256, Detail: strconv.FormatInt(ref.Size, 10)}
		if err := db.Audit(ctx, ev); err != nil {
			fmt.Fprintln(os.Stderr, "child audit:", err)
			os.Exit(4)
		}
		fmt.Fprintf(out, "ACK %d %s %d\n", ev.ID, ref.SHA256, ref.Size)
		out.Flush()
	}
}

type ack struct {
	id   int64
	sha  string
	size int64
}

// TestCrashKeepsAcknowledgedWrites kills a writer with SIGKILL at random
// points many times; after every restart each acknowledged blob and row is
// present and intact and the audit chain verifies.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	rounds := map[string]int{"sqlite": 25, "postgres": 12}
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			var acked []ack
			for round := 0; round < rounds[e.Name]; round++ {
				acked = append(acked, crashRound(t, e.DataDir, e.URL, time.Duration(20+mrand.IntN(400))*time.Millisecond)...)
				checkDurable(t, e.DataDir, e.URL, acked)
			}
			if len(acked) < rounds[e.Name] {
				t.Fatalf("only %d acknowledged writes in %d rounds: the child barely ran", len(acked), rounds[e.Name])
			}
			t.Logf("%d acknowledged writes survived %d kills", len(acked), rounds[e.Name])
		})
	}
}

func crashRound(t *testing.T, dir, url string, after time.Duration) []ack {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envCrashData+"="+dir, envCrashURL+"="+url)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acks := make(chan ack, 1<<16)
	writing := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		first := true
		for sc.Scan() {
			var a ack
			if _, err := fmt.Sscanf(sc.Text(), "ACK %d %s %d", &a.id, &a.sha, &a.size); err == nil {
				acks <- a
				if first {
					close(writing)
					first = false
				}
			}
		}
		close(acks)
	}()
	// The kill lands at a random point while the child writes, not while a
	// loaded machine is still starting it.
	select {
	case <-writing:
	case <-time.After(60 * time.Second):
	}
	time.Sleep(after)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	var got []ack
	for a := range acks {
		got = append(got, a)
	}
	if strings.Contains(stderr.String(), "child") {
		t.Fatalf("child failed: %s", stderr.String())
	}
	return got
}

func checkDurable(t *testing.T, dir, url string, acked []ack) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: dir, URL: url, Migrate: true})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	blobs, err := blob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := db.VerifyAudit(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("audit verify after kill: %+v %v", rep, err)
	}
	rows, err := db.FindAudit(ctx, store.AuditFilter{Action: "crash.write", Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]*model.AuditEvent{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	for _, a := range acked {
		row, ok := byID[a.id]
		if !ok {
			t.Fatalf("acknowledged audit row %d is missing after kill", a.id)
		}
		if row.Target != a.sha || row.Detail != strconv.FormatInt(a.size, 10) {
			t.Fatalf("audit row %d changed: %+v vs %+v", a.id, row, a)
		}
		if err := blobs.Verify(a.sha); err != nil {
			t.Fatalf("acknowledged blob %s: %v", a.sha, err)
		}
	}
}
