package web

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
)

// guard says who may reach a route; it is enforced here, once, before the
// handler runs (handlers and workflows still apply the record rules of
// internal/access).
type guard int

const (
	// member: any signed-in user (anonymous GETs go to /login, anonymous
	// POSTs get 401).
	member guard = iota
	// admin: signed-in administrators only (others get 403, audited).
	admin
	// public: anyone; the handler checks what it needs itself (login and
	// setup forms, health, metrics, the token-addressed calendar feed, the
	// public checkpoint of the evidence log).
	public
)

// userHandler is a handler behind signedIn.
type userHandler func(http.ResponseWriter, *http.Request, *auth.Principal)

// route is one line of the route table.
type route struct {
	pattern string // "METHOD /path", as http.ServeMux reads it
	guard   guard
	open    http.HandlerFunc // the handler of a public route
	user    userHandler      // the handler of a member or admin route
	// body is the route's body rule; zero means a form under
	// defaultBodyLimit (requests without a body are not limited).
	body bodyRule
	// nav, when set, shows the route in the navigation with this label (in
	// table order).
	nav string
}

// routeTable lists every route of the workbench: method and path, who may
// reach it, its handler, its body limit and its place in the navigation.
// The navigation and the body limits are derived from it; a test walks it
// and checks that every route but the public ones refuses an anonymous
// visitor.
func (s *Server) routeTable() []route {
	ev := &evidenceHandlers{s: s, svc: s.cfg.Evidence}
	small := bodyRule{limit: smallFormLimit}
	upload := bodyRule{upload: true}
	return []route{
		// Public: sign-in, first run, machines.
		{pattern: "GET /healthz", guard: public, open: s.healthz},
		{pattern: "GET /metrics", guard: public, open: s.metricsHandler().ServeHTTP},
		{pattern: "GET /setup", guard: public, open: s.setupPage},
		{pattern: "POST /setup", guard: public, open: s.setupSubmit, body: small},
		{pattern: "GET /login", guard: public, open: s.loginPage},
		{pattern: "POST /login", guard: public, open: s.loginSubmit, body: small},
		{pattern: "GET /login/totp", guard: public, open: s.totpLoginPage},
		{pattern: "POST /login/totp", guard: public, open: s.totpLoginSubmit, body: small},
		{pattern: "GET /calendar/{file}", guard: public, open: s.calendarFeed},
		// The latest signed checkpoint is public, like a transparency log's
		// tree head: anyone holding a bundle can compare it.
		{pattern: "GET /ledger/checkpoint", guard: public, open: ev.checkpoint},
		{pattern: "GET /ledger/consistency", guard: public, open: ev.consistency},
		// A case group notice: members confirm 确认已读 by an unguessable link.
		{pattern: "GET /notice/{token}", guard: public, open: s.noticePage},
		{pattern: "POST /notice/{token}", guard: public, open: s.noticeConfirm, body: small},
		// WeCom's callbacks authenticate by signature (internal/wecom).
		{pattern: "GET /wecom/callback", guard: public, open: s.wecomVerify},
		{pattern: "POST /wecom/callback", guard: public, open: s.wecomCallback, body: bodyRule{limit: callbackLimit}},
		// After 紧急冻结 the freezing browser has no session; a narrow cookie
		// opens that freeze's checklist only (see freeze.go).
		{pattern: "GET /freeze/checklist", guard: public, open: s.frozenChecklist},
		{pattern: "POST /freeze/checklist", guard: public, open: s.frozenChecklistTick, body: small},
		// A delivery link's page for its one recipient: the signed token is
		// the key; small bodies only.
		{pattern: "GET /d/{token}", guard: public, open: s.linkPage},
		{pattern: "POST /d/{token}/code", guard: public, open: s.linkCode, body: small},
		{pattern: "GET /d/{token}/file", guard: public, open: s.linkFile},
		{pattern: "POST /d/{token}/confirm", guard: public, open: s.linkConfirm, body: small},

		// The workbench.
		{pattern: "GET /{$}", user: s.dashboard, nav: "工作台"},
		{pattern: "POST /logout", user: s.logout, body: small},
		{pattern: "GET /search", user: s.searchPage},
		{pattern: "POST /dashboard/deadlines/{id}/done", user: s.dashboardDone, body: small},
		{pattern: "POST /dashboard/deadlines/{id}/postpone", user: s.dashboardPostpone},
		{pattern: "GET /notifications", user: s.notificationsPage},
		{pattern: "GET /notifications/{id}", user: s.openNotification},
		{pattern: "POST /notifications/read", user: s.readNotifications, body: small},

		{pattern: "GET /inbox", user: s.inboxPage, nav: "消息"},
		{pattern: "GET /inbox/settings", user: s.inboxSettingsPage},
		{pattern: "POST /inbox/settings", guard: admin, user: s.inboxSettingsSubmit},
		{pattern: "POST /inbox/dnd", user: s.inboxDNDSubmit, body: small},
		{pattern: "POST /inbox/kf", guard: admin, user: s.inboxKFSubmit, body: small},
		{pattern: "GET /inbox/report", user: s.inboxReport},
		{pattern: "GET /inbox/{id}", user: s.inboxConversation},
		{pattern: "POST /inbox/{id}/reply", user: s.inboxReply},
		{pattern: "POST /inbox/{id}/matter", user: s.inboxMatter},
		{pattern: "GET /groups", user: s.groupsPage},
		{pattern: "GET /groups/{id}", user: s.groupPage},
		{pattern: "POST /groups/{id}/matter", user: s.groupMatter},
		{pattern: "POST /groups/{id}/keep", user: s.groupKeepMember},
		{pattern: "POST /groups/{id}/notices", user: s.groupNotice},
		{pattern: "GET /matters/{id}/group", user: s.matterGroupPage},

		{pattern: "GET /clients", user: s.clientsPage, nav: "客户"},
		{pattern: "POST /clients", user: s.createContact},
		{pattern: "GET /clients/review", user: s.reviewPage},
		{pattern: "POST /clients/import", user: s.importContacts, body: bodyRule{upload: true, limit: 64 << 20}}, // a CSV or XLSX read whole
		{pattern: "GET /clients/export", user: s.exportContacts},
		{pattern: "GET /clients/{id}", user: s.contactPage},
		{pattern: "POST /clients/{id}", user: s.updateContact},
		{pattern: "POST /clients/{id}/star", user: s.starContact},
		{pattern: "POST /clients/{id}/review", user: s.reviewContact},
		{pattern: "GET /consultations", user: s.consultationsPage},
		{pattern: "POST /consultations", user: s.startConsultation},
		{pattern: "POST /consultations/limit", user: s.setFreeLimit},
		{pattern: "GET /consultations/report", user: s.conversionReportPage},
		{pattern: "GET /consultations/{id}", user: s.consultationPage},
		{pattern: "POST /consultations/{id}/stop", user: s.stopConsultation},
		{pattern: "POST /consultations/{id}/convert", user: s.convertConsultation},
		{pattern: "GET /profile", user: s.profilePage},
		{pattern: "POST /profile", user: s.profileSubmit},
		{pattern: "GET /profile/card", user: s.profileCard},
		{pattern: "GET /profile/card.png", user: s.profileQR},
		{pattern: "GET /profile/card.vcf", user: s.profileVCard},

		{pattern: "GET /matters", user: s.mattersPage, nav: "案件"},
		{pattern: "POST /matters", user: s.createMatter},
		{pattern: "GET /matters/pick", user: s.pickMatters},
		{pattern: "GET /matters/{id}", user: s.matterPage},
		{pattern: "POST /matters/{id}", user: s.updateMatter},
		{pattern: "POST /matters/{id}/parties", user: s.addParty},
		{pattern: "POST /matters/{id}/parties/{pid}/role", user: s.changePartyRole},
		{pattern: "POST /matters/{id}/status", user: s.matterStatus},
		{pattern: "POST /matters/{id}/reopen", user: s.reopenMatter},
		{pattern: "GET /matters/{id}/deadlines", user: s.matterDeadlinesPage},
		{pattern: "POST /matters/{id}/triggers", user: s.createTrigger},
		{pattern: "POST /matters/{id}/triggers/{tid}", user: s.updateTrigger},
		{pattern: "POST /matters/{id}/triggers/{tid}/cancel", user: s.cancelTrigger},
		{pattern: "POST /matters/{id}/documents", user: s.uploadDocument, body: upload},
		{pattern: "POST /matters/{id}/ndas", user: s.recordNDA, body: upload},
		{pattern: "GET /matters/{id}/send", user: s.sendPage},
		{pattern: "POST /matters/{id}/send", user: s.sendSubmit},
		{pattern: "GET /documents/{id}/file", user: s.documentFile},
		{pattern: "GET /deliveries/{id}", user: s.deliveryPage},
		{pattern: "POST /deliveries/{id}/revoke", user: s.revokeDelivery},
		{pattern: "POST /deliveries/{id}/preserve", user: s.preserveDelivery},
		{pattern: "GET /conflicts", user: s.conflictsPage},
		{pattern: "POST /conflicts", user: s.conflictsCheck},
		{pattern: "POST /conflicts/{id}/decide", user: s.conflictDecide},

		{pattern: "GET /deadlines", user: s.deadlinesPage, nav: "期限"},
		{pattern: "POST /deadlines", user: s.saveDeadline},
		{pattern: "GET /deadlines/{id}", user: s.deadlinePage},
		{pattern: "POST /deadlines/{id}/done", user: s.deadlineDone},
		{pattern: "POST /deadlines/feed", user: s.newFeed},
		{pattern: "POST /deadlines/feed/revoke", user: s.revokeFeed},
		{pattern: "GET /deadlines/feed/qr.png", user: s.feedQR},
		{pattern: "POST /deadlines/hours", user: s.saveHours},

		{pattern: "GET /chats", user: s.chatsPage, nav: "聊天记录"},
		{pattern: "POST /chats/import", user: s.chatsImport, body: upload},
		{pattern: "GET /chats/{id}", user: s.chatPage},
		{pattern: "GET /chats/{id}/print", user: s.chatPrint},
		{pattern: "POST /chats/{id}/rename", user: s.chatRename},
		{pattern: "POST /chats/{id}/participants", user: s.chatParticipant},
		{pattern: "POST /chats/{id}/delete", guard: admin, user: s.chatDelete},

		{pattern: "GET /evidence", user: ev.page, nav: "证据"},
		{pattern: "POST /evidence", user: ev.upload, body: upload},
		{pattern: "POST /evidence/export", user: ev.export},
		{pattern: "GET /evidence/{id}", user: ev.item},
		{pattern: "GET /evidence/{id}/file", user: ev.download},
		{pattern: "POST /evidence/{id}/submissions", user: ev.submission},
		{pattern: "POST /evidence/{id}/matter", user: ev.assign},

		{pattern: "GET /postcheck", user: s.postcheckPage, nav: "发布检查"},
		{pattern: "POST /postcheck", user: s.postcheckSubmit, body: bodyRule{limit: 2 << 20}}, // an article to check before publishing

		{pattern: "GET /security", user: s.securityPage, nav: "安全"},
		{pattern: "POST /security/sessions/{id}/revoke", user: s.revokeSession},
		{pattern: "POST /security/revoke-all", user: s.revokeAllMine},
		{pattern: "GET /security/totp", user: s.totpSetupPage},
		{pattern: "POST /security/totp", user: s.totpSetupSubmit, body: small},
		{pattern: "GET /security/totp/qr.png", user: s.totpQR},
		{pattern: "POST /security/recovery-codes", user: s.regenerateRecoveryCodes, body: small},
		{pattern: "GET /security/phishing-drill", user: s.phishingDrillPage},
		{pattern: "POST /security/phishing-drill", user: s.phishingDrillSubmit},
		{pattern: "GET /security/freeze", user: s.freezePage},
		{pattern: "POST /security/freeze", user: s.freezeMine, body: small},
		{pattern: "POST /security/freeze/drill", user: s.startDrill, body: small},
		{pattern: "GET /security/freeze/incidents/{id}", user: s.incidentPage},
		{pattern: "POST /security/freeze/incidents/{id}/steps", user: s.tickStep, body: small},

		// Administration.
		{pattern: "GET /admin/users", guard: admin, user: s.usersPage, nav: "用户管理"},
		{pattern: "POST /admin/users", guard: admin, user: s.createUser},
		{pattern: "GET /admin/users/{id}", guard: admin, user: s.userPage},
		{pattern: "POST /admin/users/{id}/revoke-all", guard: admin, user: s.revokeAllOfUser},
		{pattern: "POST /admin/users/{id}/reset-totp", guard: admin, user: s.resetTOTPOfUser},
		{pattern: "POST /admin/users/{id}/freeze", guard: admin, user: s.freezeUser, body: small},
		{pattern: "POST /admin/users/{id}/unfreeze", guard: admin, user: s.unfreezeUser, body: small},
		{pattern: "POST /admin/settings", guard: admin, user: s.saveSettings, body: small},
		{pattern: "GET /admin/wecom", guard: admin, user: s.wecomPage, nav: "企业微信"},
		{pattern: "POST /admin/wecom", guard: admin, user: s.wecomSave, body: small},
		{pattern: "POST /admin/wecom/test", guard: admin, user: s.wecomTest, body: small},
		{pattern: "POST /admin/wecom/members", guard: admin, user: s.wecomMember, body: small},
		{pattern: "POST /admin/wecom/sync", guard: admin, user: s.wecomSync, body: small},
		{pattern: "POST /admin/wecom/transfer", guard: admin, user: s.wecomTransfer, body: small},
		{pattern: "POST /admin/wecom/transfer/status", guard: admin, user: s.wecomTransferStatus, body: small},
		{pattern: "GET /audit", guard: admin, user: s.auditPage, nav: "审计日志"},
		{pattern: "GET /audit/export.xlsx", guard: admin, user: s.auditExport},
	}
}

// navItem is an entry of the navigation.
type navItem struct {
	Path, Label string
	Admin       bool // shown to administrators only
}

// register puts the table on mux and derives the navigation and the body
// rules from it.
func (s *Server) register(mux *http.ServeMux) {
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.bodyRules = map[string]bodyRule{}
	s.nav = nil
	for _, rt := range s.routeTable() {
		var h http.Handler
		switch rt.guard {
		case public:
			h = rt.open
		case admin:
			h = s.signedIn(s.adminOnly(rt.user))
		case member:
			h = s.signedIn(rt.user)
		default:
			panic("web: route " + rt.pattern + " has no guard")
		}
		mux.Handle(rt.pattern, h)
		if rt.body != (bodyRule{}) {
			s.bodyRules[rt.pattern] = rt.body
		}
		if rt.nav != "" {
			_, path, _ := strings.Cut(rt.pattern, " ")
			s.nav = append(s.nav, navItem{Path: strings.TrimSuffix(path, "{$}"), Label: rt.nav, Admin: rt.guard == admin})
		}
	}
	mux.HandleFunc("/", s.notFound)
}

// adminOnly refuses a signed-in user who is not an administrator (403,
// audited like every refusal).
func (s *Server) adminOnly(h userHandler) userHandler {
	return func(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
		if err := access.Administer(p.Actor()); err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r, p)
	}
}

// navFor is the navigation p sees.
func (s *Server) navFor(p *auth.Principal) []navItem {
	admin := p != nil && access.IsAdmin(p.Actor())
	out := make([]navItem, 0, len(s.nav))
	for _, n := range s.nav {
		if !n.Admin || admin {
			out = append(out, n)
		}
	}
	return out
}
