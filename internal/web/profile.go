package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/profile"
)

// The 专业形象 pages: a lawyer's WeChat nickname and signature checked
// against the firm's conventions, and the contact card with its QR code
// (a vCard a client scans with the phone camera or WeChat).

type profileView struct {
	Profile   *model.LawyerProfile
	Areas     string
	Findings  []profile.Finding
	Checked   bool // findings belong to what is in the form
	Violation bool
	Saved     bool // a stored profile exists, so the card can be shown
	// NotSaved: 检查并保存 found what must be fixed and saved nothing; the
	// page asks for an explicit 仍然保存.
	NotSaved bool
}

func (s *Server) profilePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	lp, err := s.book().Profile(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderProfile(w, r, http.StatusOK, "", lp, !lp.UpdatedAt.IsZero(), !lp.UpdatedAt.IsZero())
}

func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, status int, msg string, lp *model.LawyerProfile, checked, saved bool) {
	view := profileView{Profile: lp, Areas: joinAreas(lp.PracticeAreas), Checked: checked, Saved: saved}
	if checked {
		view.Findings = clientbook.ProfileFindings(lp)
		for _, f := range view.Findings {
			view.Violation = view.Violation || f.Level == profile.LevelViolation
		}
	}
	s.render(w, r, status, "profile", page{Title: "专业形象", Active: "/clients", Error: msg, Data: view})
}

// renderProfileNotSaved shows the form as typed with its findings and the
// explicit 仍然保存 button.
func (s *Server) renderProfileNotSaved(w http.ResponseWriter, r *http.Request, lp *model.LawyerProfile, saved bool) {
	view := profileView{Profile: lp, Areas: joinAreas(lp.PracticeAreas), Checked: true, Saved: saved, NotSaved: true,
		Violation: true, Findings: clientbook.ProfileFindings(lp)}
	s.render(w, r, http.StatusOK, "profile", page{Title: "专业形象", Active: "/clients", Data: view})
}

func joinAreas(areas []string) string {
	out := ""
	for i, a := range areas {
		if i > 0 {
			out += "、"
		}
		out += a
	}
	return out
}

// profileSubmit checks the form (action=check) or checks and saves it.
func (s *Server) profileSubmit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	f := r.PostFormValue
	lp := &model.LawyerProfile{Name: f("name"), Nickname: f("nickname"), Signature: f("signature"), FirmAbbrev: f("firm_abbrev"),
		FirmName: f("firm_name"), Title: f("title"), Phone: f("phone"), WorkPhone: f("work_phone"), Email: f("email"),
		WeChatID: f("wechat_id"), LicenseNumber: f("license_number"), PracticeAreas: clientbook.SplitAreas(f("practice_areas"))}
	stored, err := s.book().Profile(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	saved := !stored.UpdatedAt.IsZero()
	switch f("action") {
	case "check":
		s.renderProfile(w, r, http.StatusOK, "", lp, true, saved)
		return
	case "force": // 仍然保存: the user saw the findings and saves anyway
	default:
		// 检查并保存 never reports 已保存 over a finding that must be
		// fixed: the findings come back and nothing is stored. (Invalid
		// fields are reported first, beside the findings, as on saving.)
		typed := *lp
		if err := clientbook.NormalizeProfile(&typed); err != nil {
			s.renderProfile(w, r, http.StatusBadRequest, err.Error(), lp, true, saved)
			return
		}
		for _, finding := range clientbook.ProfileFindings(lp) {
			if finding.Level == profile.LevelViolation {
				s.renderProfileNotSaved(w, r, lp, saved)
				return
			}
		}
	}
	if err := s.book().SaveProfile(r.Context(), p, lp); err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderProfile(w, r, http.StatusBadRequest, err.Error(), lp, true, saved)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/profile?done=saved#findings", http.StatusSeeOther)
}

// storedProfile is the signed-in user's saved profile; false after
// redirecting to the form when there is none yet.
func (s *Server) storedProfile(w http.ResponseWriter, r *http.Request, p *auth.Principal) (*model.LawyerProfile, bool) {
	lp, err := s.book().Profile(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if lp.UpdatedAt.IsZero() {
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return nil, false
	}
	return lp, true
}

func (s *Server) profileCard(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	lp, ok := s.storedProfile(w, r, p)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "profile_card", page{Title: lp.Name + "的名片", Active: "/clients",
		Data: profileView{Profile: lp, Areas: joinAreas(lp.PracticeAreas), Saved: true}})
}

func (s *Server) profileQR(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	lp, ok := s.storedProfile(w, r, p)
	if !ok {
		return
	}
	png, err := profile.QRCodePNG(profile.VCard(clientbook.Card(lp)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

func (s *Server) profileVCard(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	lp, ok := s.storedProfile(w, r, p)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/vcard; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(lp.Name+".vcf"))
	w.Write(profile.VCard(clientbook.Card(lp)))
}
