package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/wecom"
)

const (
	e2eWeComToken = "E2eToken123"
	e2eWeComKey   = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	e2eWeComCorp  = "wwE2eCorp"
)

// configureWeCom saves the WeCom settings into a data folder before serve
// starts (as the settings page would).
func configureWeCom(t *testing.T, dataDir, dbURL string) {
	t.Helper()
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: dataDir, URL: dbURL, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, err := wecom.NewService(wecom.ServiceConfig{DB: db, DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveSettings(ctx, nil, wecom.SettingsInput{CorpID: e2eWeComCorp, Token: e2eWeComToken,
		EncodingAESKey: e2eWeComKey}, ""); err != nil {
		t.Fatal(err)
	}
}

// TestWeComCallbackSurvivesSIGKILL: the built lvxin answers 200 to a
// callback only after the event is committed; SIGKILL right after a 200
// loses nothing. Clients fire callbacks concurrently and the server is
// killed the moment a chosen 200 arrives; after a restart every
// acknowledged MsgId is in the queue, exactly once. The simulator's
// replay and stale callbacks are refused and logged.
func TestWeComCallbackSurvivesSIGKILL(t *testing.T) {
	rounds := map[string]int{"sqlite": 4, "postgres": 3}
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			dataDir := filepath.Join(e.DataDir, "data")
			configureWeCom(t, dataDir, e.URL)
			crypto, err := wecom.New(wecom.Config{Token: e2eWeComToken, EncodingAESKey: e2eWeComKey, ReceiveID: e2eWeComCorp})
			if err != nil {
				t.Fatal(err)
			}
			hc := &http.Client{Timeout: 10 * time.Second}
			var acked []string
			for round := 0; round < rounds[e.Name]; round++ {
				srv := startServer(t, e)
				killAfter := 5 + round*7
				var mu sync.Mutex
				killed := false
				var wg sync.WaitGroup
				for worker := 0; worker < 4; worker++ {
					wg.Add(1)
					go func(worker int) {
						defer wg.Done()
						for i := 0; ; i++ {
							id := fmt.Sprintf("r%d-w%d-%d", round, worker, i)
							plain, err := wecom.SimPlaintext(wecom.SimOptions{Kind: wecom.SimMessage, CorpID: e2eWeComCorp,
								Text: "消息 " + id, MsgID: id, At: time.Now()})
							if err != nil {
								t.Error(err)
								return
							}
							q, body, err := wecom.SealCallback(crypto, plain, time.Now(), "")
							if err != nil {
								t.Error(err)
								return
							}
							answer, err := wecom.PostCallback(context.Background(), hc, srv.URL+"/wecom/callback", q, body)
							mu.Lock()
							if err == nil && answer == "success" {
								acked = append(acked, id)
								if len(acked) >= killAfter*(round+1) && !killed {
									// Kill the moment this 200 is in hand.
									srv.cmd.Process.Signal(syscall.SIGKILL)
									killed = true
								}
							}
							stop := killed
							mu.Unlock()
							if stop || err != nil {
								return
							}
						}
					}(worker)
				}
				wg.Wait()
				srv.cmd.Wait()
				mu.Lock()
				if !killed {
					t.Fatalf("round %d: the server was not killed (acked %d)", round, len(acked))
				}
				mu.Unlock()
			}
			// Restart once more: the replay and stale refusals are logged.
			srv := startServer(t, e)
			plain, _ := wecom.SimPlaintext(wecom.SimOptions{Kind: wecom.SimMessage, CorpID: e2eWeComCorp, Text: "重放", MsgID: "replay-1"})
			q, body, _ := wecom.SealCallback(crypto, plain, time.Now(), "fixed-nonce")
			if _, err := wecom.PostCallback(context.Background(), hc, srv.URL+"/wecom/callback", q, body); err != nil {
				t.Fatalf("first delivery: %v", err)
			}
			if _, err := wecom.PostCallback(context.Background(), hc, srv.URL+"/wecom/callback", q, body); err == nil || !strings.Contains(err.Error(), "403") {
				t.Fatalf("replay accepted: %v", err)
			}
			q, body, _ = wecom.SealCallback(crypto, plain, time.Now().Add(-10*time.Minute), "")
			if _, err := wecom.PostCallback(context.Background(), hc, srv.URL+"/wecom/callback", q, body); err == nil || !strings.Contains(err.Error(), "403") {
				t.Fatalf("stale callback accepted: %v", err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for !(strings.Contains(srv.logText(), "疑似重放") && strings.Contains(srv.logText(), "超出允许的时间窗口")) {
				if time.Now().After(deadline) {
					t.Fatalf("refusals not logged:\n%s", srv.logText())
				}
				time.Sleep(50 * time.Millisecond)
			}
			srv.cmd.Process.Kill()
			srv.cmd.Wait()

			db, err := store.Open(context.Background(), store.Options{DataDir: dataDir, URL: e.URL})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			events, err := db.FindWeComEvents(context.Background(), store.WeComEventFilter{Limit: 100000})
			if err != nil {
				t.Fatal(err)
			}
			have := map[string]int{}
			for _, ev := range events {
				have[strings.TrimPrefix(ev.DedupKey, "msgid:")]++
			}
			for _, id := range acked {
				if have[id] != 1 {
					t.Errorf("acknowledged callback %s: %d rows after SIGKILL", id, have[id])
				}
			}
			if have["replay-1"] != 1 {
				t.Errorf("replay-1: %d rows", have["replay-1"])
			}
			t.Logf("%d acknowledged callbacks over %d kills, all present", len(acked), rounds[e.Name])
		})
	}
}
