package web

import (
	"net/http"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
)

// module is an entry of the workbench navigation that has no page yet.
type module struct {
	Path, Label, Summary string
}

// upcomingModules are navigation entries whose pages arrive with later
// issues; they say so plainly instead of pretending.
var upcomingModules = []module{
	{"/clients", "客户", "客户与联系人、标签、星标、利益冲突检索、季度整理。"},
	{"/matters", "案件", "案件与当事人、办理状态、权限与查阅记录。"},
	{"/messages", "消息", "微信与企业微信消息、自动回复、响应时长。"},
	{"/chats", "聊天记录", "聊天记录导入、全文检索、按月加密归档、法庭打印版。"},
	{"/evidence", "证据", "证据保全：哈希、防篡改日志、可信时间戳、证据包。"},
	{"/postcheck", "发布检查", "发布前检查客户信息泄露、免责声明与失效法规引用。"},
}

type dashboardView struct {
	Modules  []module
	Overview *schedule.Overview
	Archives []*model.ChatArchive
	// DeadlineChanges are the user's deadlines moved by new holiday data.
	DeadlineChanges []*model.DeadlineChange
	// ImportYear, for admins from November on, is next year when its
	// holiday arrangement has not been imported; 0 otherwise.
	ImportYear int
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	ov, err := s.cfg.Schedule.Upcoming(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	archives, err := s.cfg.DB.ChatArchives(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(archives) > 3 {
		archives = archives[:3]
	}
	view := dashboardView{Modules: s.pendingModules(), Overview: ov, Archives: archives}
	if view.DeadlineChanges, err = s.cfg.Schedule.Changes(r.Context(), p.User.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if access.IsAdmin(p.Actor()) {
		if view.ImportYear, err = s.cfg.Schedule.MissingNextYear(r.Context()); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "dashboard", page{Title: "工作台", Active: "/", Data: view})
}

// pendingModules are the navigation entries whose module has not arrived.
func (s *Server) pendingModules() []module {
	var out []module
	for _, m := range upcomingModules {
		if !s.claimed["GET "+m.Path] {
			out = append(out, m)
		}
	}
	return out
}

func (s *Server) upcoming(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	for _, m := range upcomingModules {
		if m.Path == r.URL.Path {
			s.render(w, r, http.StatusOK, "upcoming", page{Title: m.Label, Active: m.Path, Data: m})
			return
		}
	}
	s.notFound(w, r)
}
