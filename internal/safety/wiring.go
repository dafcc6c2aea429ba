package safety

import (
	"context"

	"github.com/lvxin/lvxin/internal/model"
)

// AdminPoster posts a notification to every admin (*notify.Service
// satisfies it).
type AdminPoster interface {
	PostToAdmins(ctx context.Context, n model.Notification) error
}

// NotifyAdminsVia is the AdminNotifier that posts a freeze to every admin's
// notification centre as a security notification (and, through the
// centre's pusher, to their phones).
func NotifyAdminsVia(p AdminPoster) AdminNotifier {
	return func(ctx context.Context, title, body, link string) error {
		return p.PostToAdmins(ctx, model.Notification{Kind: model.NotifySecurity, Title: title, Body: body, Link: link})
	}
}
