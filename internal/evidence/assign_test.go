package evidence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestAssignLater preserves a file without a matter, assigns one, and sees
// that the leaf keeps the empty matter, the change is recorded and audited,
// and an export by the new matter includes the item and verifies.
func TestAssignLater(t *testing.T) {
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db, t.TempDir(), "", nil)
		id := add(t, s, "借条.txt", "借条", "", []byte("今借到人民币壹万元整"))
		add(t, s, "其他.txt", "其他", "（2026）京0105民初9号", []byte("无关"))
		const matter = "（2026）京0105民初1号"
		item, err := s.Assign(ctx, nil, auth.Client{IP: "cli"}, id, 0, "  "+matter+" ")
		if err != nil || item.MatterRef != matter {
			t.Fatalf("assign: %+v, %v", item, err)
		}
		entry, err := s.Entry(ctx, item)
		if err != nil || entry.Matter != "" {
			t.Fatalf("the leaf changed: %+v, %v", entry, err)
		}
		if _, err := s.Assign(ctx, nil, auth.Client{}, id, 0, matter); err != nil {
			t.Fatalf("same matter again: %v", err)
		}
		changes, err := s.MatterChanges(ctx, id)
		if err != nil || len(changes) != 1 || changes[0].From != "" || changes[0].To != matter || changes[0].ChangedBy != "命令行" {
			t.Fatalf("changes: %+v, %v", changes, err)
		}
		events, _ := db.FindAudit(ctx, store.AuditFilter{Action: "evidence.assign"})
		if len(events) != 1 || !strings.Contains(events[0].Detail, "由“未指定”改为“"+matter+"”") || events[0].Target != fmt.Sprintf("evidence/%d", id) {
			t.Fatalf("audit: %+v", events)
		}
		var buf bytes.Buffer
		sum, err := s.Export(ctx, nil, auth.Client{}, ExportFilter{MatterRef: matter}, &buf)
		if err != nil || sum.Items != 1 {
			t.Fatalf("export by the assigned matter: %+v, %v", sum, err)
		}
		rep, err := ledger.VerifyBundle(bytes.NewReader(buf.Bytes()), int64(buf.Len()), ledger.VerifyOptions{})
		if err != nil || !rep.OK() {
			t.Fatalf("bundle: %v\n%s", err, rep)
		}
		if _, err := s.Assign(ctx, nil, auth.Client{}, 99, 0, matter); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing item: %v", err)
		}
		if _, err := s.Assign(ctx, nil, auth.Client{}, id, 0, "a\nb"); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("line break: %v", err)
		}
		// Removing the matter is a change too.
		if item, err := s.Assign(ctx, nil, auth.Client{}, id, 0, ""); err != nil || item.MatterRef != "" {
			t.Fatalf("unassign: %+v, %v", item, err)
		}
		if _, err := s.Export(ctx, nil, auth.Client{}, ExportFilter{MatterRef: matter}, &bytes.Buffer{}); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("export after unassign: %v", err)
		}
		// The full check still passes: the item's matter is not part of the log.
		if rep, err := s.VerifyAll(ctx, VerifyOptions{}); err != nil || len(rep.Failures()) != 0 {
			t.Fatalf("verify after assign: %v\n%s", err, rep)
		}
	})
}

// TestConsistencyBetweenCheckpoints proves that a later checkpoint extends
// an earlier one, and rejects sizes outside the signed checkpoints.
func TestConsistencyBetweenCheckpoints(t *testing.T) {
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db, t.TempDir(), "", nil)
		if _, err := s.Consistency(ctx, 1, 1); !errors.Is(err, ErrNoSuchCheckpoint) {
			t.Fatalf("before any checkpoint: %v", err)
		}
		for round, n := range []int{3, 4, 1} {
			for i := range n {
				add(t, s, "f.txt", "", "", []byte{byte(round), byte(i)})
			}
			if _, err := s.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
		}
		add(t, s, "unsigned.txt", "", "", []byte("not yet in a checkpoint"))
		cps, err := s.Checkpoints(ctx)
		if err != nil || len(cps) != 3 || cps[0].Size != 3 || cps[2].Size != 8 {
			t.Fatalf("checkpoints: %d, %v", len(cps), err)
		}
		for _, pair := range [][2]ledger.Checkpoint{{cps[0], cps[1]}, {cps[0], cps[2]}, {cps[1], cps[2]}, {cps[2], cps[2]}} {
			a, b := pair[0], pair[1]
			hashes, err := s.Consistency(ctx, a.Size, b.Size)
			if err != nil {
				t.Fatalf("%d..%d: %v", a.Size, b.Size, err)
			}
			if err := ledger.VerifyConsistency(a.Size, b.Size, hashes, a.Root, b.Root); err != nil {
				t.Fatalf("%d..%d does not verify: %v", a.Size, b.Size, err)
			}
			if a.Size != b.Size {
				wrong := bytes.Clone(a.Root)
				wrong[0] ^= 1
				if ledger.VerifyConsistency(a.Size, b.Size, hashes, wrong, b.Root) == nil {
					t.Fatalf("%d..%d verifies against a wrong root", a.Size, b.Size)
				}
			}
		}
		for _, bad := range [][2]uint64{{0, 3}, {4, 3}, {3, 9}} {
			if _, err := s.Consistency(ctx, bad[0], bad[1]); !errors.Is(err, model.ErrInvalidInput) {
				t.Errorf("from %d to %d: %v", bad[0], bad[1], err)
			}
		}
	})
}
