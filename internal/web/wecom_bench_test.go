package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/web"
	"github.com/lvxin/lvxin/internal/wecom"
)

// BenchmarkWeComCallback: the whole callback path in-process (middleware,
// verify, decrypt, parse, group commit on SQLite), many callers at once.
func BenchmarkWeComCallback(b *testing.B) {
	db := storetest.Open(b, storetest.Engines(b)[0], nil)
	cfg := testConfig(b, db)
	svc, err := wecom.NewService(wecom.ServiceConfig{DB: db, DataDir: cfg.DataDir})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.SaveSettings(context.Background(), nil, wecom.SettingsInput{CorpID: wcCorp, Token: wcToken, EncodingAESKey: wcAESKey}, ""); err != nil {
		b.Fatal(err)
	}
	cfg.WeCom = svc
	srv, err := web.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	crypto, _ := wecom.New(wecom.Config{Token: wcToken, EncodingAESKey: wcAESKey, ReceiveID: wcCorp})
	var seq atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := strconv.FormatInt(seq.Add(1), 10)
			plain, _ := wecom.SimPlaintext(wecom.SimOptions{Kind: wecom.SimMessage, CorpID: wcCorp, Text: "基准", MsgID: id, At: time.Now()})
			q, body, _ := wecom.SealCallback(crypto, plain, time.Now(), "n"+id)
			req := httptest.NewRequest(http.MethodPost, "/wecom/callback?"+q.Encode(), bytes.NewReader(body))
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("status %d %s", rec.Code, rec.Body)
				return
			}
		}
	})
}
