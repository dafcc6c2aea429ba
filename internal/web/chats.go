package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/chatexport"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

func (s *Server) chats() *archive.Service {
	return s.cfg.Archive
}

func actorOf(r *http.Request, p *auth.Principal) archive.Actor {
	return archive.Actor{ID: p.User.ID, Name: p.User.Username, IP: clientOf(r).IP}
}

type chatsView struct {
	Query        string
	From, To     string
	Sender       string
	Contact      string
	Conversation int64
	Sort         string
	Searched     bool
	Results      []archive.Result
	// Budget is set when the search stopped at its budget before the page
	// was full: what it covered and the link that goes on.
	Budget        *searchBudget
	Conversations []*model.ConversationSummary
	Imported      *archive.ImportResult
	Formats       []chatexport.Format
	Matters       []matterOption // the matters the user may import into
	// MoreConversations links the next page of the list (older activity).
	MoreConversations string
	// Older links the search's next page: the matches older than the
	// oldest shown, with the same filters.
	Older string
}

// searchPageSize is how many matches a chat search shows (the store's
// default page).
const searchPageSize = 50

// conversationsPerPage bounds the chat list: the page costs the same
// however many conversations the firm has.
const conversationsPerPage = 50

func (s *Server) chatsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := r.URL.Query()
	view := chatsView{Query: q.Get("q"), From: q.Get("from"), To: q.Get("to"), Sender: q.Get("sender"),
		Contact: q.Get("contact"), Sort: q.Get("sort")}
	view.Conversation, _ = strconv.ParseInt(q.Get("conversation"), 10, 64)
	status, msg := http.StatusOK, ""
	visible, err := s.chats().Visible(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Query != "" {
		sq := store.SearchQuery{Terms: archive.ParseQuery(view.Query), Sender: view.Sender, Contact: view.Contact,
			ConversationID: view.Conversation, Visible: visible}
		sq.BeforeID, _ = strconv.ParseInt(q.Get("before"), 10, 64)
		if sq.From, err = dayParam(view.From); err == nil {
			sq.To, err = dayParam(view.To)
		}
		if !sq.To.IsZero() {
			sq.To = sq.To.AddDate(0, 0, 1)
		}
		if err == nil {
			var res archive.Page
			res, err = s.chats().SearchPage(r.Context(), sq, view.Sort)
			view.Results, view.Searched = res.Results, err == nil
			// before: the page of matches older than that message id,
			// with every other filter kept.
			link := func(before int64) string {
				next := url.Values{"q": {view.Query}, "before": {strconv.FormatInt(before, 10)}}
				for k, v := range map[string]string{"from": view.From, "to": view.To, "sender": view.Sender,
					"contact": view.Contact, "sort": view.Sort} {
					if v != "" {
						next.Set(k, v)
					}
				}
				if view.Conversation != 0 {
					next.Set("conversation", strconv.FormatInt(view.Conversation, 10))
				}
				return "/chats?" + next.Encode()
			}
			if res.More != 0 {
				view.Budget = newSearchBudget(res, sq.BeforeID != 0, link(res.More))
			} else if len(res.Results) == searchPageSize {
				oldest := res.Results[0].Message.ID
				for _, hit := range res.Results {
					oldest = min(oldest, hit.Message.ID)
				}
				view.Older = link(oldest)
			}
		}
		if err != nil {
			if !errors.Is(err, store.ErrEmptyQuery) && !errors.Is(err, model.ErrInvalidInput) {
				s.fail(w, r, err)
				return
			}
			status, msg = http.StatusBadRequest, err.Error()
		}
	}
	s.renderChatsFor(w, r, status, msg, view, visible)
}

// renderChats renders the chat page with the conversations p may see.
func (s *Server) renderChats(w http.ResponseWriter, r *http.Request, p *auth.Principal, status int, msg string, view chatsView) {
	visible, err := s.chats().Visible(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderChatsFor(w, r, status, msg, view, visible)
}

func (s *Server) renderChatsFor(w http.ResponseWriter, r *http.Request, status int, msg string, view chatsView, visible *store.ConversationSet) {
	cp := store.ConversationPage{Limit: conversationsPerPage + 1}
	cp.AfterLastID, _ = strconv.ParseInt(r.URL.Query().Get("after_last"), 10, 64)
	cp.AfterID, _ = strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	list, err := s.cfg.DB.VisibleConversations(r.Context(), visible, cp)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(list) > conversationsPerPage {
		list = list[:conversationsPerPage]
		next := cp.Next(list)
		view.MoreConversations = fmt.Sprintf("/chats?after_last=%d&after=%d", next.AfterLastID, next.AfterID)
	}
	view.Conversations = list
	view.Formats = chatexport.Formats()
	selected, _ := strconv.ParseInt(r.FormValue("matter"), 10, 64) // the import's, or ?matter= from a matter page
	if view.Matters, err = s.matterOptions(r, principal(r), selected); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "chats", page{Title: "聊天记录", Active: "/chats", Error: msg, Data: view})
}

func dayParam(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, shanghai)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w：日期应为 YYYY-MM-DD：%q", model.ErrInvalidInput, s)
	}
	return t, nil
}

func (s *Server) chatsImport(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	file, header, err := r.FormFile("file")
	if err != nil {
		s.renderChats(w, r, p, http.StatusBadRequest, "请选择要导入的聊天记录文件。", chatsView{})
		return
	}
	defer file.Close()
	tmp, err := os.CreateTemp(s.cfg.DataDir, ".upload-*")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, file)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	opts := archive.ImportOptions{Format: chatexport.Format(r.PostFormValue("format")), FileName: filepath.Base(header.Filename),
		MediaDir: "-", Parse: chatexport.Options{SelfWxID: r.PostFormValue("self_wxid")}, Viewer: p}
	opts.MatterID, _ = strconv.ParseInt(r.PostFormValue("matter"), 10, 64)
	if err := s.chats().ImportMatter(r.Context(), p, opts.MatterID, actorOf(r, p)); err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderChats(w, r, p, http.StatusBadRequest, "导入失败："+err.Error(), chatsView{})
			return
		}
		s.fail(w, r, err)
		return
	}
	// A ZIP of an export folder brings the media the export refers to; a
	// lone export file cannot, its media stay references.
	importFn := s.chats().ImportFile
	if archive.IsZip(tmp.Name()) {
		importFn = s.chats().ImportZip
	}
	res, err := importFn(r.Context(), tmp.Name(), opts, actorOf(r, p))
	if err != nil {
		var pe *chatexport.ParseError
		if errors.As(err, &pe) || errors.Is(err, chatexport.ErrUnknownFormat) || errors.Is(err, chatexport.ErrMalformed) ||
			errors.Is(err, archive.ErrBadZip) {
			msg := "导入失败，文件未导入任何消息：" + err.Error()
			if errors.Is(err, chatexport.ErrUnknownFormat) {
				msg += "。请在下方“格式”中选择文件的格式后重新导入。"
			}
			s.renderChats(w, r, p, http.StatusBadRequest, msg, chatsView{})
			return
		}
		s.renderChats(w, r, p, http.StatusBadRequest, "导入失败："+err.Error(), chatsView{})
		return
	}
	s.renderChats(w, r, p, http.StatusOK, "", chatsView{Imported: res})
}

type chatView struct {
	CanDelete    bool   // an admin sees the retention deletion
	DeleteReason string // why it cannot be deleted yet
	Conversation *model.ConversationSummary
	Messages     []*model.Message
	More         bool
	Next         int64
	// Mapped names senders by the contact their participant is mapped to.
	Mapped map[string]string
	// Suggestions are contacts a participant may be (same 微信号 or name).
	Suggestions []*model.Contact
}

// SenderOf names a message's sender: the mapped contact, else the export's
// name (未知 when there is none).
func (v chatView) SenderOf(m *model.Message) string {
	if name := v.Mapped[m.SenderWxID]; name != "" && m.SenderWxID != "" {
		return name
	}
	return senderName(m)
}

func (s *Server) conversationParam(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return 0, false
	}
	return id, true
}

const chatPageSize = 500

func (s *Server) chatPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.conversationParam(w, r)
	if !ok {
		return
	}
	conv, err := s.chats().Authorize(r.Context(), p, id, actorOf(r, p), "查看会话")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if after == 0 {
		// A view is audited like an evidence view (the first page; paging
		// on does not add rows).
		if err := s.cfg.DB.Audit(r.Context(), &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, IP: clientOf(r).IP,
			Action: "chat.view", Target: fmt.Sprintf("conversation:%d", id), Detail: "查看会话：" + conv.Title}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	msgs, err := s.cfg.DB.Messages(r.Context(), store.MessageFilter{ConversationID: id, AfterID: after, Limit: chatPageSize + 1})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := chatView{Conversation: conv, Messages: msgs, Mapped: map[string]string{}}
	for _, pt := range conv.Participants {
		if pt.ContactName != "" {
			view.Mapped[pt.WxID] = pt.ContactName
		}
	}
	if view.Suggestions, err = s.contactSuggestions(r, conv); err != nil {
		s.fail(w, r, err)
		return
	}
	if access.IsAdmin(p.Actor()) {
		if err := s.chats().Deletable(r.Context(), conv, s.cfg.Now()); err != nil {
			view.DeleteReason = err.Error()
		} else {
			view.CanDelete = true
		}
	}
	if len(msgs) > chatPageSize {
		view.Messages, view.More, view.Next = msgs[:chatPageSize], true, msgs[chatPageSize-1].ID
	}
	s.render(w, r, http.StatusOK, "chats_conversation", page{Title: conv.Title, Active: "/chats", Data: view})
}

// contactSuggestions are the contacts the participants of conv may be: by
// 微信号, remark or nickname (at most 5 per participant).
func (s *Server) contactSuggestions(r *http.Request, conv *model.ConversationSummary) ([]*model.Contact, error) {
	var out []*model.Contact
	seen := map[int64]bool{}
	for _, pt := range conv.Participants {
		if pt.IsSelf {
			continue
		}
		for _, q := range []string{pt.WxID, pt.Remark, pt.Nickname} {
			if q == "" || strings.HasPrefix(q, "name:") {
				continue
			}
			found, err := s.cfg.DB.FindContacts(r.Context(), store.ContactFilter{Query: q, Limit: 5})
			if err != nil {
				return nil, err
			}
			for _, c := range found {
				if !seen[c.ID] {
					seen[c.ID] = true
					out = append(out, c)
				}
			}
		}
	}
	return out, nil
}

// chatRename gives a conversation the name users see.
func (s *Server) chatRename(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.conversationParam(w, r)
	if !ok {
		return
	}
	if err := s.chats().RenameConversation(r.Context(), p, id, r.PostFormValue("name"), actorOf(r, p)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/chats/%d?done=saved", id), http.StatusSeeOther)
}

// chatParticipant maps a participant of a conversation to a contact (an
// empty contact removes the mapping).
func (s *Server) chatParticipant(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.conversationParam(w, r)
	if !ok {
		return
	}
	// The conversation is authorised before anything about contacts is
	// looked up or said.
	if _, err := s.chats().Authorize(r.Context(), p, id, actorOf(r, p), "会话成员对应联系人"); err != nil {
		s.fail(w, r, err)
		return
	}
	contactID, err := s.chats().ResolveContact(r.Context(), r.PostFormValue("contact"))
	if err == nil {
		err = s.chats().MapParticipant(r.Context(), p, id, r.PostFormValue("wxid"), contactID, actorOf(r, p))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/chats/%d?done=saved#participants", id), http.StatusSeeOther)
}

type printView struct {
	*archive.Printout
	PrintedAt time.Time
	PrintedBy string
	FromDay   string
	ToDay     string
}

func (s *Server) chatPrint(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.conversationParam(w, r)
	if !ok {
		return
	}
	if _, err := s.chats().Authorize(r.Context(), p, id, actorOf(r, p), "法庭打印版"); err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	from, err := dayParam(q.Get("from"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	to, err := dayParam(q.Get("to"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1)
	}
	po, err := s.chats().Printout(r.Context(), id, from, to)
	if errors.Is(err, archive.ErrTooLarge) {
		err = fmt.Errorf("%w：%w", model.ErrInvalidInput, err)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.cfg.DB.Update(r.Context(), func(tx *store.Tx) error {
		return tx.AppendAudit(r.Context(), &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, IP: clientOf(r).IP,
			Action: "chat.print", Target: fmt.Sprintf("conversation:%d", id),
			Detail: fmt.Sprintf("法庭打印版：%s 至 %s，%d 条消息", q.Get("from"), q.Get("to"), po.Total)})
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := printView{Printout: po, PrintedAt: s.cfg.Now(), PrintedBy: p.User.DisplayName, FromDay: q.Get("from"), ToDay: q.Get("to")}
	s.render(w, r, http.StatusOK, "chats_print", page{Title: "法庭打印版 · " + po.Conversation.Title, Active: "/chats", Data: view})
}

func (s *Server) chatDelete(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.conversationParam(w, r)
	if !ok {
		return
	}
	err := s.chats().DeleteConversation(r.Context(), p, id, actorOf(r, p), s.cfg.Now())
	if errors.Is(err, archive.ErrNotArchived) {
		err = fmt.Errorf("%w：%w", model.ErrInvalidInput, err)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/chats", http.StatusSeeOther)
}
