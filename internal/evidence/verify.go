package evidence

import (
	"context"
	"errors"
	"fmt"

	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/store"
)

// VerifyOptions choose how deep VerifyAll goes.
type VerifyOptions struct {
	// SkipFiles skips re-reading every stored file.
	SkipFiles bool
}

// VerifyAll recomputes the whole log from its entries and checks every
// checkpoint (ledger.Log.Verify from 0), then checks that every evidence
// item agrees with its entry and, unless opts.SkipFiles, that every stored
// file still has the entry's SHA-256, SM3 and size: a replaced or damaged
// file is reported with its log index. A passing check becomes the new
// known-good size for the incremental start-up check.
func (s *Service) VerifyAll(ctx context.Context, opts VerifyOptions) (ledger.Report, error) {
	log, err := s.open(ctx)
	if err != nil {
		return ledger.Report{}, err
	}
	rep, err := log.Verify(ctx, 0)
	if err != nil {
		return rep, err
	}
	items, err := s.cfg.DB.FindEvidence(ctx, store.EvidenceFilter{})
	if err != nil {
		return rep, err
	}
	filesOK := 0
	for _, it := range items {
		item := fmt.Sprintf("证据 %d（日志序号 %d，%s）", it.ID, it.LogIndex, it.FileName)
		fail := func(reason string) {
			rep.Findings = append(rep.Findings, ledger.Finding{Check: ledger.CheckFile, Item: item, Index: it.LogIndex, Reason: reason})
		}
		entry, err := log.Entry(ctx, uint64(it.LogIndex))
		if err != nil {
			fail("找不到对应的日志条目：" + err.Error())
			continue
		}
		if entry.SHA256 != it.SHA256 || entry.SM3 != it.SM3 || entry.Size != it.Size {
			fail("证据登记的摘要与日志条目不一致：登记记录被修改")
			continue
		}
		if opts.SkipFiles {
			continue
		}
		if reason := s.checkFile(it.SHA256, entry); reason != "" {
			fail(reason)
			continue
		}
		filesOK++
	}
	if !opts.SkipFiles && filesOK == len(items) && len(items) > 0 {
		rep.Findings = append(rep.Findings, ledger.Finding{Check: ledger.CheckFile, Item: "文件", Index: -1, OK: true,
			Reason: fmt.Sprintf("%d 个证据文件的 SHA-256、SM3 与大小均与日志条目一致", filesOK)})
	}
	s.openMu.Lock()
	defer s.openMu.Unlock()
	if len(rep.Failures()) == 0 {
		s.state.OK, s.state.Problems = true, nil
		return rep, s.rememberVerified(ctx, rep.VerifiedSize)
	}
	s.state.OK, s.state.Problems = false, nil
	for _, f := range rep.Failures() {
		s.state.Problems = append(s.state.Problems, f.Item+"："+f.Reason)
	}
	// Forget the known-good size: the next start-up check in any process
	// recomputes everything and so finds the same damage.
	return rep, s.rememberVerified(ctx, 0)
}

func (s *Service) checkFile(sha string, entry ledger.Entry) string {
	rc, err := s.cfg.Blobs.Open(sha)
	if errors.Is(err, blob.ErrNotFound) {
		return "文件缺失（已被删除）"
	}
	if err != nil {
		return "文件无法读取或已被替换：" + err.Error()
	}
	defer rc.Close()
	d, err := ledger.Digest(rc)
	if errors.Is(err, blob.ErrCorrupt) {
		return "文件已被替换或损坏（SHA-256 不符）"
	}
	if err != nil {
		return "文件无法读取：" + err.Error()
	}
	if d.SHA256 != entry.SHA256 || d.SM3 != entry.SM3 || d.Size != entry.Size {
		return "文件内容与日志条目记载的摘要不一致：文件被替换"
	}
	return ""
}
