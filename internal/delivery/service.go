package delivery

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Config wires a Service.
type Config struct {
	DB    *store.DB
	Blobs *blob.Store
	// DataDir holds the link key (KeyFile), created on first use.
	DataDir string
	Now     func() time.Time
	// Calendar returns the working-day calendar (with imported holidays);
	// nil: calendar.Default.
	Calendar func(ctx context.Context) (*calendar.Calendar, error)
	// NotifyTx posts a notification inside the transaction that records
	// what it is about (the notification centre's PostTx); nil: none.
	NotifyTx func(ctx context.Context, tx *store.Tx, n model.Notification) error
	// WatermarkFont is a TrueType font (or collection) with Chinese glyphs
	// for watermarks (cmd/lvxin: LVXIN_WATERMARK_FONT); "" searches the
	// usual system places (see watermark.go).
	WatermarkFont string
}

// Service is the delivery workflow. Safe for concurrent use.
type Service struct {
	cfg Config

	keyOnce sync.Once
	key     *Key
	keyErr  error
}

// New returns a service; the link key is loaded at first use.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Calendar == nil {
		cfg.Calendar = func(context.Context) (*calendar.Calendar, error) { return calendar.Default(), nil }
	}
	return &Service{cfg: cfg}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Microsecond) }

// Key returns the link key, loading or creating it at first use.
func (s *Service) Key() (*Key, error) {
	s.keyOnce.Do(func() { s.key, s.keyErr = LoadOrCreateKey(s.cfg.DataDir) })
	return s.key, s.keyErr
}

func actorOf(p *auth.Principal) (int64, string) {
	if p == nil {
		return 0, model.ActorCLI
	}
	return p.User.ID, p.User.Username
}

// matter loads a matter actor may see; a hidden or missing matter is
// refused alike (ErrHidden), the refusal audited with what was attempted.
func (s *Service) matter(ctx context.Context, actor *auth.Principal, client auth.Client, id int64, what string) (*model.Matter, error) {
	m, err := s.cfg.DB.MatterByID(ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if err == nil && access.SendDocument(actor.Actor(), m) == nil {
		return m, nil
	}
	return nil, s.deny(ctx, actor, client, fmt.Sprintf("matter/%d", id), what)
}

// deny audits a refusal and returns auth.ErrHidden marked as audited.
func (s *Service) deny(ctx context.Context, actor *auth.Principal, client auth.Client, target, what string) error {
	id, name := actorOf(actor)
	if err := s.cfg.DB.Audit(ctx, &model.AuditEvent{ActorID: id, Actor: name, Action: "delivery.denied", Target: target,
		Detail: "无权访问，已拒绝：" + what, IP: client.IP}); err != nil {
		return err
	}
	return auth.Audited(auth.ErrHidden)
}

func (s *Service) audit(ctx context.Context, tx *store.Tx, actor *auth.Principal, client auth.Client, action, target, detail string) error {
	id, name := actorOf(actor)
	return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: id, Actor: name, Action: action, Target: target, Detail: detail, IP: client.IP})
}

// maxTextRunes bounds each free-text field.
const maxTextRunes = 200

// cleanText trims a field and refuses invalid or overlong text, naming the
// field.
func cleanText(field, v string, required bool) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case !store.ValidText(v):
		return "", fmt.Errorf("%w：“%s”含有不允许的字符（空字符 NUL 或无效的 UTF-8 编码）", model.ErrInvalidInput, field)
	case required && v == "":
		return "", fmt.Errorf("%w：请填写“%s”", model.ErrInvalidInput, field)
	case utf8.RuneCountInString(v) > maxTextRunes:
		return "", fmt.Errorf("%w：“%s”过长（最多 %d 字）", model.ErrInvalidInput, field, maxTextRunes)
	}
	return v, nil
}

// RecipientKey is how recipient names are compared (NDA gate): spaces
// collapsed, case folded, full-width letters and digits as half-width.
func RecipientKey(name string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - 0xFEE0
		case r == '\u3000':
			return ' '
		}
		return r
	}, name)
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// MatterView is what the matter page shows of delivery.
type MatterView struct {
	Documents  []*model.Document
	NDAs       []*model.NDA
	Deliveries []*model.Delivery
	// DocTitle names each delivery's document.
	DocTitle map[int64]string
}

// ForMatter returns a matter's documents, NDAs and links, for a user who
// may see the matter.
func (s *Service) ForMatter(ctx context.Context, actor *auth.Principal, client auth.Client, matterID int64) (*MatterView, error) {
	if _, err := s.matter(ctx, actor, client, matterID, "查看案件文件与传输记录"); err != nil {
		return nil, err
	}
	v := &MatterView{DocTitle: map[int64]string{}}
	var err error
	if v.Documents, err = s.cfg.DB.MatterDocuments(ctx, matterID); err != nil {
		return nil, err
	}
	for _, d := range v.Documents {
		v.DocTitle[d.ID] = d.Title
	}
	if v.NDAs, err = s.cfg.DB.MatterNDAs(ctx, matterID); err != nil {
		return nil, err
	}
	if v.Deliveries, err = s.cfg.DB.MatterDeliveries(ctx, matterID); err != nil {
		return nil, err
	}
	return v, nil
}
