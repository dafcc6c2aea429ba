package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Settings are the firm's message-centre settings (admins edit them).
type Settings struct {
	AutoReply     string   // off-hours auto-reply template
	Welcome       string   // welcome message template
	Keywords      []string // urgent keywords
	TargetMinutes int      // the firm's first-response target, in working minutes
	GroupNotice   string   // case group notice template
}

// Default templates.
const (
	DefaultAutoReply = "您好，已收到您的消息。我的工作时间为{工作时间}，将于{下一个工作时段开始}前回复您；紧急事务请致电 {电话}。"
	DefaultWelcome   = "您好，我是{律师}，很高兴为您服务。我的服务时间为{工作时间}（法定节假日除外），非工作时间的消息将在下一个工作时段回复；紧急事务请致电 {电话}。"
	DefaultNotice    = "【群公告】本群为{案号}（{当事人}，{事由}）的案件沟通群。\n1. 本群仅用于本案沟通，请勿转发群内文件和聊天内容；\n2. 承办律师{律师}的工作时间为{工作时间}，非工作时间的消息将在下一个工作时段回复，紧急事务请致电 {电话}；\n3. 重要通知请点击链接确认已读；\n4. 结案后本群将在十五个工作日内解散，请及时保存所需材料。"
)

// DefaultKeywords are the urgent keywords of a new firm.
var DefaultKeywords = []string{"紧急", "开庭", "保全", "查封", "拘留", "逮捕", "冻结", "传票", "判决", "截止"}

// The placeholders each template may use.
var (
	autoReplyPlaceholders = []string{PhNextStart, PhPhone, PhHours, PhLawyer}
	welcomePlaceholders   = []string{PhPhone, PhHours, PhLawyer}
	noticePlaceholders    = []string{PhCaseNo, PhParties, PhCause, PhLawyer, PhPhone, PhHours}
)

// settingsKey holds the settings as JSON in the settings table.
const settingsKey = "inbox.settings"

// DefaultTargetMinutes is the default first-response target.
const DefaultTargetMinutes = 30

// Settings returns the firm's settings (defaults for what is unset).
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	st := Settings{AutoReply: DefaultAutoReply, Welcome: DefaultWelcome, Keywords: DefaultKeywords,
		TargetMinutes: DefaultTargetMinutes, GroupNotice: DefaultNotice}
	raw, err := s.db.Setting(ctx, settingsKey)
	if errors.Is(err, store.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return st, err
	}
	return st, nil
}

// SettingsInput is the settings form as typed.
type SettingsInput struct {
	AutoReply, Welcome, Keywords, GroupNotice string
	TargetMinutes                             int
}

// SaveSettings validates and stores the firm's settings (admins only).
func (s *Service) SaveSettings(ctx context.Context, p *auth.Principal, in SettingsInput) (Settings, error) {
	if err := access.Administer(p.Actor()); err != nil {
		return Settings{}, err
	}
	st := Settings{AutoReply: strings.TrimSpace(in.AutoReply), Welcome: strings.TrimSpace(in.Welcome),
		GroupNotice: strings.TrimSpace(in.GroupNotice), TargetMinutes: in.TargetMinutes}
	if err := CheckTemplate("自动回复模板", st.AutoReply, autoReplyPlaceholders...); err != nil {
		return st, err
	}
	if err := CheckTemplate("欢迎语模板", st.Welcome, welcomePlaceholders...); err != nil {
		return st, err
	}
	if err := CheckTemplate("群公告模板", st.GroupNotice, noticePlaceholders...); err != nil {
		return st, err
	}
	if st.TargetMinutes < 1 || st.TargetMinutes > 7*24*60 {
		return st, invalid("首次响应目标应为 1 到 10080 个工作分钟")
	}
	kw, err := ParseKeywords(in.Keywords)
	if err != nil {
		return st, err
	}
	st.Keywords = kw
	data, err := json.Marshal(st)
	if err != nil {
		return st, err
	}
	return st, s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetSetting(ctx, settingsKey, string(data)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "setting.inbox", "settings/inbox", strings.Join(st.Keywords, "、")))
	})
}

// DND returns a user's do-not-disturb windows (ManageUser decides).
func (s *Service) DND(ctx context.Context, p *auth.Principal, userID int64) ([]model.DNDWindow, error) {
	if err := access.ManageUser(p.Actor(), userID); err != nil {
		return nil, err
	}
	return s.db.DNDWindows(ctx, userID)
}

// SetDND replaces a user's do-not-disturb windows, typed one per line.
func (s *Service) SetDND(ctx context.Context, p *auth.Principal, userID int64, text string) ([]model.DNDWindow, error) {
	if err := access.ManageUser(p.Actor(), userID); err != nil {
		return nil, err
	}
	windows, err := ParseDND(text)
	if err != nil {
		return nil, err
	}
	return windows, s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetDNDWindows(ctx, userID, windows); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "inbox.dnd", target("user", userID), DNDText(windows)))
	})
}

// KFAccounts lists the kf account mapping (admins only).
func (s *Service) KFAccounts(ctx context.Context, p *auth.Principal) ([]*model.KFAccount, error) {
	if err := access.Administer(p.Actor()); err != nil {
		return nil, err
	}
	return s.db.KFAccounts(ctx)
}

// SetKFAccount maps a kf account to a lawyer (admins only); lawyerID 0
// removes the mapping.
func (s *Service) SetKFAccount(ctx context.Context, p *auth.Principal, openKFID, name string, lawyerID int64) error {
	if err := access.Administer(p.Actor()); err != nil {
		return err
	}
	openKFID, name = strings.TrimSpace(openKFID), strings.TrimSpace(name)
	if openKFID == "" || len(openKFID) > 128 || strings.ContainsFunc(openKFID, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return invalid("客服账号 ID（open_kfid）应为企业微信后台显示的英文数字编号，例如 wkAJ2GCAAAZSfhHCt7IFSvLKtMPxyJTw")
	}
	if len([]rune(name)) > 50 {
		return invalid("客服账号名称不能超过 50 字")
	}
	if lawyerID != 0 {
		u, err := s.db.UserByID(ctx, lawyerID)
		if err != nil || u.Disabled {
			return invalid("所选律师不存在或已停用")
		}
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if lawyerID == 0 {
			if err := tx.DeleteKFAccount(ctx, openKFID); err != nil {
				return err
			}
		} else if err := tx.SetKFAccount(ctx, &model.KFAccount{OpenKFID: openKFID, Name: name, LawyerID: lawyerID}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(p, "inbox.kf_account", "kf/"+openKFID, target("user", lawyerID)))
	})
}
