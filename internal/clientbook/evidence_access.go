package clientbook

import (
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
)

// The evidence access rule, beside the matter rule it rests on (access.go):
//
//   - an item linked to a matter is visible to whoever may see that matter
//     (CanViewMatter decides; this file does not repeat the rule);
//   - an item linked to no matter is visible to admins and to the user who
//     added it;
//   - nil principal: the local CLI, trusted.
//
// Whoever may see an item may open, download, export and re-assign it; the
// evidence workflow (internal/evidence) asks this function and nothing else.

// CanViewEvidence returns nil when p may see item, auth.ErrForbidden
// otherwise. matter is the matter the item is linked to (item.MatterID), nil
// when it is not linked; a missing or different matter refuses.
func CanViewEvidence(p *auth.Principal, item *model.EvidenceItem, matter *model.Matter) error {
	if p == nil {
		return nil
	}
	if p.User == nil || p.User.Disabled {
		return auth.ErrHidden
	}
	if item.MatterID != 0 {
		if matter == nil || matter.ID != item.MatterID {
			return auth.ErrHidden
		}
		return CanViewMatter(p, matter)
	}
	if p.User.Role == model.RoleAdmin || (item.AddedByID != 0 && item.AddedByID == p.User.ID) {
		return nil
	}
	return auth.ErrHidden
}

// EvidenceMatterRef is the text an item linked to m carries as its matter
// (and the log entry records when it is preserved under m): the same label
// deadlines use, "#<id> <案号> <title>".
func EvidenceMatterRef(m *model.Matter) string { return matterRef(m) }
