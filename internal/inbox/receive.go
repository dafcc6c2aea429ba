package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
)

// maxMessageRunes bounds a stored message (WeCom's own limit is 2048
// bytes for kf text; longer input is cut, not refused).
const maxMessageRunes = 4000

// Received is what Message did with one incoming message.
type Received struct {
	Conversation *model.InboxConversation
	Duplicate    bool   // a retried delivery, ignored
	AutoReply    string // the auto-reply's status ("" when none was due)
	Urgent       string // the urgent keyword found ("" when none)
	DND          bool   // the lawyer was in a do-not-disturb window
}

// Message receives one client message (the wecom processor's Sink): it is
// stored in its conversation, an off-hours message gets the auto-reply
// once per off-hours period, and the lawyer is notified unless in a
// do-not-disturb window (urgent keywords notify anyway, also by app
// message). A retried delivery (same MsgID) changes nothing.
func (s *Service) Message(ctx context.Context, in model.InboundMessage) error {
	_, err := s.Receive(ctx, in)
	return err
}

// Receive is Message returning what it did.
func (s *Service) Receive(ctx context.Context, in model.InboundMessage) (Received, error) {
	if in.Channel != model.ChannelKF && in.Channel != model.ChannelSimulator {
		return Received{}, invalid("消息渠道 %q 不支持（应为 kf 或 simulator）", in.Channel)
	}
	if strings.TrimSpace(in.ExternalUserID) == "" {
		return Received{}, invalid("消息缺少客户的 external_userid")
	}
	if in.Kind == model.InboundEvent {
		// A kf event, not client text: a client entering the session may
		// get the welcome message; other events are not stored.
		if in.Text == "enter_session" && in.WelcomeCode != "" {
			return Received{}, s.kfWelcome(ctx, in)
		}
		return Received{}, nil
	}
	if !utf8.ValidString(in.Text) {
		in.Text = strings.ToValidUTF8(in.Text, "\uFFFD")
	}
	if r := []rune(in.Text); len(r) > maxMessageRunes {
		in.Text = string(r[:maxMessageRunes]) + "…"
	}
	if in.Kind == "" {
		in.Kind = "text"
	}
	if in.SentAt.IsZero() {
		in.SentAt = s.cfg.Now()
	}
	lawyerID, err := s.db.KFAccountLawyer(ctx, in.OpenKFID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Received{}, err
	}
	var contactID int64
	if c, err := s.db.ContactByExternalUserID(ctx, in.ExternalUserID); err == nil {
		contactID = c.ID
	}
	settings, err := s.Settings(ctx)
	if err != nil {
		return Received{}, err
	}
	text := in.Text
	if in.Kind != "text" && text == "" {
		text = "[" + kindLabel(in.Kind) + "]"
	}
	rec := Received{Urgent: UrgentKeyword(text, settings.Keywords)}
	msg := &model.InboxMessage{Direction: model.DirectionIn, MsgID: in.MsgID, Kind: in.Kind, Text: text, SentAt: in.SentAt,
		Urgent: rec.Urgent != ""}
	var st schedule.WorkingStatus
	if s.cfg.Schedule != nil {
		if st, err = s.cfg.Schedule.Status(ctx, lawyerID, in.SentAt); err != nil {
			return Received{}, err
		}
	} else {
		st.Inside = true
	}
	claimed := false
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		conv, err := tx.EnsureInboxConversation(ctx, &model.InboxConversation{Channel: in.Channel, OpenKFID: in.OpenKFID,
			ExternalUserID: in.ExternalUserID, ContactID: contactID, LawyerID: lawyerID, LastMessageAt: in.SentAt})
		if err != nil {
			return err
		}
		rec.Conversation = conv
		msg.ConversationID = conv.ID
		if err := tx.AddInboxMessage(ctx, msg); err != nil {
			return err
		}
		if err := tx.SetInboxWaiting(ctx, conv.ID, in.SentAt); err != nil {
			return err
		}
		if !st.Inside {
			claimed, err = tx.ClaimAutoReply(ctx, conv.ID, st.NextStart)
		}
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		rec.Duplicate = true
		return rec, nil
	}
	if err != nil {
		return Received{}, err
	}
	conv := rec.Conversation
	if claimed {
		values := map[string]string{PhNextStart: StartText(st.NextStart), PhPhone: s.phone(ctx, conv.LawyerID),
			PhHours: HoursText(st.Policy), PhLawyer: s.lawyerName(ctx, conv.LawyerID)}
		out := &model.InboxMessage{ConversationID: conv.ID, Direction: model.DirectionOut, Kind: "text",
			Text: Render(settings.AutoReply, values), Auto: model.AutoOffHours}
		if err := s.send(ctx, conv, out, conv.LawyerID); err != nil {
			return rec, err
		}
		rec.AutoReply = out.Status
	}
	if conv.LawyerID != 0 {
		windows, err := s.db.DNDWindows(ctx, conv.LawyerID)
		if err != nil {
			return rec, err
		}
		rec.DND = InDND(windows, in.SentAt)
	}
	s.alert(ctx, conv, text, rec)
	return rec, nil
}

// send sends an outgoing kf message on behalf of lawyer (and of the
// sender, when a person replies) and records it with its outcome: held
// back (已暂停) when either is frozen, failed when WeCom refuses.
func (s *Service) send(ctx context.Context, conv *model.InboxConversation, out *model.InboxMessage, onBehalf ...int64) error {
	out.SentAt = s.cfg.Now()
	switch {
	case s.paused(ctx, onBehalf...):
		out.Status, out.Error = model.SendPaused, "已暂停：账号处于紧急冻结状态，消息未发出"
	case s.cfg.Sender == nil:
		out.Status, out.Error = model.SendFailed, ErrNoSender.Error()
	default:
		if err := s.cfg.Sender.SendKFText(ctx, conv.OpenKFID, conv.ExternalUserID, out.Text); err != nil {
			out.Status, out.Error = model.SendFailed, err.Error()
		} else {
			out.Status = model.SendSent
		}
	}
	return s.db.Update(ctx, func(tx *store.Tx) error { return tx.AddInboxMessage(ctx, out) })
}

// alert tells the lawyer (or, for a conversation of no lawyer, the admins)
// about a new message: an urgent one by app message and notification even
// during do-not-disturb, any other one by notification unless in a
// do-not-disturb window (then it waits silently in the inbox).
func (s *Service) alert(ctx context.Context, conv *model.InboxConversation, text string, rec Received) {
	preview := text
	if r := []rune(preview); len(r) > 60 {
		preview = string(r[:60]) + "…"
	}
	who := s.clientName(ctx, conv)
	n := model.Notification{UserID: conv.LawyerID, Kind: model.NotifyInboxMessage, Title: "客户消息：" + who,
		Body: preview, Link: fmt.Sprintf("/inbox/%d", conv.ID), MatterID: conv.MatterID}
	if rec.Urgent != "" {
		n.Kind, n.Title = model.NotifyUrgentMessage, fmt.Sprintf("紧急客户消息（%s）：%s", rec.Urgent, who)
		if s.cfg.Sender != nil && s.cfg.Directory != nil && conv.LawyerID != 0 {
			if uid, ok := s.cfg.Directory.WeComUserID(ctx, conv.LawyerID); ok {
				body := fmt.Sprintf("【律信·紧急】%s 的消息含“%s”：%s\n请在律信“消息”中查看并回复。", who, rec.Urgent, preview)
				if err := s.cfg.Sender.SendAppText(ctx, []string{uid}, body); err != nil {
					s.cfg.Logger.Warn("urgent app message failed", "conversation", conv.ID, "err", err)
				} else {
					// Already on the phone: the notification centre's
					// pusher must not send it a second time.
					n.PushedAt = s.cfg.Now()
				}
			}
		}
	} else if rec.DND {
		return
	}
	if s.cfg.Notify == nil {
		return
	}
	var err error
	if conv.LawyerID == 0 {
		err = s.cfg.Notify.PostToAdmins(ctx, n)
	} else {
		err = s.cfg.Notify.Post(ctx, n)
	}
	if err != nil {
		s.cfg.Logger.Warn("inbox notification failed", "conversation", conv.ID, "err", err)
	}
}

// clientName names a conversation's client: the contact's name, else the
// end of the external user id.
func (s *Service) clientName(ctx context.Context, conv *model.InboxConversation) string {
	if conv.ContactID != 0 {
		if c, err := s.db.ContactByID(ctx, conv.ContactID); err == nil {
			return c.Name
		}
	}
	id := conv.ExternalUserID
	if len(id) > 6 {
		id = id[len(id)-6:]
	}
	return "微信客户 …" + id
}

// ClientName is clientName for the web layer.
func (s *Service) ClientName(ctx context.Context, conv *model.InboxConversation) string {
	return s.clientName(ctx, conv)
}

func kindLabel(kind string) string {
	switch kind {
	case "image":
		return "图片"
	case "voice":
		return "语音"
	case "video":
		return "视频"
	case "file":
		return "文件"
	case "location":
		return "位置"
	case "link":
		return "链接"
	case "miniprogram":
		return "小程序"
	}
	return "消息"
}

// ContactEvent handles a change of a staff member's external contacts: a
// new contact with a welcome code gets the welcome message carrying the
// service hours, once per welcome code (WeCom allows 20 seconds and one
// use).
func (s *Service) ContactEvent(ctx context.Context, e model.ContactEvent) error {
	if e.Change != "add_external_contact" || e.WelcomeCode == "" {
		return nil
	}
	var lawyerID int64
	if s.cfg.Directory != nil {
		lawyerID, _ = s.cfg.Directory.UserIDByWeCom(ctx, e.StaffUserID)
	}
	return s.welcome(ctx, e.WelcomeCode, e.StaffUserID, e.ExternalUserID, lawyerID, func(text string) error {
		return s.cfg.Sender.SendWelcome(ctx, e.WelcomeCode, text)
	})
}

// welcome renders the welcome message with the lawyer's service hours,
// claims the welcome code (a retried event sends nothing) and sends it
// unless the lawyer is frozen, recording the outcome.
func (s *Service) welcome(ctx context.Context, code, staff, external string, lawyerID int64, send func(text string) error) error {
	settings, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	var hours string
	if s.cfg.Schedule != nil {
		pol, err := s.cfg.Schedule.Policy(ctx, lawyerID)
		if err != nil {
			return err
		}
		hours = HoursText(pol)
	}
	w := &model.Welcome{WelcomeCode: code, StaffUserID: staff, ExternalUserID: external, LawyerID: lawyerID, Status: "sending",
		Text: Render(settings.Welcome, map[string]string{PhHours: hours, PhPhone: s.phone(ctx, lawyerID),
			PhLawyer: s.lawyerName(ctx, lawyerID)})}
	claimed := false
	if err := s.db.Update(ctx, func(tx *store.Tx) (err error) {
		claimed, err = tx.ClaimWelcome(ctx, w)
		return err
	}); err != nil || !claimed {
		return err
	}
	status, errText := model.SendSent, ""
	switch {
	case s.paused(ctx, lawyerID):
		status, errText = model.SendPaused, "已暂停：账号处于紧急冻结状态，欢迎语未发出"
	case s.cfg.Sender == nil:
		status, errText = model.SendFailed, ErrNoSender.Error()
	default:
		if err := send(w.Text); err != nil {
			status, errText = model.SendFailed, err.Error()
		}
	}
	return s.db.Update(ctx, func(tx *store.Tx) error { return tx.SetWelcomeStatus(ctx, code, status, errText) })
}

// kfWelcomer is what a Sender offers when it can send the kf session
// welcome (kf/send_msg_on_event); the wecom client does.
type kfWelcomer interface {
	SendKFWelcome(ctx context.Context, welcomeCode, text string) error
}

// kfWelcome sends the welcome of a client entering a kf session, once per
// welcome code, with the service hours of the kf account's lawyer.
func (s *Service) kfWelcome(ctx context.Context, in model.InboundMessage) error {
	lawyerID, err := s.db.KFAccountLawyer(ctx, in.OpenKFID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return s.welcome(ctx, in.WelcomeCode, "kf:"+in.OpenKFID, in.ExternalUserID, lawyerID, func(text string) error {
		kw, ok := s.cfg.Sender.(kfWelcomer)
		if !ok {
			return ErrNoSender
		}
		return kw.SendKFWelcome(ctx, in.WelcomeCode, text)
	})
}

// Welcomes lists the welcome messages sent (admins see them on the
// settings page).
func (s *Service) Welcomes(ctx context.Context) ([]*model.Welcome, error) {
	return s.db.Welcomes(ctx, 50)
}
