package wecom

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Sink receives what the processor reads from the queue: the message centre
// (internal/inbox) implements it. Delivery is at least once (a crash between
// the hand-over and the queue's commit repeats it), so a Sink must be
// idempotent: by MsgID for messages, by (Change, ExternalUserID, At) for
// events. An error makes the processor try the event again later.
type Sink interface {
	Message(ctx context.Context, m model.InboundMessage) error    // kf messages (after sync_msg) and simulated ones
	ContactEvent(ctx context.Context, e model.ContactEvent) error // add/edit/del external contact
	GroupEvent(ctx context.Context, e model.GroupEvent) error     // customer group change
}

// ProcessorConfig tunes a Processor; zero fields take the defaults.
type ProcessorConfig struct {
	Lease       time.Duration // how long a claimed event is held (default 2 min)
	Batch       int           // events claimed at once (default 16)
	Poll        time.Duration // idle wait between checks (default 2 s; a queued callback wakes it at once)
	MaxAttempts int           // attempts before an event is given up (default 12)
	Retention   time.Duration // done events kept for (default 7 days)
	Logger      *slog.Logger
}

// Processor drains the callback queue into a Sink. Start one per process
// (serve does); several processes may share a database: leases keep them
// from handling the same event at once.
type Processor struct {
	svc  *Service
	sink Sink
	cfg  ProcessorConfig
}

// NewProcessor returns a processor of svc's queue handing events to sink.
func NewProcessor(svc *Service, sink Sink, cfg ProcessorConfig) *Processor {
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 16
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 12
	}
	if cfg.Retention <= 0 {
		cfg.Retention = 7 * 24 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = svc.logger
	}
	return &Processor{svc: svc, sink: sink, cfg: cfg}
}

// Run processes the queue until ctx ends.
func (p *Processor) Run(ctx context.Context) error {
	lastPurge := time.Time{}
	for {
		n, err := p.ProcessOnce(ctx)
		if err != nil && ctx.Err() == nil {
			p.cfg.Logger.Error("wecom queue", "err", err)
		}
		if now := p.svc.now(); now.Sub(lastPurge) > time.Hour {
			lastPurge = now
			if _, err := p.svc.db.PurgeWeComEvents(ctx, now.Add(-p.cfg.Retention)); err != nil && ctx.Err() == nil {
				p.cfg.Logger.Error("wecom queue purge", "err", err)
			}
		}
		if n > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.svc.wake:
		case <-time.After(p.cfg.Poll):
		}
	}
}

// ProcessOnce claims one batch and handles it; it returns how many events
// it claimed.
func (p *Processor) ProcessOnce(ctx context.Context) (int, error) {
	events, err := p.svc.db.ClaimWeComEvents(ctx, p.cfg.Batch, p.cfg.Lease)
	if err != nil {
		return 0, err
	}
	// The handled events are marked done together at the end of the batch:
	// one durable commit, not one per event. Delivery stays at least once
	// (the sinks de-duplicate by message id): a crash before that commit
	// brings the batch back after its lease, as a crash between an event's
	// handling and its own commit did before.
	var done []int64
	complete := func() error {
		// Also when shutting down: what was handled is recorded.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return p.svc.db.CompleteWeComEvents(cctx, done)
	}
	for _, ev := range events {
		herr := p.handle(ctx, ev)
		if ctx.Err() != nil {
			// Shutting down: this event's lease runs out and it comes back.
			if err := complete(); err != nil {
				return len(events), err
			}
			return len(events), ctx.Err()
		}
		if herr == nil {
			done = append(done, ev.ID)
			continue
		}
		giveUp := ev.Attempts >= p.cfg.MaxAttempts || errors.Is(herr, errPermanent)
		retryAt := p.svc.now().Add(backoff(ev.Attempts))
		p.cfg.Logger.Warn("wecom event failed", "id", ev.ID, "kind", ev.Kind, "attempt", ev.Attempts, "give_up", giveUp, "err", herr)
		if err := p.svc.db.RetryWeComEvent(ctx, ev.ID, herr.Error(), retryAt, giveUp); err != nil {
			return len(events), err
		}
	}
	return len(events), complete()
}

// errPermanent marks an event that can never succeed (it is closed at once).
var errPermanent = errors.New("无法处理的事件")

// backoff is the wait before attempt n+1: 5 s doubling, at most 30 min.
func backoff(attempt int) time.Duration {
	d := 5 * time.Second
	for i := 1; i < attempt && d < 30*time.Minute; i++ {
		d *= 2
	}
	return min(d, 30*time.Minute)
}

func (p *Processor) handle(ctx context.Context, row *store.WeComEvent) error {
	ev, err := ParseEvent([]byte(row.Payload))
	if err != nil {
		return fmt.Errorf("%w：%w", errPermanent, err)
	}
	at := time.Unix(ev.CreateTime, 0).UTC()
	if ev.CreateTime == 0 {
		at = row.ReceivedAt
	}
	switch {
	case ev.MsgType == "event" && ev.Event == "kf_msg_or_event":
		if ev.Simulated != 0 {
			return p.sink.Message(ctx, model.InboundMessage{Channel: model.ChannelSimulator, OpenKFID: ev.OpenKFID,
				ExternalUserID: ev.ExternalUserID, MsgID: ev.MsgID, SentAt: at, Kind: model.InboundText, Text: ev.Content})
		}
		return p.syncKF(ctx, ev)
	case ev.MsgType == "event" && ev.Event == "change_external_contact":
		e := model.ContactEvent{Change: ev.ChangeType, StaffUserID: ev.UserID, ExternalUserID: ev.ExternalUserID,
			WelcomeCode: ev.WelcomeCode, State: ev.State, At: at}
		// The welcome code is valid for 20 s: hand the event over first,
		// then bring the contact's tags in.
		if err := p.sink.ContactEvent(ctx, e); err != nil {
			return err
		}
		if ev.ChangeType == model.ContactAdded || ev.ChangeType == model.ContactEdited {
			if err := p.svc.PullContact(ctx, ev.ExternalUserID); err != nil && !errors.Is(err, ErrNotConfigured) {
				p.cfg.Logger.Warn("wecom contact pull failed", "external_userid", ev.ExternalUserID, "err", err)
			}
		}
		return nil
	case ev.MsgType == "event" && ev.Event == "change_external_chat":
		return p.sink.GroupEvent(ctx, model.GroupEvent{ChatID: ev.ChatID, Change: ev.ChangeType,
			UpdateDetail: ev.UpdateDetail, JoinScene: ev.JoinScene, QuitScene: ev.QuitScene, MemChangeCnt: ev.MemChangeCnt, At: at})
	}
	// Other callbacks (app messages from members, other events) are kept in
	// the queue's history and otherwise ignored.
	return nil
}

// syncKF pulls the kf account's new messages with the stored cursor and
// hands each client message over, saving the cursor after every page.
func (p *Processor) syncKF(ctx context.Context, ev Event) error {
	if ev.OpenKFID == "" {
		return fmt.Errorf("%w：kf_msg_or_event 缺少 OpenKfId", errPermanent)
	}
	client, err := p.svc.Client(ctx)
	if err != nil {
		return err
	}
	cursor, err := p.svc.db.WeComCursor(ctx, ev.OpenKFID)
	if err != nil {
		return err
	}
	for page := 0; page < 100; page++ {
		res, err := client.SyncKFMessages(ctx, ev.OpenKFID, cursor, ev.Token, 1000)
		if err != nil {
			return err
		}
		for _, m := range res.Messages {
			in, ok := inboundOf(m)
			if !ok {
				continue
			}
			if err := p.sink.Message(ctx, in); err != nil {
				return err
			}
		}
		if res.NextCursor != "" && res.NextCursor != cursor {
			cursor = res.NextCursor
			if err := p.svc.db.Update(ctx, func(tx *store.Tx) error { return tx.SetWeComCursor(ctx, ev.OpenKFID, cursor) }); err != nil {
				return err
			}
		}
		if res.HasMore == 0 {
			return nil
		}
	}
	return nil
}

// inboundOf turns a kf message from a WeChat user (origin 3) or a kf event
// into an InboundMessage; servicers' own messages are skipped.
func inboundOf(m KFMessage) (model.InboundMessage, bool) {
	in := model.InboundMessage{Channel: model.ChannelKF, OpenKFID: m.OpenKFID, ExternalUserID: m.ExternalUserID,
		StaffUserID: m.ServicerUserID, MsgID: m.MsgID}
	if m.SendTime > 0 {
		in.SentAt = time.Unix(m.SendTime, 0).UTC()
	}
	switch {
	case m.MsgType == "event" && m.Event != nil:
		in.Kind, in.Text, in.WelcomeCode = model.InboundEvent, m.Event.EventType, m.Event.WelcomeCode
		if in.ExternalUserID == "" {
			in.ExternalUserID = m.Event.ExternalUserID
		}
		if in.OpenKFID == "" {
			in.OpenKFID = m.Event.OpenKFID
		}
		return in, true
	case m.Origin != 3:
		return in, false
	case m.MsgType == "text" && m.Text != nil:
		in.Kind, in.Text = model.InboundText, m.Text.Content
	case m.MsgType == "image":
		in.Kind, in.Text = model.InboundImage, "[图片]"
	case m.MsgType == "voice":
		in.Kind, in.Text = model.InboundVoice, "[语音]"
	case m.MsgType == "video":
		in.Kind, in.Text = model.InboundVideo, "[视频]"
	case m.MsgType == "file":
		in.Kind, in.Text = model.InboundFile, "[文件]"
	default:
		in.Kind, in.Text = model.InboundOther, "[其他消息："+m.MsgType+"]"
	}
	return in, true
}
