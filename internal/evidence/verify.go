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
// checkpoint (ledger.Log.Verify from 0) and that the log still holds every
// entry ever written or verified (a deleted tail no checkpoint covered yet);
// then that every evidence item agrees with its entry, that every entry
// still has its evidence item, that every entry is covered by a signed
// checkpoint (an uncovered tail left by an interrupted add is signed now and
// reported) and, unless opts.SkipFiles, that every stored file still has
// the entry's SHA-256, SM3 and size: a replaced or damaged file is reported
// with its log index. A passing check raises the known-good size for the
// incremental start-up check; a failing one makes every later start-up
// check recompute everything.
func (s *Service) VerifyAll(ctx context.Context, opts VerifyOptions) (ledger.Report, error) {
	log, err := s.open(ctx)
	if err != nil {
		return ledger.Report{}, err
	}
	_, minSize, _, err := s.knownGood(ctx)
	if err != nil {
		return ledger.Report{}, err
	}
	rep, err := log.VerifyKnown(ctx, 0, minSize)
	if err != nil {
		return rep, err
	}
	items, err := s.cfg.DB.FindEvidence(ctx, store.EvidenceFilter{})
	if err != nil {
		return rep, err
	}
	filesOK := 0
	recorded := make(map[int64]bool, len(items))
	for _, it := range items {
		recorded[it.LogIndex] = true
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
	checkItems(&rep, recorded)
	if !opts.SkipFiles && filesOK == len(items) && len(items) > 0 {
		rep.Findings = append(rep.Findings, ledger.Finding{Check: ledger.CheckFile, Item: "文件", Index: -1, OK: true,
			Reason: fmt.Sprintf("%d 个证据文件的 SHA-256、SM3 与大小均与日志条目一致", filesOK)})
	}
	if err := s.checkCoverage(ctx, log, &rep); err != nil {
		return rep, err
	}
	s.openMu.Lock()
	defer s.openMu.Unlock()
	ok := len(rep.Failures()) == 0
	s.state.OK, s.state.Problems = ok, nil
	for _, f := range rep.Failures() {
		s.state.Problems = append(s.state.Problems, f.Item+"："+f.Reason)
	}
	return rep, s.rememberVerified(ctx, rep.VerifiedSize, ok)
}

// checkItems reports entries of [0, rep.VerifiedSize) with no evidence
// item: every entry is written together with its item, so a missing one
// was deleted.
func checkItems(rep *ledger.Report, recorded map[int64]bool) {
	missing := 0
	for i := int64(0); i < int64(rep.VerifiedSize); i++ {
		if recorded[i] {
			continue
		}
		missing++
		rep.Findings = append(rep.Findings, ledger.Finding{Check: ledger.CheckItem, Item: fmt.Sprintf("条目 %d", i), Index: i,
			Reason: "日志条目没有对应的证据记录：证据记录被删除"})
	}
	if missing == 0 && rep.VerifiedSize > 0 {
		rep.Findings = append(rep.Findings, ledger.Finding{Check: ledger.CheckItem, Item: "证据记录", Index: -1, OK: true,
			Reason: fmt.Sprintf("%d 条日志条目都有对应的证据记录", rep.VerifiedSize)})
	}
}

// checkCoverage reports entries that no signed checkpoint covers: those the
// start-up check found (and signed) and any found now, which are signed now.
// An uncovered tail is the trace of an add interrupted between its commit
// and its checkpoint; it is not damage, so it passes once signed.
func (s *Service) checkCoverage(ctx context.Context, log *ledger.Log, rep *ledger.Report) error {
	s.openMu.Lock()
	startup := s.state.Tail
	s.state.Tail = nil
	s.openMu.Unlock()
	var tails []TailFinding
	if startup != nil {
		tails = append(tails, *startup)
	}
	if len(rep.Failures()) == 0 {
		tail, found, err := signTail(ctx, log, rep.VerifiedSize)
		if err != nil {
			return err
		}
		if found {
			tails = append(tails, tail)
		}
	}
	for _, t := range tails {
		rep.Findings = append(rep.Findings, ledger.Finding{Check: ledger.CheckCoverage, Index: int64(t.From),
			Item: fmt.Sprintf("条目 %d 至 %d", t.From, t.To-1), OK: t.Signed, Reason: "发现" + t.String()})
	}
	if len(tails) == 0 && rep.VerifiedSize > 0 && len(rep.Failures()) == 0 {
		rep.Findings = append(rep.Findings, ledger.Finding{Check: ledger.CheckCoverage, Item: "检查点", Index: -1, OK: true,
			Reason: fmt.Sprintf("全部 %d 条都已被签名检查点覆盖", rep.VerifiedSize)})
	}
	return nil
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
