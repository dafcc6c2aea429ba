package web

import (
	"net/http"
	"strconv"

	"github.com/lvxin/lvxin/internal/auth"
)

// matterOptions lists the matters p may see as options of a matter select
// (the access rule decides, through the client book); selected is marked.
func (s *Server) matterOptions(r *http.Request, p *auth.Principal, selected int64) ([]matterOption, error) {
	matters, err := s.clientBook.Matters(r.Context(), p, "")
	if err != nil {
		return nil, err
	}
	out := make([]matterOption, len(matters))
	for i, m := range matters {
		out[i] = matterOption{Value: strconv.FormatInt(m.ID, 10), Label: fullWidthBrackets(m.Ref()), Selected: m.ID == selected}
	}
	return out, nil
}
