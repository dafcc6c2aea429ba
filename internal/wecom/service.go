package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// ErrNotConfigured means the firm has not saved the WeCom settings a step
// needs.
var ErrNotConfigured = errors.New("尚未配置企业微信连接：请管理员在「企业微信」设置页填写企业 ID、Secret、Token 与 EncodingAESKey")

// ServiceConfig wires a Service.
type ServiceConfig struct {
	DB      *store.DB
	DataDir string // holds keys/wecom.key
	Now     func() time.Time
	Logger  *slog.Logger
	HTTP    *http.Client  // for the REST client; nil: a client with a 15 s timeout
	Window  time.Duration // callback timestamp window; 0: DefaultWindow (±300 s)
}

// Service is lvxin's WeCom connector: the firm's settings, the callback
// endpoint's checks and the durable event queue, the REST client, tag sync
// and customer transfer. Processor drains the queue. Safe for concurrent
// use.
type Service struct {
	db      *store.DB
	dataDir string
	key     []byte // read at first use (keyLocked)
	now     func() time.Time
	logger  *slog.Logger
	http    *http.Client
	window  time.Duration
	wake    chan struct{} // a callback was queued

	batchOnce sync.Once
	batch     chan enqueueRequest // callbacks waiting for the next group commit (batch.go)

	mu      sync.Mutex
	loaded  bool
	current Settings
	crypto  *Crypto
	client  *Client
}

// NewService returns the connector; the settings key is read (or created)
// at the first use of the settings.
func NewService(cfg ServiceConfig) (*Service, error) {
	if cfg.DB == nil || cfg.DataDir == "" {
		return nil, errors.New("wecom: ServiceConfig lacks the database or the data folder")
	}
	s := &Service{db: cfg.DB, dataDir: cfg.DataDir, now: cfg.Now, logger: cfg.Logger, http: cfg.HTTP, window: cfg.Window,
		wake: make(chan struct{}, 1)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.window <= 0 {
		s.window = DefaultWindow
	}
	return s, nil
}

// Settings returns the saved settings with their secrets (for the
// connector's own use; pages use View).
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.loadLocked(ctx); err != nil {
		return Settings{}, err
	}
	return s.current, nil
}

func (s *Service) loadLocked(ctx context.Context) error {
	if s.loaded {
		return nil
	}
	key, err := s.keyLocked()
	if err != nil {
		return err
	}
	cur, err := loadSettings(ctx, s.db, key)
	if err != nil {
		return err
	}
	s.current, s.crypto, s.client, s.loaded = cur, nil, nil, true
	return nil
}

// SaveSettings validates the form over the saved settings (an empty secret
// field keeps its value) and stores them sealed; administrators only,
// audited without any secret.
func (s *Service) SaveSettings(ctx context.Context, actor *model.User, in SettingsInput, ip string) (SettingsView, error) {
	if err := access.Administer(actor); err != nil {
		s.audit(ctx, actor, "wecom.settings.denied", "已拒绝：修改企业微信设置", ip)
		return SettingsView{}, auth.Audited(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.loadLocked(ctx); err != nil {
		// Settings sealed with a lost key cannot be merged; start afresh.
		s.current, s.loaded = Settings{}, true
	}
	next, err := in.merge(s.current)
	if err != nil {
		return SettingsView{}, err
	}
	next.UpdatedAt = s.now().UTC().Truncate(time.Second)
	plain, err := json.Marshal(next)
	if err != nil {
		return SettingsView{}, err
	}
	key, err := s.keyLocked()
	if err != nil {
		return SettingsView{}, err
	}
	sealed, err := seal(key, plain)
	if err != nil {
		return SettingsView{}, err
	}
	changed := changedFields(s.current, next)
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetSetting(ctx, settingsKey, sealed); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditEvent(actor, "wecom.settings", "企业微信设置", "修改："+changed, ip))
	})
	if err != nil {
		return SettingsView{}, err
	}
	s.current, s.crypto, s.client = next, nil, nil
	return next.View(), nil
}

// changedFields names what a save changed, without values for secrets.
func changedFields(old, next Settings) string {
	var out []string
	add := func(cond bool, name string) {
		if cond {
			out = append(out, name)
		}
	}
	add(old.CorpID != next.CorpID, "企业 ID "+next.CorpID)
	add(old.AgentID != next.AgentID, fmt.Sprintf("AgentId %d", next.AgentID))
	add(old.Secret != next.Secret, "Secret（已更换）")
	add(old.Token != next.Token, "Token（已更换）")
	add(old.EncodingAESKey != next.EncodingAESKey, "EncodingAESKey（已更换）")
	add(old.BaseURL != next.BaseURL, "接口地址 "+next.BaseURL)
	if len(out) == 0 {
		return "无变化"
	}
	res := out[0]
	for _, o := range out[1:] {
		res += "、" + o
	}
	return res
}

func auditEvent(actor *model.User, action, target, detail, ip string) *model.AuditEvent {
	ev := &model.AuditEvent{Action: action, Target: target, Detail: detail, IP: ip, Actor: model.ActorCLI}
	if actor != nil {
		ev.ActorID, ev.Actor = actor.ID, actor.Username
	}
	return ev
}

func (s *Service) audit(ctx context.Context, actor *model.User, action, detail, ip string) {
	if err := s.db.Audit(ctx, auditEvent(actor, action, "企业微信", detail, ip)); err != nil {
		s.logger.Error("wecom audit failed", "action", action, "err", err)
	}
}

// View is the settings as the page shows them.
func (s *Service) View(ctx context.Context) (SettingsView, error) {
	cur, err := s.Settings(ctx)
	return cur.View(), err
}

// Client returns the REST client of the saved settings.
func (s *Service) Client(ctx context.Context) (*Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.loadLocked(ctx); err != nil {
		return nil, err
	}
	if s.client != nil {
		return s.client, nil
	}
	if s.current.CorpID == "" || s.current.Secret == "" {
		return nil, ErrNotConfigured
	}
	c, err := NewClient(ClientConfig{BaseURL: s.current.BaseURL, CorpID: s.current.CorpID, Secret: s.current.Secret,
		AgentID: s.current.AgentID, HTTP: s.http, Now: s.now})
	if err != nil {
		return nil, err
	}
	s.client = c
	return c, nil
}

// callbackCrypto returns the callback crypto of the saved settings. Nonces
// are kept in the database (with the queued event), not in Crypto.
func (s *Service) callbackCrypto(ctx context.Context) (*Crypto, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.loadLocked(ctx); err != nil {
		return nil, err
	}
	if s.crypto != nil {
		return s.crypto, nil
	}
	if s.current.Token == "" || s.current.EncodingAESKey == "" {
		return nil, ErrNotConfigured
	}
	c, err := New(Config{Token: s.current.Token, EncodingAESKey: s.current.EncodingAESKey, ReceiveID: s.current.CorpID,
		Window: s.window, Now: s.now})
	if err != nil {
		return nil, err
	}
	s.crypto = c
	return c, nil
}

// TestConnection fetches an access token from the configured API host with
// a fresh client (so a cached token does not hide a changed secret), and
// records the attempt in the audit log.
func (s *Service) TestConnection(ctx context.Context, actor *model.User, ip string) error {
	if err := access.Administer(actor); err != nil {
		s.audit(ctx, actor, "wecom.settings.denied", "已拒绝：测试企业微信连接", ip)
		return auth.Audited(err)
	}
	cur, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	if cur.CorpID == "" || cur.Secret == "" {
		return ErrNotConfigured
	}
	c, err := NewClient(ClientConfig{BaseURL: cur.BaseURL, CorpID: cur.CorpID, Secret: cur.Secret, AgentID: cur.AgentID,
		HTTP: s.http, Now: s.now})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	_, err = c.Token(ctx)
	result := "成功"
	if err != nil {
		result = "失败：" + err.Error()
	}
	s.audit(context.WithoutCancel(ctx), actor, "wecom.test", "测试连接"+result, ip)
	return err
}

// Wake is signalled after a callback is queued (Processor waits on it).
func (s *Service) Wake() <-chan struct{} { return s.wake }

func (s *Service) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// keyLocked reads the settings key, creating it at first use. s.mu is held.
func (s *Service) keyLocked() ([]byte, error) {
	if s.key == nil {
		key, err := loadOrCreateKey(s.dataDir)
		if err != nil {
			return nil, err
		}
		s.key = key
	}
	return s.key, nil
}

// SetMemberWeComID links a firm member to their WeCom userid ("" unlinks);
// administrators only, audited.
func (s *Service) SetMemberWeComID(ctx context.Context, actor *model.User, userID int64, weComUserID, ip string) error {
	if err := s.requireAdmin(ctx, actor, "关联成员的企业微信账号", ip); err != nil {
		return err
	}
	weComUserID = strings.TrimSpace(weComUserID)
	if len(weComUserID) > 64 || strings.ContainsAny(weComUserID, " \t\r\n|") {
		return &FieldError{"wecom_userid", fmt.Sprintf("企业微信 userid 无效：%q（应为管理后台「通讯录」中成员的账号，不含空格）", weComUserID)}
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetUserWeComID(ctx, userID, weComUserID); err != nil {
			return err
		}
		detail := "关联企业微信账号 " + weComUserID
		if weComUserID == "" {
			detail = "取消关联企业微信账号"
		}
		return tx.AppendAudit(ctx, auditEvent(actor, "wecom.member", fmt.Sprintf("用户 %d", userID), detail, ip))
	})
	if errors.Is(err, store.ErrConflict) {
		return &FieldError{"wecom_userid", fmt.Sprintf("企业微信 userid %s 已关联到另一位成员", weComUserID)}
	}
	return err
}

// Members lists the firm's users with their WeCom userids.
func (s *Service) Members(ctx context.Context) ([]store.WeComMember, error) {
	return s.db.WeComMembers(ctx)
}
