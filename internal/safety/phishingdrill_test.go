package safety_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/phishing"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestPhishingDrillScoresOverTime(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &clock{time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)}
		f := setup(t, db, c)
		_, me := login(t, f.auth, "zhang")
		_, other := login(t, f.auth, "li")
		_, admin := login(t, f.auth, "admin")
		qs := phishing.NewDrill(7)
		perfect := map[int]string{}
		for i, q := range qs {
			perfect[i] = map[bool]string{true: "lure", false: "genuine"}[q.Lure]
		}
		// First drill: everything judged genuine (all lures missed).
		all := map[int]string{}
		for i := range qs {
			all[i] = "genuine"
		}
		g, first, err := f.svc.RecordPhishingDrill(ctx, me, 7, all, client())
		if err != nil || g.MissedLures != phishing.DrillSize/2 || first.Correct != phishing.DrillSize/2 {
			t.Fatalf("first drill: %v %+v %+v", err, g, first)
		}
		c.t = c.t.Add(30 * 24 * time.Hour)
		if _, second, err := f.svc.RecordPhishingDrill(ctx, me, 7, perfect, client()); err != nil || second.Correct != phishing.DrillSize {
			t.Fatalf("second drill: %v %+v", err, second)
		}
		if _, _, err := f.svc.RecordPhishingDrill(ctx, other, 7, perfect, client()); err != nil {
			t.Fatal(err)
		}
		mine, err := f.svc.PhishingDrills(ctx, me, f.lawyer.ID)
		if err != nil || len(mine) != 2 || mine[0].Correct != phishing.DrillSize || mine[1].Correct != phishing.DrillSize/2 || !mine[0].TakenAt.Equal(c.t) {
			t.Fatalf("history: %v %+v", err, mine)
		}
		if _, err := f.svc.PhishingDrills(ctx, other, f.lawyer.ID); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("another lawyer read zhang's scores: %v", err)
		}
		if _, err := f.svc.PhishingDrills(ctx, me, 0); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("lawyer read everyone's scores: %v", err)
		}
		everyone, err := f.svc.PhishingDrills(ctx, admin, 0)
		if err != nil || len(everyone) != 3 {
			t.Fatalf("admin: %v %d", err, len(everyone))
		}
		evs, _ := db.FindAudit(ctx, store.AuditFilter{Action: "phishing.drill"})
		if len(evs) != 3 {
			t.Fatalf("audit rows: %d", len(evs))
		}
	})
}
