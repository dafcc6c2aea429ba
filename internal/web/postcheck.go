package web

import (
	"errors"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/postcheck"
	"github.com/lvxin/lvxin/internal/redact"
	"github.com/lvxin/lvxin/internal/store"
)

// segment is a piece of the checked text, highlighted when it carries a
// finding.
type segment struct {
	Text    string
	Finding *postcheck.Finding
	Number  int
}

type postcheckView struct {
	Text     string
	Own      string // extra own details typed on the page, one a line
	Checked  bool
	Report   postcheck.Report
	Segments []segment
	MustFix  bool
}

const maxPostRunes = 20000

func (s *Server) postcheckPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.render(w, r, http.StatusOK, "postcheck", page{Title: "发布检查", Active: "/postcheck", Data: postcheckView{}})
}

func (s *Server) postcheckSubmit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	text := r.PostFormValue("text")
	own := r.PostFormValue("own")
	if !utf8.ValidString(text) || utf8.RuneCountInString(text) > maxPostRunes || !utf8.ValidString(own) || utf8.RuneCountInString(own) > 2000 {
		s.render(w, r, http.StatusBadRequest, "postcheck", page{Title: "发布检查", Active: "/postcheck",
			Error: "文本过长（最多 20000 字）或含无效字符，请分段检查。", Data: postcheckView{}})
		return
	}
	persons, orgs, err := s.cfg.DB.KnownNames(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	opts := redact.KnownOptions(persons, orgs)
	// The lawyer's own details (专业形象) are 本人信息, not a client's.
	switch prof, err := s.cfg.DB.LawyerProfile(r.Context(), p.User.ID); {
	case err == nil:
		opts.Own = postcheck.OwnDetails(*prof)
	case !errors.Is(err, store.ErrNotFound):
		s.fail(w, r, err)
		return
	}
	// Details the profile has no field for (the firm's address, 公众号),
	// typed on the page for this check only.
	for _, line := range strings.Split(own, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			opts.Own = append(opts.Own, line)
		}
	}
	rep := postcheck.Check(text, opts)
	view := postcheckView{Text: text, Own: own, Checked: true, Report: rep, Segments: segments(text, rep.Findings), MustFix: rep.MustFix()}
	s.render(w, r, http.StatusOK, "postcheck", page{Title: "发布检查", Active: "/postcheck", Data: view})
}

// segments cuts text at the findings' spans so the template can mark them.
// Overlapping spans keep the earlier one.
func segments(text string, findings []postcheck.Finding) []segment {
	order := make([]int, 0, len(findings))
	for i, f := range findings {
		if f.End > f.Start && f.Start >= 0 && f.End <= len(text) {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return findings[order[a]].Start < findings[order[b]].Start })
	var out []segment
	pos := 0
	for _, i := range order {
		f := &findings[i]
		if f.Start < pos {
			continue
		}
		if f.Start > pos {
			out = append(out, segment{Text: text[pos:f.Start]})
		}
		out = append(out, segment{Text: text[f.Start:f.End], Finding: f, Number: i + 1})
		pos = f.End
	}
	if pos < len(text) {
		out = append(out, segment{Text: text[pos:]})
	}
	return out
}
