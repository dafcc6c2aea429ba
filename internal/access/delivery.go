package access

import "github.com/lvxin/lvxin/internal/model"

// SendDocument: a matter's documents, its NDAs on record and its delivery
// links are for whoever may see the matter, who may also upload documents,
// record NDAs, send and revoke links and preserve a proof of service. A
// hidden matter answers ErrHidden, like a missing one. The NDA gate for
// confidential documents is a separate rule (NDARequired), applied to
// everyone including admins and the command line.
func SendDocument(u *model.User, m *model.Matter) error { return ViewMatter(u, m) }

// NDARequired reports whether sending a document of class c needs a signed
// NDA on record for the recipient.
func NDARequired(c model.DocumentClass) bool { return c.NeedsNDA() }
