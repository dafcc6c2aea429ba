// Package wecomtest is an in-process fake of WeCom's server API for tests:
// gettoken, kf (sync_msg, send_msg, send_msg_on_event), app messages,
// welcome messages, external contacts, corp tags, customer groups and
// customer transfer (with the unassigned customers of members who left and
// each handover's status), in the documented request and response shapes, with
// WeCom's error codes for a wrong secret, an invalid or expired token and
// missing fields. It records what lvxin sent so tests can assert on it.
// Nothing here talks to the internet.
package wecomtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Sent is a message lvxin sent through the fake.
type Sent struct {
	API         string // "kf", "kf_welcome", "app", "welcome"
	To          string // external_userid, "a|b" member ids, or the welcome code
	OpenKFID    string
	Text        string
	AgentID     int64
	WelcomeCode string
}

// Contact is an external contact in the fake, with the corp tag ids each
// member put on them.
type Contact struct {
	ExternalUserID string
	Name           string
	FollowUsers    map[string][]string // member userid -> corp tag ids
}

// Group is a customer group.
type Group struct {
	ChatID  string
	Name    string
	Owner   string
	Notice  string
	Members []Member
}

// Member of a group.
type Member struct {
	UserID string
	Type   int // 1 member, 2 external
	Name   string
}

// Tag is a corp tag.
type Tag struct {
	ID, Name, GroupID, GroupName string
}

// Transfer is a customer transfer request the fake received.
type Transfer struct {
	Resigned           bool
	Handover, Takeover string
	ExternalUserIDs    []string
}

// KFMsg is a message waiting in a kf account for sync_msg.
type KFMsg struct {
	MsgID          string
	OpenKFID       string
	ExternalUserID string
	SendTime       time.Time
	Text           string
	EventType      string // non-empty: an event (enter_session …)
	WelcomeCode    string
}

// Server is the fake WeCom API.
type Server struct {
	*httptest.Server
	CorpID, Secret string
	TokenLife      time.Duration
	// PageSize caps the rows of one page of get_unassigned_list and
	// transfer_result below what the caller asked (0: WeCom's 1000), so
	// tests can make lvxin follow the cursor across pages.
	PageSize int

	mu           sync.Mutex
	tokens       map[string]time.Time
	tokenCalls   int
	calls        map[string]int
	sent         []Sent
	contacts     map[string]*Contact
	tags         []Tag
	groups       map[string]*Group
	transfers    []Transfer
	kf           []KFMsg // in arrival order; a cursor is an index into it
	usedWelcome  map[string]bool
	nextID       int
	failNextCode int
	departed     map[string]int64 // member userid -> dimission time (Unix)
	handovers    map[handoverKey]*handoverState
}

type handoverKey struct {
	resigned                     bool
	handover, takeover, external string
}

type handoverState struct {
	status       int
	takeoverTime int64
}

// New starts a fake for corpID and secret.
func New(corpID, secret string) *Server {
	s := &Server{CorpID: corpID, Secret: secret, TokenLife: 2 * time.Hour,
		tokens: map[string]time.Time{}, calls: map[string]int{}, contacts: map[string]*Contact{},
		groups: map[string]*Group{}, usedWelcome: map[string]bool{}, departed: map[string]int64{},
		handovers: map[handoverKey]*handoverState{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cgi-bin/gettoken", s.gettoken)
	api := map[string]func(req map[string]any, r *http.Request) (map[string]any, int){
		"POST /cgi-bin/kf/send_msg":                                s.kfSend,
		"POST /cgi-bin/kf/send_msg_on_event":                       s.kfWelcome,
		"POST /cgi-bin/kf/sync_msg":                                s.kfSync,
		"POST /cgi-bin/message/send":                               s.appSend,
		"POST /cgi-bin/externalcontact/send_welcome_msg":           s.welcome,
		"GET /cgi-bin/externalcontact/list":                        s.contactList,
		"GET /cgi-bin/externalcontact/get":                         s.contactGet,
		"POST /cgi-bin/externalcontact/get_corp_tag_list":          s.tagList,
		"POST /cgi-bin/externalcontact/add_corp_tag":               s.tagAdd,
		"POST /cgi-bin/externalcontact/mark_tag":                   s.markTag,
		"POST /cgi-bin/externalcontact/groupchat/list":             s.groupList,
		"POST /cgi-bin/externalcontact/groupchat/get":              s.groupGet,
		"POST /cgi-bin/externalcontact/transfer_customer":          s.transfer(false),
		"POST /cgi-bin/externalcontact/resigned/transfer_customer": s.transfer(true),
		"POST /cgi-bin/externalcontact/get_unassigned_list":        s.unassigned,
		"POST /cgi-bin/externalcontact/transfer_result":            s.transferResult(false),
		"POST /cgi-bin/externalcontact/resigned/transfer_result":   s.transferResult(true),
	}
	for pattern, h := range api {
		mux.HandleFunc(pattern, s.authed(pattern, h))
	}
	s.Server = httptest.NewServer(mux)
	return s
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func errBody(code int, msg string) map[string]any {
	return map[string]any{"errcode": code, "errmsg": msg}
}

func (s *Server) gettoken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenCalls++
	q := r.URL.Query()
	if q.Get("corpid") != s.CorpID {
		writeJSON(w, errBody(40013, "invalid corpid"))
		return
	}
	if q.Get("corpsecret") != s.Secret {
		writeJSON(w, errBody(40001, "invalid credential"))
		return
	}
	tok := randomHex(16)
	s.tokens[tok] = time.Now().Add(s.TokenLife)
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "access_token": tok, "expires_in": int(s.TokenLife / time.Second)})
}

// authed checks the access token, decodes a JSON body and runs h.
func (s *Server) authed(name string, h func(map[string]any, *http.Request) (map[string]any, int)) http.HandlerFunc {
	path := name[strings.Index(name, " ")+1:]
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.calls[path]++
		tok := r.URL.Query().Get("access_token")
		if tok == "" {
			writeJSON(w, errBody(41001, "access_token missing"))
			return
		}
		exp, ok := s.tokens[tok]
		if !ok {
			writeJSON(w, errBody(40014, "invalid access_token"))
			return
		}
		if time.Now().After(exp) {
			writeJSON(w, errBody(42001, "access_token expired"))
			return
		}
		if s.failNextCode != 0 {
			code := s.failNextCode
			s.failNextCode = 0
			writeJSON(w, errBody(code, "injected"))
			return
		}
		req := map[string]any{}
		if r.Method == http.MethodPost {
			data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			if err := json.Unmarshal(data, &req); err != nil {
				writeJSON(w, errBody(47001, "data format error"))
				return
			}
		}
		out, code := h(req, r)
		if code != 0 {
			writeJSON(w, errBody(code, "error"))
			return
		}
		if out == nil {
			out = map[string]any{}
		}
		out["errcode"], out["errmsg"] = 0, "ok"
		writeJSON(w, out)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func str(m map[string]any, k string) string {
	v, _ := m[k].(string)
	return v
}

func strs(m map[string]any, k string) []string {
	raw, _ := m[k].([]any)
	var out []string
	for _, v := range raw {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func textOf(m map[string]any) string {
	t, _ := m["text"].(map[string]any)
	return str(t, "content")
}

func (s *Server) kfSend(req map[string]any, _ *http.Request) (map[string]any, int) {
	if str(req, "touser") == "" || str(req, "open_kfid") == "" || str(req, "msgtype") != "text" || textOf(req) == "" {
		return nil, 40003
	}
	s.sent = append(s.sent, Sent{API: "kf", To: str(req, "touser"), OpenKFID: str(req, "open_kfid"), Text: textOf(req)})
	s.nextID++
	return map[string]any{"msgid": "kfsent" + strconv.Itoa(s.nextID)}, 0
}

func (s *Server) kfWelcome(req map[string]any, _ *http.Request) (map[string]any, int) {
	code := str(req, "code")
	if code == "" || textOf(req) == "" {
		return nil, 40003
	}
	if s.usedWelcome[code] {
		return nil, 41096
	}
	s.usedWelcome[code] = true
	s.sent = append(s.sent, Sent{API: "kf_welcome", To: code, WelcomeCode: code, Text: textOf(req)})
	return nil, 0
}

func (s *Server) appSend(req map[string]any, _ *http.Request) (map[string]any, int) {
	agent, _ := req["agentid"].(float64)
	if str(req, "touser") == "" || agent == 0 || textOf(req) == "" {
		return nil, 40003
	}
	s.sent = append(s.sent, Sent{API: "app", To: str(req, "touser"), Text: textOf(req), AgentID: int64(agent)})
	return map[string]any{"invaliduser": ""}, 0
}

func (s *Server) welcome(req map[string]any, _ *http.Request) (map[string]any, int) {
	code := str(req, "welcome_code")
	if code == "" || textOf(req) == "" {
		return nil, 40003
	}
	if s.usedWelcome[code] {
		return nil, 41096
	}
	s.usedWelcome[code] = true
	s.sent = append(s.sent, Sent{API: "welcome", To: code, WelcomeCode: code, Text: textOf(req)})
	return nil, 0
}

func (s *Server) contactList(_ map[string]any, r *http.Request) (map[string]any, int) {
	user := r.URL.Query().Get("userid")
	var ids []string
	for id, c := range s.contacts {
		if _, ok := c.FollowUsers[user]; ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return nil, 84061
	}
	return map[string]any{"external_userid": ids}, 0
}

func (s *Server) tagByID(id string) (Tag, bool) {
	for _, t := range s.tags {
		if t.ID == id {
			return t, true
		}
	}
	return Tag{}, false
}

func (s *Server) contactGet(_ map[string]any, r *http.Request) (map[string]any, int) {
	c, ok := s.contacts[r.URL.Query().Get("external_userid")]
	if !ok {
		return nil, 40096
	}
	users := make([]string, 0, len(c.FollowUsers))
	for u := range c.FollowUsers {
		users = append(users, u)
	}
	sort.Strings(users)
	var follow []map[string]any
	for _, u := range users {
		var tags []map[string]any
		for _, id := range c.FollowUsers[u] {
			if t, ok := s.tagByID(id); ok {
				tags = append(tags, map[string]any{"group_name": t.GroupName, "tag_name": t.Name, "tag_id": t.ID, "type": 1})
			}
		}
		follow = append(follow, map[string]any{"userid": u, "remark": "", "createtime": 1700000000, "tags": tags, "add_way": 1})
	}
	return map[string]any{"external_contact": map[string]any{"external_userid": c.ExternalUserID, "name": c.Name, "type": 1},
		"follow_user": follow}, 0
}

func (s *Server) tagList(_ map[string]any, _ *http.Request) (map[string]any, int) {
	groups := map[string]map[string]any{}
	var order []string
	for _, t := range s.tags {
		g, ok := groups[t.GroupID]
		if !ok {
			g = map[string]any{"group_id": t.GroupID, "group_name": t.GroupName, "create_time": 1700000000, "order": 0, "tag": []map[string]any{}}
			groups[t.GroupID] = g
			order = append(order, t.GroupID)
		}
		g["tag"] = append(g["tag"].([]map[string]any), map[string]any{"id": t.ID, "name": t.Name, "create_time": 1700000000, "order": 0})
	}
	out := []map[string]any{}
	for _, id := range order {
		out = append(out, groups[id])
	}
	return map[string]any{"tag_group": out}, 0
}

func (s *Server) tagAdd(req map[string]any, _ *http.Request) (map[string]any, int) {
	groupID, groupName := str(req, "group_id"), str(req, "group_name")
	if groupID == "" && groupName == "" {
		return nil, 40071
	}
	if groupID != "" {
		found := false
		for _, t := range s.tags {
			if t.GroupID == groupID {
				groupName, found = t.GroupName, true
			}
		}
		if !found {
			return nil, 40068
		}
	} else {
		for _, t := range s.tags {
			if t.GroupName == groupName {
				groupID = t.GroupID
			}
		}
		if groupID == "" {
			s.nextID++
			groupID = "etGROUP" + strconv.Itoa(s.nextID)
		}
	}
	raw, _ := req["tag"].([]any)
	var added []map[string]any
	for _, v := range raw {
		m, _ := v.(map[string]any)
		name := str(m, "name")
		if name == "" {
			return nil, 40071
		}
		for _, t := range s.tags {
			if t.GroupID == groupID && t.Name == name {
				return nil, 40071 // the tag name exists in this group
			}
		}
		s.nextID++
		t := Tag{ID: "etTAG" + strconv.Itoa(s.nextID), Name: name, GroupID: groupID, GroupName: groupName}
		s.tags = append(s.tags, t)
		added = append(added, map[string]any{"id": t.ID, "name": t.Name, "create_time": 1700000000, "order": 0})
	}
	return map[string]any{"tag_group": map[string]any{"group_id": groupID, "group_name": groupName, "tag": added}}, 0
}

func (s *Server) markTag(req map[string]any, _ *http.Request) (map[string]any, int) {
	c, ok := s.contacts[str(req, "external_userid")]
	if !ok {
		return nil, 40096
	}
	user := str(req, "userid")
	tags, ok := c.FollowUsers[user]
	if !ok {
		return nil, 84061
	}
	for _, id := range append(strs(req, "add_tag"), strs(req, "remove_tag")...) {
		if _, ok := s.tagByID(id); !ok {
			return nil, 40068
		}
	}
	set := map[string]bool{}
	for _, id := range tags {
		set[id] = true
	}
	for _, id := range strs(req, "add_tag") {
		set[id] = true
	}
	for _, id := range strs(req, "remove_tag") {
		delete(set, id)
	}
	var out []string
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	c.FollowUsers[user] = out
	return nil, 0
}

func (s *Server) groupList(req map[string]any, _ *http.Request) (map[string]any, int) {
	var owners []string
	if f, ok := req["owner_filter"].(map[string]any); ok {
		owners = strs(f, "userid_list")
	}
	var ids []string
	for id, g := range s.groups {
		if len(owners) == 0 || contains(owners, g.Owner) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	list := []map[string]any{}
	for _, id := range ids {
		list = append(list, map[string]any{"chat_id": id, "status": 0})
	}
	return map[string]any{"group_chat_list": list, "next_cursor": ""}, 0
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Server) groupGet(req map[string]any, _ *http.Request) (map[string]any, int) {
	g, ok := s.groups[str(req, "chat_id")]
	if !ok {
		return nil, 701008
	}
	members := []map[string]any{}
	for _, m := range g.Members {
		members = append(members, map[string]any{"userid": m.UserID, "type": m.Type, "join_time": 1700000000, "join_scene": 1, "name": m.Name})
	}
	return map[string]any{"group_chat": map[string]any{"chat_id": g.ChatID, "name": g.Name, "owner": g.Owner,
		"create_time": 1700000000, "notice": g.Notice, "member_list": members, "admin_list": []any{}}}, 0
}

func (s *Server) transfer(resigned bool) func(map[string]any, *http.Request) (map[string]any, int) {
	return func(req map[string]any, _ *http.Request) (map[string]any, int) {
		handover, takeover := str(req, "handover_userid"), str(req, "takeover_userid")
		ids := strs(req, "external_userid")
		if handover == "" || takeover == "" || len(ids) == 0 || len(ids) > 100 {
			return nil, 40003
		}
		s.transfers = append(s.transfers, Transfer{Resigned: resigned, Handover: handover, Takeover: takeover, ExternalUserIDs: ids})
		var out []map[string]any
		for _, id := range ids {
			code := 0
			c, ok := s.contacts[id]
			if !ok {
				code = 40096
			} else if tags, ok := c.FollowUsers[handover]; !ok {
				code = 84061
			} else {
				delete(c.FollowUsers, handover)
				c.FollowUsers[takeover] = tags
				// errcode 0 only starts the handover: WeCom completes it
				// within 24 hours unless the customer refuses.
				s.handovers[handoverKey{resigned, handover, takeover, id}] = &handoverState{status: 2,
					takeoverTime: time.Now().Add(24 * time.Hour).Unix()}
			}
			out = append(out, map[string]any{"external_userid": id, "errcode": code})
		}
		return map[string]any{"customer": out}, 0
	}
}

// pageOf reads a cursor ("" or "p<offset>") and a page size (the request's,
// at most 1000 and at most PageSize) and returns the offset and the size.
func (s *Server) pageOf(req map[string]any) (int, int, bool) {
	start := 0
	if c := str(req, "cursor"); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "p"))
		if err != nil || n < 0 || !strings.HasPrefix(c, "p") {
			return 0, 0, false
		}
		start = n
	}
	size := 1000
	if v, ok := req["page_size"].(float64); ok {
		if v < 1 || v > 1000 {
			return 0, 0, false
		}
		size = int(v)
	}
	if s.PageSize > 0 && s.PageSize < size {
		size = s.PageSize
	}
	return start, size, true
}

// unassigned answers get_unassigned_list: one row per customer of every
// member who left, ordered by member and customer, cursor-paged.
func (s *Server) unassigned(req map[string]any, _ *http.Request) (map[string]any, int) {
	start, size, ok := s.pageOf(req)
	if !ok {
		return nil, 40058
	}
	members := make([]string, 0, len(s.departed))
	for u := range s.departed {
		members = append(members, u)
	}
	sort.Strings(members)
	var rows []map[string]any
	for _, u := range members {
		var ids []string
		for id, c := range s.contacts {
			if _, ok := c.FollowUsers[u]; ok {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		for _, id := range ids {
			rows = append(rows, map[string]any{"handover_userid": u, "external_userid": id, "dimission_time": s.departed[u]})
		}
	}
	info := []map[string]any{}
	end := min(start+size, len(rows))
	if start < end {
		info = rows[start:end]
	}
	next := ""
	if end < len(rows) {
		next = "p" + strconv.Itoa(end)
	}
	return map[string]any{"info": info, "is_last": next == "", "next_cursor": next}, 0
}

// transferResult answers transfer_result and resigned/transfer_result: the
// status of each customer handed from handover to takeover, cursor-paged.
func (s *Server) transferResult(resigned bool) func(map[string]any, *http.Request) (map[string]any, int) {
	return func(req map[string]any, _ *http.Request) (map[string]any, int) {
		handover, takeover := str(req, "handover_userid"), str(req, "takeover_userid")
		if handover == "" || takeover == "" {
			return nil, 40003
		}
		start, size, ok := s.pageOf(req)
		if !ok {
			return nil, 40058
		}
		var ids []string
		for k := range s.handovers {
			if k.resigned == resigned && k.handover == handover && k.takeover == takeover {
				ids = append(ids, k.external)
			}
		}
		sort.Strings(ids)
		list := []map[string]any{}
		end := min(start+size, len(ids))
		for i := start; i < end; i++ {
			h := s.handovers[handoverKey{resigned, handover, takeover, ids[i]}]
			list = append(list, map[string]any{"external_userid": ids[i], "status": h.status, "takeover_time": h.takeoverTime})
		}
		next := ""
		if end < len(ids) {
			next = "p" + strconv.Itoa(end)
		}
		return map[string]any{"customer": list, "next_cursor": next}, 0
	}
}

func (s *Server) kfSync(req map[string]any, _ *http.Request) (map[string]any, int) {
	open := str(req, "open_kfid")
	if open == "" {
		return nil, 95000
	}
	start := 0
	if c := str(req, "cursor"); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "c"))
		if err != nil || n < 0 || n > len(s.kf) {
			return nil, 95000
		}
		start = n
	}
	limit := 1000
	if l, ok := req["limit"].(float64); ok && l > 0 {
		limit = int(l)
	}
	var list []map[string]any
	i := start
	for ; i < len(s.kf) && len(list) < limit; i++ {
		m := s.kf[i]
		if m.OpenKFID != open {
			continue
		}
		item := map[string]any{"msgid": m.MsgID, "open_kfid": m.OpenKFID, "external_userid": m.ExternalUserID,
			"send_time": m.SendTime.Unix(), "origin": 3}
		if m.EventType != "" {
			item["origin"] = 4
			item["msgtype"] = "event"
			item["event"] = map[string]any{"event_type": m.EventType, "open_kfid": m.OpenKFID,
				"external_userid": m.ExternalUserID, "welcome_code": m.WelcomeCode}
		} else {
			item["msgtype"] = "text"
			item["text"] = map[string]any{"content": m.Text}
		}
		list = append(list, item)
	}
	more := 0
	if i < len(s.kf) {
		more = 1
	}
	return map[string]any{"next_cursor": "c" + strconv.Itoa(i), "has_more": more, "msg_list": list}, 0
}

// --- set-up and inspection for tests ---

// AddContact adds an external contact followed by members, each with corp
// tag ids.
func (s *Server) AddContact(c Contact) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.FollowUsers == nil {
		c.FollowUsers = map[string][]string{}
	}
	cc := c
	s.contacts[c.ExternalUserID] = &cc
}

// ContactTags is the set of corp tag ids a member has on a contact.
func (s *Server) ContactTags(externalUserID, member string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts[externalUserID]
	if !ok {
		return nil
	}
	return append([]string(nil), c.FollowUsers[member]...)
}

// Followers lists the members who have a contact, sorted.
func (s *Server) Followers(externalUserID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts[externalUserID]
	if !ok {
		return nil
	}
	var out []string
	for u := range c.FollowUsers {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// AddTag adds a corp tag and returns it.
func (s *Server) AddTag(groupName, name string) Tag {
	s.mu.Lock()
	defer s.mu.Unlock()
	groupID := ""
	for _, t := range s.tags {
		if t.GroupName == groupName {
			groupID = t.GroupID
		}
	}
	if groupID == "" {
		s.nextID++
		groupID = "etGROUP" + strconv.Itoa(s.nextID)
	}
	s.nextID++
	t := Tag{ID: "etTAG" + strconv.Itoa(s.nextID), Name: name, GroupID: groupID, GroupName: groupName}
	s.tags = append(s.tags, t)
	return t
}

// Tags lists the corp tags.
func (s *Server) Tags() []Tag {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Tag(nil), s.tags...)
}

// AddGroup adds a customer group.
func (s *Server) AddGroup(g Group) {
	s.mu.Lock()
	defer s.mu.Unlock()
	gg := g
	s.groups[g.ChatID] = &gg
}

// PushKF queues a kf message for sync_msg.
func (s *Server) PushKF(m KFMsg) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.MsgID == "" {
		s.nextID++
		m.MsgID = "kfmsg" + strconv.Itoa(s.nextID)
	}
	s.kf = append(s.kf, m)
}

// Resign marks a member as having left the firm: their customers appear in
// get_unassigned_list until handed on.
func (s *Server) Resign(userID string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.departed[userID] = at.Unix()
}

// SetHandoverStatus sets the status transfer_result reports for a customer
// handed from handover to takeover (1 接替完毕, 2 等待接替, 3 客户拒绝, 4 接替成员客户
// 达到上限), as WeCom would once the customer accepted or refused.
func (s *Server) SetHandoverStatus(resigned bool, handoverID, takeoverID, externalUserID string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := handoverKey{resigned, handoverID, takeoverID, externalUserID}
	h, ok := s.handovers[k]
	if !ok {
		h = &handoverState{}
		s.handovers[k] = h
	}
	h.status = status
	if status != 2 {
		h.takeoverTime = time.Now().Unix()
	}
}

// Sent lists what lvxin sent, in order.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// Transfers lists the transfer requests received.
func (s *Server) Transfers() []Transfer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Transfer(nil), s.transfers...)
}

// TokenCalls is how many times gettoken was called.
func (s *Server) TokenCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenCalls
}

// Calls is how many times an API path (e.g. "/cgi-bin/kf/sync_msg") was called.
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

// ExpireTokens makes every issued token expired (the next call gets 42001).
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.tokens {
		s.tokens[t] = time.Now().Add(-time.Second)
	}
}

// RevokeTokens forgets every issued token (the next call gets 40014).
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]time.Time{}
}

// FailNext makes the next authenticated call answer code.
func (s *Server) FailNext(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNextCode = code
}

// String describes the fake (for test logs).
func (s *Server) String() string { return fmt.Sprintf("fake WeCom at %s", s.URL) }
