package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

const (
	// auditPageSize is the rows of one page of the audit log.
	auditPageSize = 50
	// auditExportLimit bounds one XLSX export (narrow the filters for more).
	auditExportLimit = 100000
)

// auditRow is an audit event in words.
type auditRow struct {
	*model.AuditEvent
	What string // 查看证据 #3
}

// auditQuery is the audit page's filters as the form sent them.
type auditQuery struct {
	User, Action, From, To string
	Before                 int64
}

type auditView struct {
	Rows    []auditRow
	Q       auditQuery
	Users   []*model.User
	Actions []auditActionChoice
	Next    template.URL // the query of the next (older) page; "" on the last
	Export  template.URL // the query of the filters (XLSX export, first page)
	Errs    fieldErrors
}

// auditFilter reads the filters: user, action, dates (YYYY-MM-DD, Asia/
// Shanghai, both inclusive) and the page; errors name their field.
func auditFilter(v url.Values) (auditQuery, store.AuditFilter, fieldErrors) {
	q := auditQuery{User: v.Get("user"), Action: strings.TrimSpace(v.Get("action")), From: v.Get("from"), To: v.Get("to")}
	var f store.AuditFilter
	errs := fieldErrors{}
	if q.User != "" {
		id, err := strconv.ParseInt(q.User, 10, 64)
		if err != nil || id <= 0 {
			errs["user"] = "操作人：请从列表中选择"
		}
		f.ActorID = id
	}
	if q.Action != "" {
		if _, ok := auditActionLabels[q.Action]; !ok {
			errs["action"] = "操作：请从列表中选择"
		}
		f.Action = q.Action
	}
	day := func(field, label, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		d, err := calendar.ParseDate(s)
		if err != nil {
			errs[field] = label + "：请填写日期，格式为 2026-05-01"
			return time.Time{}
		}
		return d.In(calendar.Shanghai)
	}
	f.From = day("from", "起始日期", q.From)
	if to := day("to", "截止日期", q.To); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		errs["to"] = "截止日期：不能早于起始日期"
	}
	if b := v.Get("before"); b != "" {
		q.Before, _ = strconv.ParseInt(b, 10, 64)
		f.BeforeID = q.Before
	}
	return q, f, errs
}

// query is the filters as a URL query (without the page).
func (q auditQuery) query() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"user": q.User, "action": q.Action, "from": q.From, "to": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// auditPage lists the audit log in words, filtered and paged (newest first).
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q, f, errs := auditFilter(r.URL.Query())
	view := auditView{Q: q, Actions: auditActionChoices(), Errs: errs}
	var err error
	if view.Users, err = s.cfg.DB.FindUsers(r.Context(), store.UserFilter{}); err != nil {
		s.fail(w, r, err)
		return
	}
	status, msg := http.StatusOK, ""
	if len(errs) > 0 {
		status, msg = http.StatusBadRequest, "筛选条件有误，请按提示修改。"
	} else {
		f.Limit = auditPageSize + 1
		events, err := s.cfg.DB.FindAudit(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		more := len(events) > auditPageSize
		if more {
			events = events[:auditPageSize]
		}
		for _, ev := range events {
			view.Rows = append(view.Rows, auditRow{AuditEvent: ev, What: describeAudit(ev.Action, ev.Target)})
		}
		base := q.query()
		view.Export = template.URL(base.Encode()) // url.Values encodes every value
		if more {
			base.Set("before", strconv.FormatInt(events[len(events)-1].ID, 10))
			view.Next = template.URL(base.Encode())
		}
	}
	s.render(w, r, status, "audit", page{Title: "审计日志", Active: "/audit", Error: msg, Data: view})
}

// auditExport writes the filtered audit log as an XLSX workbook (newest
// first, at most auditExportLimit rows); the export is itself audited.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	_, f, errs := auditFilter(r.URL.Query())
	if len(errs) > 0 {
		for _, e := range errs {
			http.Error(w, e, http.StatusBadRequest)
			return
		}
	}
	f.BeforeID = 0
	f.Limit = auditExportLimit
	events, err := s.cfg.DB.FindAudit(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	book := excelize.NewFile()
	defer book.Close()
	const sheet = "审计日志"
	if err := book.SetSheetName("Sheet1", sheet); err != nil {
		s.fail(w, r, err)
		return
	}
	sw, err := book.NewStreamWriter(sheet)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	header := []any{"序号", "时间（北京时间）", "操作人", "操作", "对象", "操作说明", "详情", "IP", "操作代码"}
	if err := sw.SetRow("A1", header); err != nil {
		s.fail(w, r, err)
		return
	}
	for i, ev := range events {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{ev.ID, ev.At.In(calendar.Shanghai).Format("2006-01-02 15:04:05"), ev.Actor, actionLabel(ev.Action),
			targetLabel(ev.Target), describeAudit(ev.Action, ev.Target), ev.Detail, ev.IP, ev.Action}
		if err := sw.SetRow(cell, row); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := sw.Flush(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.DB.Audit(r.Context(), &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, Action: "audit.export",
		Target: "audit", Detail: fmt.Sprintf("导出 %d 条（%s）", len(events), r.URL.RawQuery), IP: clientOf(r).IP}); err != nil {
		s.fail(w, r, err)
		return
	}
	name := "lvxin-audit-" + s.cfg.Now().In(calendar.Shanghai).Format("20060102-150405") + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if err := book.Write(w); err != nil {
		s.cfg.Logger.Error("audit export", "err", err)
	}
}
