package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// The message centre (消息): client conversations, replies, settings and
// the response-time report.

type inboxRow struct {
	Conversation *model.InboxConversation
	Client       string
	Lawyer       string
	Matter       string
}

type inboxView struct {
	Rows     []inboxRow
	Archives []*model.ConversationSummary
	IsAdmin  bool
}

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	ctx := r.Context()
	matterID, _ := strconv.ParseInt(r.URL.Query().Get("matter"), 10, 64) // from a matter page
	list, err := s.cfg.Inbox.Conversations(ctx, p, matterID, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, _, err := s.userNames(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := inboxView{IsAdmin: access.IsAdmin(p.Actor())}
	var matterIDs []int64
	for _, c := range list {
		if c.MatterID != 0 {
			matterIDs = append(matterIDs, c.MatterID)
		}
	}
	matters, err := s.cfg.DB.MattersByID(ctx, matterIDs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range list {
		row := inboxRow{Conversation: c, Client: s.cfg.Inbox.ClientName(ctx, c), Lawyer: names[c.LawyerID]}
		if m := matters[c.MatterID]; m != nil {
			row.Matter = fullWidthBrackets(m.Ref())
		}
		view.Rows = append(view.Rows, row)
	}
	// Imported chat archives beside them (each through its own rule).
	visible, err := s.chats().Visible(ctx, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Archives, err = s.cfg.DB.VisibleConversations(ctx, visible, store.ConversationPage{Limit: 10}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "inbox", page{Title: "消息", Active: "/inbox", Data: view})
}

type inboxConversationView struct {
	Thread  *inbox.Thread
	Names   map[int64]string
	Matters []matterOption
	Reply   string
}

func (s *Server) inboxConversation(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderInboxConversation(w, r, p, http.StatusOK, "", "")
}

func (s *Server) renderInboxConversation(w http.ResponseWriter, r *http.Request, p *auth.Principal, status int, msg, reply string) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	th, err := s.cfg.Inbox.Conversation(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := inboxConversationView{Thread: th, Reply: reply}
	if view.Names, _, err = s.userNames(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Matters, err = s.matterOptions(r, p, th.Conversation.MatterID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "inbox_conversation", page{Title: "会话：" + th.Client, Active: "/inbox", Error: msg, Data: view})
}

func (s *Server) inboxReply(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	text := r.PostFormValue("text")
	out, err := s.cfg.Inbox.Reply(r.Context(), p, id, text)
	if errors.Is(err, model.ErrInvalidInput) {
		s.renderInboxConversation(w, r, p, http.StatusBadRequest, err.Error(), text)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	done := "sent"
	switch out.Status {
	case model.SendPaused:
		done = "paused"
	case model.SendFailed:
		done = "failed"
	}
	http.Redirect(w, r, fmt.Sprintf("/inbox/%d?done=%s#reply", id, done), http.StatusSeeOther)
}

func (s *Server) inboxMatter(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	matterID, _ := strconv.ParseInt(r.PostFormValue("matter_id"), 10, 64)
	if err := s.cfg.Inbox.LinkMatter(r.Context(), p, id, matterID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/inbox/%d?done=saved", id), http.StatusSeeOther)
}

type inboxSettingsView struct {
	Settings inbox.Settings
	Keywords string
	DND      string
	KF       []*model.KFAccount
	Welcomes []*model.Welcome
	Users    []*model.User
	Names    map[int64]string
	IsAdmin  bool
	Hours    string
}

func (s *Server) inboxSettingsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderInboxSettings(w, r, p, http.StatusOK, "", nil)
}

// renderInboxSettings shows the settings; typed, when set, keeps the
// values of a refused form.
func (s *Server) renderInboxSettings(w http.ResponseWriter, r *http.Request, p *auth.Principal, status int, msg string, typed url.Values) {
	ctx := r.Context()
	st, err := s.cfg.Inbox.Settings(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := inboxSettingsView{Settings: st, Keywords: strings.Join(st.Keywords, "、"), IsAdmin: access.IsAdmin(p.Actor())}
	windows, err := s.cfg.Inbox.DND(ctx, p, p.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view.DND = inbox.DNDText(windows)
	pol, err := s.cfg.Schedule.Policy(ctx, p.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view.Hours = inbox.HoursText(pol)
	if view.IsAdmin {
		if view.KF, err = s.cfg.Inbox.KFAccounts(ctx, p); err != nil {
			s.fail(w, r, err)
			return
		}
		if view.Welcomes, err = s.cfg.Inbox.Welcomes(ctx); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if view.Names, view.Users, err = s.userNames(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if typed != nil {
		if typed.Has("auto_reply") {
			view.Settings.AutoReply, view.Settings.Welcome = typed.Get("auto_reply"), typed.Get("welcome")
			view.Settings.GroupNotice, view.Keywords = typed.Get("group_notice"), typed.Get("keywords")
			view.Settings.TargetMinutes, _ = strconv.Atoi(typed.Get("target_minutes"))
		}
		if typed.Has("dnd") {
			view.DND = typed.Get("dnd")
		}
	}
	s.render(w, r, status, "inbox_settings", page{Title: "消息设置", Active: "/inbox", Error: msg, Data: view})
}

func (s *Server) inboxSettingsSubmit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	f := r.PostFormValue
	target, _ := strconv.Atoi(f("target_minutes"))
	_, err := s.cfg.Inbox.SaveSettings(r.Context(), p, inbox.SettingsInput{AutoReply: f("auto_reply"), Welcome: f("welcome"),
		Keywords: f("keywords"), GroupNotice: f("group_notice"), TargetMinutes: target})
	s.settingsDone(w, r, p, err)
}

func (s *Server) inboxDNDSubmit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	_, err := s.cfg.Inbox.SetDND(r.Context(), p, p.User.ID, r.PostFormValue("dnd"))
	s.settingsDone(w, r, p, err)
}

func (s *Server) inboxKFSubmit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	lawyer, _ := strconv.ParseInt(r.PostFormValue("lawyer_id"), 10, 64)
	err := s.cfg.Inbox.SetKFAccount(r.Context(), p, r.PostFormValue("open_kfid"), r.PostFormValue("name"), lawyer)
	s.settingsDone(w, r, p, err)
}

// settingsDone answers a settings form: back to the page, or the page
// again with the error and the typed values.
func (s *Server) settingsDone(w http.ResponseWriter, r *http.Request, p *auth.Principal, err error) {
	if errors.Is(err, model.ErrInvalidInput) {
		s.renderInboxSettings(w, r, p, http.StatusBadRequest, err.Error(), r.PostForm)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/inbox/settings?done=saved", http.StatusSeeOther)
}

type inboxReportView struct {
	Report     *inbox.WeeklyReport
	Prev, Next string
}

func (s *Server) inboxReport(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	day := calendar.DateOf(s.cfg.Inbox.Now().In(calendar.Shanghai))
	if q := r.URL.Query().Get("week"); q != "" {
		d, err := calendar.ParseDate(q)
		if err != nil {
			s.fail(w, r, fmt.Errorf("%w：周 %w", model.ErrInvalidInput, err))
			return
		}
		day = d
	}
	rep, err := s.cfg.Inbox.Report(r.Context(), p, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := inboxReportView{Report: rep, Prev: rep.Monday.AddDays(-7).String(), Next: rep.Monday.AddDays(7).String()}
	s.render(w, r, http.StatusOK, "inbox_report", page{Title: "响应时间周报", Active: "/inbox", Data: view})
}
