package main

import (
	"os"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/delivery"
	"github.com/lvxin/lvxin/internal/evidence"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/notify"
	"github.com/lvxin/lvxin/internal/safety"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/wecom"
)

// services are lvxin's workflows. newServices builds each once per process;
// serve hands them to the web server and the CLI commands use the same ones
// (no package outside cmd/lvxin constructs a service).
type services struct {
	schedule *schedule.Service
	book     *clientbook.Service
	chats    *archive.Service
	evidence *evidence.Service
	inbox    *inbox.Service
	delivery *delivery.Service
	notify   *notify.Service
	wecom    *wecom.Service
	// wecomSink receives the WeCom callbacks' messages and events (the
	// message centre); while nil, serve starts no processor and callbacks
	// wait in the durable queue.
	wecomSink wecom.Sink
	// safety: the emergency freeze and the drills; a freeze revokes the
	// delivery links the user issued and tells the admins.
	safety *safety.Service
}

// evidenceOptions configure the evidence log: its timestamp authorities
// and the firm name it takes on first use.
type evidenceOptions struct {
	tsaURL   string
	tsaChain []byte
	firm     string
}

// newServices builds the workflows on a's database and blob store, on the
// test hooks' clock and holiday years when set (see testhooks.go).
func newServices(a *app, dataDir string, ev evidenceOptions, h testHooks) *services {
	sched := schedule.New(a.db, h.now)
	if len(h.base) > 0 {
		sched.SetBaseYears(h.base)
	}
	notes := notify.New(a.db, h.now)
	sched.SetPoster(notes)
	book := clientbook.New(a.db, sched, h.now)
	book.SetPoster(notes)
	wc, err := wecom.NewService(wecom.ServiceConfig{DB: a.db, DataDir: dataDir, Now: h.now})
	if err != nil {
		panic(err) // only for a nil database or an empty data folder, which openApp never passes
	}
	deliver := delivery.New(delivery.Config{DB: a.db, Blobs: a.blobs, DataDir: dataDir, Now: h.now, Calendar: sched.Calendar,
		NotifyTx: notes.PostTx, WatermarkFont: os.Getenv("LVXIN_WATERMARK_FONT")})
	freeze := safety.New(a.db, h.now)
	freeze.Revokers = append(freeze.Revokers, deliver.RevokeIssuedBy)
	freeze.NotifyAdmins = safety.NotifyAdminsVia(notes)
	// The message centre sends through the WeCom connector (which reads
	// the saved settings at every send), knows the members by their linked
	// WeCom userids, and sends nothing on behalf of a frozen user.
	box := inbox.New(inbox.Config{DB: a.db, Schedule: sched, Notify: notes, Now: h.now,
		Sender: wc, Directory: wc, Paused: freeze.UserPaused})
	return &services{
		inbox:     box,
		wecomSink: box,
		notify:    notes,
		schedule:  sched,
		book:      book,
		chats:     &archive.Service{DB: a.db, Blobs: a.blobs},
		evidence: evidence.New(evidence.Config{DB: a.db, Blobs: a.blobs, DataDir: dataDir,
			Firm: ev.firm, TSAURL: ev.tsaURL, TSAChainPEM: ev.tsaChain}),
		wecom:    wc,
		safety:   freeze,
		delivery: deliver,
	}
}

// The WeCom connector is the message centre's sender and directory, and
// the message centre is the connector's sink.
var (
	_ inbox.Sender    = (*wecom.Service)(nil)
	_ inbox.Directory = (*wecom.Service)(nil)
	_ wecom.Sink      = (*inbox.Service)(nil)
)

// evidenceOptions reads the flags' certificate chain file.
func (f tsaFlags) options() (evidenceOptions, error) {
	o := evidenceOptions{tsaURL: f.url, firm: f.firm}
	if f.chain != "" {
		data, err := os.ReadFile(f.chain)
		if err != nil {
			return o, usageErr("无法读取时间戳服务证书链 %s：%v", f.chain, err)
		}
		o.tsaChain = data
	}
	return o, nil
}
