package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/evidence"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

type evidenceHandlers struct {
	s   *Server
	svc *evidence.Service
}

type evidenceView struct {
	State evidence.State
	Items []*model.EvidenceItem
	// Matters are the matters the user may see, to link new evidence to.
	Matters []matterOption
	// Filters select the list and a matter export: the linked matters and
	// the free matter texts of the evidence the user may see.
	Filters []matterOption
	Added   []*model.EvidenceItem // just preserved, with their warnings
	Matter  string                // list filter: "#<id>" or free text
	// Duplicates are uploaded files the user can already see as evidence;
	// they were not preserved and wait for a confirmation.
	Duplicates []*evidence.DuplicateError
}

// matterOption is an option of a matter select.
type matterOption struct {
	Value, Label string
	Selected     bool
}

func (h *evidenceHandlers) page(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.render(w, r, p, http.StatusOK, "", evidenceView{Matter: r.URL.Query().Get("matter")})
}

// visibleMatters lists the matters p may see as options (the matter
// picker's plain select); selected is marked.
func (h *evidenceHandlers) visibleMatters(r *http.Request, p *auth.Principal, selected int64) ([]matterOption, error) {
	return h.s.matterOptions(r, p, selected)
}

func (h *evidenceHandlers) render(w http.ResponseWriter, r *http.Request, p *auth.Principal, status int, msg string, view evidenceView) {
	ctx := r.Context()
	state, err := h.svc.State(ctx)
	if err != nil {
		h.s.fail(w, r, err)
		return
	}
	view.State = state
	all, err := h.svc.List(ctx, p, store.EvidenceFilter{})
	if err != nil {
		h.s.fail(w, r, err)
		return
	}
	filterID, filterText := evidence.ParseMatterRef(view.Matter)
	seen := map[string]bool{}
	for _, it := range all {
		value := it.MatterRef
		if it.MatterID != 0 {
			value = fmt.Sprintf("#%d", it.MatterID)
		}
		if it.MatterRef != "" && !seen[value] {
			seen[value] = true
			view.Filters = append(view.Filters, matterOption{Value: value, Label: fullWidthBrackets(it.MatterRef), Selected: value == view.Matter})
		}
		if (filterID != 0 && it.MatterID != filterID) || (filterID == 0 && filterText != "" && it.MatterRef != filterText) {
			continue
		}
		view.Items = append(view.Items, it)
	}
	if view.Matters, err = h.visibleMatters(r, p, 0); err != nil {
		h.s.fail(w, r, err)
		return
	}
	h.s.render(w, r, status, "evidence", page{Title: "证据", Active: "/evidence", Error: msg, Data: view})
}

// matterChoice reads a matter select (matter_id) and the free-text field
// (matter) of a form: a chosen matter wins over the text.
func matterChoice(r *http.Request) (int64, string, error) {
	id := int64(0)
	if v := strings.TrimSpace(r.FormValue("matter_id")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0, "", fmt.Errorf("%w：案件编号无效", model.ErrInvalidInput)
		}
		id = n
	}
	if id != 0 {
		return id, "", nil
	}
	return 0, r.FormValue("matter"), nil
}

func (h *evidenceHandlers) upload(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		if tokens := r.PostForm["confirm"]; len(tokens) > 0 {
			h.confirmDuplicates(w, r, p, tokens)
			return
		}
		h.render(w, r, p, http.StatusBadRequest, "请选择要保全的文件。", evidenceView{})
		return
	}
	matterID, matterRef, err := matterChoice(r)
	if err != nil {
		h.s.fail(w, r, err)
		return
	}
	in := evidence.AddInput{
		Title: r.FormValue("title"), MatterID: matterID, MatterRef: matterRef, SourceProvider: r.FormValue("source"),
		SourceMethod: r.FormValue("method"), CollectedAt: r.FormValue("collected"), SourceDevice: r.FormValue("device"),
		Purpose: r.FormValue("purpose"), FormedAt: r.FormValue("formed"),
	}
	var view evidenceView
	for _, fh := range r.MultipartForm.File["file"] {
		item, err := h.addOne(r, p, in, fh)
		var dup *evidence.DuplicateError
		if errors.As(err, &dup) {
			view.Duplicates = append(view.Duplicates, dup)
			continue
		}
		if err != nil {
			if errors.Is(err, model.ErrInvalidInput) || errors.Is(err, ledger.ErrLogBroken) {
				h.render(w, r, p, http.StatusBadRequest, err.Error(), view)
				return
			}
			h.s.fail(w, r, err)
			return
		}
		view.Added = append(view.Added, item)
	}
	h.finishUpload(w, r, p, view)
}

// confirmDuplicates preserves uploads the user confirmed after being told
// that they duplicate evidence already preserved.
func (h *evidenceHandlers) confirmDuplicates(w http.ResponseWriter, r *http.Request, p *auth.Principal, tokens []string) {
	var view evidenceView
	for _, token := range tokens {
		item, err := h.svc.ConfirmDuplicate(r.Context(), p, clientOf(r), token)
		if err != nil {
			if errors.Is(err, model.ErrInvalidInput) || errors.Is(err, ledger.ErrLogBroken) {
				h.render(w, r, p, http.StatusBadRequest, err.Error(), view)
				return
			}
			h.s.fail(w, r, err)
			return
		}
		view.Added = append(view.Added, item)
	}
	h.finishUpload(w, r, p, view)
}

// finishUpload signs a checkpoint over what was added and shows the result.
func (h *evidenceHandlers) finishUpload(w http.ResponseWriter, r *http.Request, p *auth.Principal, view evidenceView) {
	msg := ""
	if len(view.Added) > 0 {
		if _, err := h.svc.Checkpoint(r.Context()); err != nil {
			msg = "文件已保全并登记，但签署检查点失败：" + err.Error()
			h.s.cfg.Logger.Error("evidence checkpoint", "err", err)
		}
	}
	h.render(w, r, p, http.StatusOK, msg, view)
}

func (h *evidenceHandlers) addOne(r *http.Request, p *auth.Principal, in evidence.AddInput, fh *multipart.FileHeader) (*model.EvidenceItem, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	in.FileName = fh.Filename
	return h.svc.Add(r.Context(), p, clientOf(r), in, f)
}

func (h *evidenceHandlers) itemID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.s.notFound(w, r)
		return 0, false
	}
	return id, true
}

type evidenceItemView struct {
	Item  *model.EvidenceItem
	State evidence.State
	// LoggedMatter is the matter in the immutable log entry (at preservation).
	LoggedMatter string
	Changes      []store.EvidenceMatterChange
	// Matters are the matters the user may see, for the assign form.
	Matters []matterOption
}

func (h *evidenceHandlers) item(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := h.itemID(w, r)
	if !ok {
		return
	}
	item, err := h.svc.Item(r.Context(), p, clientOf(r), id)
	if err != nil {
		h.s.fail(w, r, err)
		return
	}
	view := evidenceItemView{Item: item}
	if view.State, err = h.svc.State(r.Context()); err != nil {
		h.s.fail(w, r, err)
		return
	}
	entry, err := h.svc.Entry(r.Context(), item)
	if err != nil {
		h.s.fail(w, r, err)
		return
	}
	view.LoggedMatter = entry.Matter
	if view.Changes, err = h.svc.MatterChanges(r.Context(), id); err != nil {
		h.s.fail(w, r, err)
		return
	}
	if view.Matters, err = h.visibleMatters(r, p, item.MatterID); err != nil {
		h.s.fail(w, r, err)
		return
	}
	h.s.render(w, r, http.StatusOK, "evidence_item", page{Title: item.Title, Active: "/evidence",
		Flash: flashMessages[r.URL.Query().Get("done")], Data: view})
}

// assign sets the item's current matter (the log entry keeps the one it
// was preserved under).
func (h *evidenceHandlers) assign(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := h.itemID(w, r)
	if !ok {
		return
	}
	matterID, matterRef, err := matterChoice(r)
	if err != nil {
		h.s.fail(w, r, err)
		return
	}
	if _, err := h.svc.Assign(r.Context(), p, clientOf(r), id, matterID, matterRef); err != nil {
		h.s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence/%d?done=saved", id), http.StatusSeeOther)
}

func (h *evidenceHandlers) download(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := h.itemID(w, r)
	if !ok {
		return
	}
	item, rc, err := h.svc.Open(r.Context(), p, clientOf(r), id)
	if err != nil {
		h.s.fail(w, r, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", attachment(item.FileName))
	w.Header().Set("Content-Length", strconv.FormatInt(item.Size, 10))
	if _, err := io.Copy(w, rc); err != nil {
		h.s.cfg.Logger.Error("evidence download", "id", id, "err", err)
	}
}

func (h *evidenceHandlers) submission(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := h.itemID(w, r)
	if !ok {
		return
	}
	sub := model.EvidenceSubmission{ItemID: id, Platform: r.PostFormValue("platform"),
		SubmittedOn: r.PostFormValue("submitted_on"), Reference: r.PostFormValue("reference")}
	if err := h.svc.AddSubmission(r.Context(), p, clientOf(r), sub); err != nil {
		h.s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence/%d?done=saved", id), http.StatusSeeOther)
}

// export writes a bundle of the checked items, or of a matter ("#<id>" or
// free text); the service refuses items the user may not see.
func (h *evidenceHandlers) export(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	var f evidence.ExportFilter
	f.MatterID, f.MatterRef = evidence.ParseMatterRef(r.PostFormValue("matter"))
	for _, v := range r.PostForm["item"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			h.s.fail(w, r, fmt.Errorf("%w：证据编号无效", model.ErrInvalidInput))
			return
		}
		f.IDs = append(f.IDs, id)
	}
	if r.PostFormValue("scope") == "matter" {
		f.IDs = nil
		if f.MatterID == 0 && f.MatterRef == "" {
			h.render(w, r, p, http.StatusBadRequest, "请选择要导出的案件。", evidenceView{})
			return
		}
	} else {
		f.MatterID, f.MatterRef = 0, ""
		if len(f.IDs) == 0 {
			h.render(w, r, p, http.StatusBadRequest, "请勾选要导出的证据，或选择按案件导出。", evidenceView{})
			return
		}
	}
	name := "证据包"
	switch {
	case f.MatterID != 0:
		name += fmt.Sprintf("-案件%d", f.MatterID)
	case f.MatterRef != "":
		name += "-" + f.MatterRef
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", attachment(name+".zip"))
	cw := &countingWriter{w: w}
	if _, err := h.svc.Export(r.Context(), p, clientOf(r), f, cw); err != nil {
		if cw.n == 0 { // nothing sent yet: a normal error page
			w.Header().Del("Content-Disposition")
			w.Header().Del("Content-Type")
			h.s.fail(w, r, err)
			return
		}
		h.s.cfg.Logger.Error("evidence export", "err", err)
	}
}

// countingWriter counts the bytes passed on.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (h *evidenceHandlers) checkpoint(w http.ResponseWriter, r *http.Request) {
	cp, err := h.svc.LatestCheckpoint(r.Context())
	if errors.Is(err, ledger.ErrNoCheckpoint) {
		http.Error(w, "证据日志尚无检查点", http.StatusNotFound)
		return
	}
	if err != nil {
		h.s.cfg.Logger.Error("ledger checkpoint", "err", err)
		http.Error(w, "服务器内部错误", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(cp.Note)
}

// consistency serves the RFC 6962 consistency proof between the tree sizes
// from and to (public, like the checkpoint): one base64 hash per line. The
// verifier takes the two root hashes from the signed checkpoints of those
// sizes.
func (h *evidenceHandlers) consistency(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err1 := strconv.ParseUint(q.Get("from"), 10, 64)
	to, err2 := strconv.ParseUint(q.Get("to"), 10, 64)
	if err1 != nil || err2 != nil {
		http.Error(w, "请用 ?from=N&to=M 指定两个检查点的日志大小（正整数，N ≤ M）", http.StatusBadRequest)
		return
	}
	hashes, err := h.svc.Consistency(r.Context(), from, to)
	if errors.Is(err, model.ErrInvalidInput) {
		http.Error(w, strings.TrimPrefix(err.Error(), model.ErrInvalidInput.Error()+"："), http.StatusBadRequest)
		return
	}
	if err != nil {
		h.s.cfg.Logger.Error("ledger consistency", "from", from, "to", to, "err", err)
		http.Error(w, "服务器内部错误", http.StatusInternalServerError)
		return
	}
	var b strings.Builder
	for _, hash := range hashes {
		b.WriteString(base64.StdEncoding.EncodeToString(hash))
		b.WriteByte('\n')
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, b.String())
}

// attachment is a Content-Disposition for a (possibly Chinese) file name.
func attachment(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7E || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf("attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, url.PathEscape(name))
}
