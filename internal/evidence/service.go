package evidence

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/digitorus/timestamp"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/tsa"
)

// Settings rows kept by the service.
const (
	// verifiedSetting is the largest size a verification found good; it is
	// never lowered, so a log found shorter later has lost its tail.
	verifiedSetting  = "ledger_verified_size"
	fullCheckSetting = "ledger_full_check" // "1": the last check failed, recompute everything
	// appendedSetting is the largest size ever written, set in each append's
	// transaction: the log may never be shorter.
	appendedSetting = "ledger_appended_size"
	chainSetting    = "ledger_tsa_chain" // PEM chain of the configured TSA
)

// shanghai is China Standard Time for messages.
var shanghai = calendar.Shanghai

// Config wires a Service.
type Config struct {
	DB      *store.DB
	Blobs   *blob.Store
	DataDir string
	// Firm names the log on first use: "lvxin.local/<firm>/evidence".
	Firm string
	// TSAURL is the RFC 3161 time-stamping authority; empty: no timestamps.
	// Several URLs separated by commas each stamp every checkpoint.
	TSAURL string
	// TSAChainPEM is the TSA's certificate chain (TSA certificate, then its
	// CA) for exported bundles; when set it is remembered in the database.
	TSAChainPEM []byte
	HTTP        *http.Client // for the TSA; nil: a client with a 30 s timeout
	Now         func() time.Time
}

// Service is the evidence workflow. Safe for concurrent use. The log is
// opened and verified at first use.
type Service struct {
	cfg Config

	openMu sync.Mutex
	log    *ledger.Log
	keys   *logKeys
	state  State

	batchMu sync.Mutex
	pending []*appendReq
	leading bool
	// commits counts group commits (tests assert that concurrent appends
	// share them); beforeCommit, when set by a test, runs before each.
	commits      atomic.Int64
	beforeCommit func()

	pendingMu   sync.Mutex
	pendingAdds map[string]pendingAdd // uploads awaiting a duplicate confirmation
}

// State is what the page shows about the log.
type State struct {
	Origin       string
	VKey         string
	Size         uint64
	VerifiedFrom uint64 // the start-up check recomputed [VerifiedFrom, Size)
	CheckedAt    time.Time
	OK           bool
	Problems     []string // failed findings of the start-up check
	Timestamped  bool     // a TSA is configured
	Latest       *ledger.Checkpoint
	// Tail is set when the start-up check found entries no signed
	// checkpoint covered (an add interrupted before its checkpoint).
	Tail *TailFinding
}

// TailFinding describes entries [From, To) found without a signed
// checkpoint, and whether signing one then succeeded.
type TailFinding struct {
	From, To uint64
	Signed   bool
	Err      string // why signing failed
}

// String is the Chinese sentence for the page and the report.
func (t TailFinding) String() string {
	what := fmt.Sprintf("日志第 %d 至 %d 条没有被签名检查点覆盖（保全过程可能曾中断）", t.From, t.To-1)
	if t.Signed {
		return what + "，已补签检查点"
	}
	return what + "，补签检查点失败：" + t.Err
}

// New returns a service; nothing is opened until first use.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	return &Service{cfg: cfg}
}

// Timestamped reports whether a TSA is configured.
func (s *Service) Timestamped() bool { return s.cfg.TSAURL != "" }

// open loads the key and the log and verifies the log incrementally, once
// per process. A broken log stays open (for the page and exports) but
// refuses appends.
func (s *Service) open(ctx context.Context) (*ledger.Log, error) {
	s.openMu.Lock()
	defer s.openMu.Unlock()
	if s.log != nil {
		return s.log, nil
	}
	keys, err := loadOrCreateKeys(ctx, s.cfg.DB, s.cfg.DataDir, s.cfg.Firm)
	if err != nil {
		return nil, err
	}
	var ts ledger.Timestamper
	switch urls := tsa.ParseURLs(s.cfg.TSAURL); len(urls) {
	case 0:
	case 1:
		ts = tsa.Client{URL: urls[0], HTTP: s.cfg.HTTP}
	default:
		var all tsa.Authorities
		for _, u := range urls {
			all = append(all, tsa.Client{URL: u, HTTP: s.cfg.HTTP})
		}
		ts = all
	}
	log, err := ledger.Open(ctx, NewSQLStorage(s.cfg.DB), keys.signer, keys.verifier, keys.verifier.Name(), ts, s.cfg.Now)
	if err != nil {
		return nil, err
	}
	if len(s.cfg.TSAChainPEM) > 0 {
		if err := checkChainPEM(s.cfg.TSAChainPEM); err != nil {
			return nil, err
		}
		if err := s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
			return tx.SetSetting(ctx, chainSetting, string(s.cfg.TSAChainPEM))
		}); err != nil {
			return nil, err
		}
	}
	known, minSize, full, err := s.knownGood(ctx)
	if err != nil {
		return nil, err
	}
	from := known
	if full {
		from = 0
	}
	rep, err := log.VerifyKnown(ctx, from, minSize)
	if err != nil {
		return nil, err
	}
	s.log, s.keys = log, keys
	s.state = State{Origin: log.Origin(), VKey: keys.vkey, Size: rep.VerifiedSize, VerifiedFrom: from,
		CheckedAt: s.cfg.Now().UTC(), OK: len(rep.Failures()) == 0, Timestamped: s.Timestamped()}
	for _, f := range rep.Failures() {
		s.state.Problems = append(s.state.Problems, f.Item+"："+f.Reason)
	}
	if err := s.rememberVerified(ctx, rep.VerifiedSize, s.state.OK); err != nil {
		return nil, err
	}
	if s.state.OK {
		tail, found, err := signTail(ctx, log, rep.VerifiedSize)
		if err != nil {
			return nil, err
		}
		if found {
			s.state.Tail = &tail
		}
	}
	return log, nil
}

// knownGood reads the largest size verified good (the start-up check
// recomputes only what follows), the size the log may not be below (the
// largest verified or ever written), and whether the last check failed
// (then the next one recomputes everything).
func (s *Service) knownGood(ctx context.Context) (verified, minSize uint64, full bool, err error) {
	sizes := [2]uint64{}
	for i, key := range []string{verifiedSetting, appendedSetting} {
		v, err := s.cfg.DB.Setting(ctx, key)
		switch {
		case err == nil:
			if sizes[i], err = strconv.ParseUint(v, 10, 64); err != nil {
				return 0, 0, false, fmt.Errorf("设置 %s 的值 %q 不是非负整数", key, v)
			}
		case !errors.Is(err, store.ErrNotFound):
			return 0, 0, false, err
		}
	}
	v, err := s.cfg.DB.Setting(ctx, fullCheckSetting)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return 0, 0, false, err
	}
	return sizes[0], max(sizes[0], sizes[1]), v == "1", nil
}

// rememberVerified records the outcome of a check: a pass raises the
// known-good size (never lowers it) and clears the full-check flag; a
// failure sets the flag, so that every later start-up check in any process
// recomputes everything and finds the same damage.
func (s *Service) rememberVerified(ctx context.Context, size uint64, ok bool) error {
	return s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if !ok {
			return tx.SetSetting(ctx, fullCheckSetting, "1")
		}
		if v, err := tx.Setting(ctx, verifiedSetting); err == nil {
			if old, err := strconv.ParseUint(v, 10, 64); err == nil && old > size {
				size = old
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := tx.SetSetting(ctx, verifiedSetting, strconv.FormatUint(size, 10)); err != nil {
			return err
		}
		return tx.SetSetting(ctx, fullCheckSetting, "0")
	})
}

// signTail signs a checkpoint when the newest one covers fewer than size
// entries (an add stopped between its commit and its checkpoint) and
// reports what it found; found is false when every entry was covered. A
// failure to sign (a TSA that does not answer) is told in the finding, not
// returned, because the entries themselves are intact.
func signTail(ctx context.Context, log *ledger.Log, size uint64) (tail TailFinding, found bool, err error) {
	covered := uint64(0)
	cp, err := log.LatestCheckpoint(ctx)
	switch {
	case err == nil:
		covered = cp.Size
	case !errors.Is(err, ledger.ErrNoCheckpoint):
		return TailFinding{}, false, err
	}
	if covered >= size {
		return TailFinding{}, false, nil
	}
	tail = TailFinding{From: covered, To: size}
	if _, err := log.Checkpoint(ctx); err != nil {
		tail.Err = err.Error()
	} else {
		tail.Signed = true
	}
	return tail, true, nil
}

// State returns the log's state, opening (and checking) it at first use.
func (s *Service) State(ctx context.Context) (State, error) {
	log, err := s.open(ctx)
	if err != nil {
		return State{}, err
	}
	s.openMu.Lock()
	st := s.state
	s.openMu.Unlock()
	if st.Size, err = log.Size(ctx); err != nil {
		return st, err
	}
	cp, err := log.LatestCheckpoint(ctx)
	switch {
	case err == nil:
		st.Latest = &cp
	case !errors.Is(err, ledger.ErrNoCheckpoint):
		return st, err
	}
	return st, nil
}

// Checkpoint signs (and, with a TSA, timestamps) the current tree head.
func (s *Service) Checkpoint(ctx context.Context) (ledger.Checkpoint, error) {
	log, err := s.open(ctx)
	if err != nil {
		return ledger.Checkpoint{}, err
	}
	return log.Checkpoint(ctx)
}

// LatestCheckpoint returns the newest signed checkpoint.
func (s *Service) LatestCheckpoint(ctx context.Context) (ledger.Checkpoint, error) {
	log, err := s.open(ctx)
	if err != nil {
		return ledger.Checkpoint{}, err
	}
	return log.LatestCheckpoint(ctx)
}

// Item returns one evidence item actor may see and records the view in the
// audit log (chain of custody); a refused view is audited too.
func (s *Service) Item(ctx context.Context, actor *auth.Principal, client auth.Client, id int64) (*model.EvidenceItem, error) {
	item, err := s.cfg.DB.EvidenceItem(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(ctx, actor, client, item, "查看证据详情"); err != nil {
		return nil, err
	}
	err = s.cfg.DB.Audit(ctx, auditEvent(actor, client, "evidence.view", item, "查看证据详情"))
	return item, err
}

func auditEvent(actor *auth.Principal, client auth.Client, action string, item *model.EvidenceItem, detail string) *model.AuditEvent {
	ev := &model.AuditEvent{Actor: model.ActorCLI, Action: action, Target: fmt.Sprintf("evidence/%d", item.ID),
		Detail: fmt.Sprintf("%s（日志序号 %d，%s，SHA-256 %s）", detail, item.LogIndex, item.Title, item.SHA256), IP: client.IP}
	if actor != nil {
		ev.ActorID, ev.Actor = actor.User.ID, actor.User.Username
	}
	return ev
}

func actorName(actor *auth.Principal) (int64, string) {
	if actor == nil {
		return 0, model.ActorCLI
	}
	return actor.User.ID, actor.User.Username
}

// checkChainPEM requires at least one certificate.
func checkChainPEM(chain []byte) error {
	block, _ := pem.Decode(chain)
	if block == nil || block.Type != "CERTIFICATE" {
		return fmt.Errorf("%w：时间戳服务证书链不是 PEM 格式的证书", model.ErrInvalidInput)
	}
	return nil
}

// tsaChain returns the PEM chain for a bundle with tsr: the configured or
// remembered chain, else the certificates the response itself carries (then
// the verifier must obtain the TSA's root certificate separately).
func (s *Service) tsaChain(ctx context.Context, tsr []byte) ([]byte, bool, error) {
	if len(s.cfg.TSAChainPEM) > 0 {
		return s.cfg.TSAChainPEM, true, nil
	}
	if v, err := s.cfg.DB.Setting(ctx, chainSetting); err == nil && v != "" {
		return []byte(v), true, nil
	}
	responses, err := tsa.Split(tsr)
	if err != nil {
		return nil, false, err
	}
	var out []byte
	for _, r := range responses {
		resp, err := timestamp.ParseResponse(r)
		if err != nil {
			return nil, false, fmt.Errorf("时间戳响应无法解析：%w", err)
		}
		for _, c := range resp.Certificates {
			out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
		}
	}
	if len(out) == 0 {
		return nil, false, errors.New("时间戳响应不含证书，且未配置时间戳服务的证书链（--tsa-chain）")
	}
	return out, false, nil
}
