package evidence

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
)

// ErrDuplicate is wrapped by *DuplicateError.
var ErrDuplicate = errors.New("相同内容的文件已保全过")

// ErrPendingGone wraps model.ErrInvalidInput: a duplicate confirmation whose
// upload is no longer kept (expired, already confirmed, another user's, or
// the server restarted).
var ErrPendingGone = fmt.Errorf("%w：该确认已失效，请重新选择文件上传", model.ErrInvalidInput)

// DuplicateError reports that the user can already see an item with the
// same content; nothing was preserved.
//
// Only items the user may see count. An identical item in a matter the user
// may not see is treated as if it did not exist: naming it, or even saying
// that it exists, would tell the user that another matter holds this file,
// which is what the matter rule hides; and the user could neither open nor
// reuse that item, so a confirmation would only leak, never help. The new
// item is then preserved without a question (an admin, who sees both,
// still can tell them apart by their digests).
type DuplicateError struct {
	FileName string
	Existing *model.EvidenceItem
	// Pending is the token of the kept upload for ConfirmDuplicate; empty
	// when the upload was not kept.
	Pending string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("文件“%s”与已保全的证据相同：该文件已于 %s 保全为证据 #%d（“%s”，日志序号 %d）",
		e.FileName, e.Existing.AddedAt.In(shanghai).Format("2006-01-02 15:04"), e.Existing.ID, e.Existing.Title, e.Existing.LogIndex)
}

// Unwrap makes errors.Is(err, ErrDuplicate) true.
func (e *DuplicateError) Unwrap() error { return ErrDuplicate }

// Kept uploads awaiting a confirmation: a few, for an hour. The file itself
// is already in the blob store (its content is that of the existing item).
const (
	pendingTTL = time.Hour
	maxPending = 256
)

type pendingAdd struct {
	actorID int64
	add     *preparedAdd
	expires time.Time
}

// keepPending remembers a prepared upload for its actor and returns the
// confirmation token.
func (s *Service) keepPending(actorID int64, p *preparedAdd) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	now := s.cfg.Now()
	s.pendingMu.Lock()
	defer s.pendingMu.Unlock()
	if s.pendingAdds == nil {
		s.pendingAdds = map[string]pendingAdd{}
	}
	for k, v := range s.pendingAdds {
		if now.After(v.expires) {
			delete(s.pendingAdds, k)
		}
	}
	for len(s.pendingAdds) >= maxPending { // drop the oldest
		oldest := ""
		for k, v := range s.pendingAdds {
			if oldest == "" || v.expires.Before(s.pendingAdds[oldest].expires) {
				oldest = k
			}
		}
		delete(s.pendingAdds, oldest)
	}
	s.pendingAdds[token] = pendingAdd{actorID: actorID, add: p, expires: now.Add(pendingTTL)}
	return token
}

// ConfirmDuplicate preserves an upload that Add refused as a duplicate,
// once the same user confirmed it: the kept file is logged as a new item
// with a duplicate warning. The matter is checked again.
func (s *Service) ConfirmDuplicate(ctx context.Context, actor *auth.Principal, client auth.Client, token string) (*model.EvidenceItem, error) {
	actorID, _ := actorName(actor)
	s.pendingMu.Lock()
	p, ok := s.pendingAdds[token]
	if ok && p.actorID == actorID {
		delete(s.pendingAdds, token)
	}
	s.pendingMu.Unlock()
	if !ok || p.actorID != actorID || s.cfg.Now().After(p.expires) {
		return nil, ErrPendingGone
	}
	add := *p.add
	add.in.AllowDuplicate = true
	if err := s.resolveAddMatter(ctx, actor, client, &add.in); err != nil {
		return nil, err
	}
	return s.commitAdd(ctx, actor, client, &add)
}
