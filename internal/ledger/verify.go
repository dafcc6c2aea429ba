package ledger

import (
	"bytes"
	"context"
	"fmt"

	"github.com/lvxin/lvxin/internal/tsa"
	"github.com/transparency-dev/merkle/compact"
)

// verifyBatch is how many entries Verify reads from storage at once.
const verifyBatch = 4096

// Verify recomputes the tree from the stored entry bytes of [from, size) —
// from is a size already known good, 0 to check everything — and checks every
// stored checkpoint: its signature, its timestamp's imprint, and its root
// against the recomputed tree. An edited, deleted or reordered entry is
// reported with its index. When anything fails the log refuses Append until a
// later Verify passes. The error is for storage failures only.
func (l *Log) Verify(ctx context.Context, from uint64) (Report, error) {
	return l.VerifyKnown(ctx, from, from)
}

// VerifyKnown is Verify that also requires the log to hold at least known
// entries, the size an earlier verification found good: a shorter log lost
// its tail, which no checkpoint may cover when the tail was not yet signed.
// When the log is shorter than from, everything is recomputed.
func (l *Log) VerifyKnown(ctx context.Context, from, known uint64) (Report, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var rep Report
	l.tree.reset()
	// Checkpoints before the size: a writer appending and signing meanwhile
	// can only make the size larger than every checkpoint read here.
	stored, err := l.storage.Checkpoints(ctx)
	if err != nil {
		return rep, err
	}
	size, err := l.storage.Size(ctx)
	if err != nil {
		return rep, err
	}
	if known = max(known, from); known > size {
		rep.fail(CheckTree, "日志", -1, fmt.Sprintf("日志只有 %d 条，少于此前校验确认的 %d 条：末尾的第 %d 至 %d 条被删除",
			size, known, size, known-1))
		from = 0
	}
	// Roots of checkpoints at or below from come from stored leaf hashes.
	cps := l.verifyCheckpointSignatures(&rep, stored, size)
	r, err := l.tree.compactRange(ctx, from)
	if err != nil {
		return rep, err
	}
	next := 0
	checkRoots := func(r *compact.Range) error {
		for ; next < len(cps) && cps[next].Size <= r.End(); next++ {
			cp := cps[next]
			if cp.Size < r.End() {
				continue // below from: compared with stored leaf hashes below
			}
			root, err := rootOf(r)
			if err != nil {
				return err
			}
			item := fmt.Sprintf("检查点（%d 条）", cp.Size)
			if bytes.Equal(root, cp.Root) {
				rep.pass(CheckTree, item, -1, "重新计算的根哈希与已签名的根哈希一致")
			} else {
				rep.fail(CheckTree, item, -1, fmt.Sprintf("根哈希不一致：前 %d 条中有条目被修改、删除或调换", cp.Size))
			}
		}
		return nil
	}
	for _, cp := range cps {
		if cp.Size < from {
			root, err := l.rootFromLeafHashes(ctx, cp.Size)
			if err != nil {
				return rep, err
			}
			if !bytes.Equal(root, cp.Root) {
				rep.fail(CheckTree, fmt.Sprintf("检查点（%d 条）", cp.Size), -1, "按已存叶哈希计算的根哈希与已签名的不一致")
			}
		}
	}
	if err := checkRoots(r); err != nil {
		return rep, err
	}
	bad := 0
	for pos := from; pos < size; {
		end := min(size, pos+verifyBatch)
		rows, err := l.storage.Entries(ctx, pos, end)
		if err != nil {
			return rep, err
		}
		for _, row := range rows {
			for ; pos < row.Index && pos < end; pos++ {
				rep.fail(CheckEntry, fmt.Sprintf("条目 %d", pos), int64(pos), "条目缺失（被删除）")
				bad++
			}
			if row.Index != pos {
				continue // duplicate or out-of-order row: reported as missing above
			}
			if reason := checkStoredEntry(row); reason != "" {
				rep.fail(CheckEntry, fmt.Sprintf("条目 %d", pos), int64(pos), reason)
				bad++
			}
			if err := r.Append(hasher.HashLeaf(row.Data), nil); err != nil {
				return rep, err
			}
			if err := checkRoots(r); err != nil {
				return rep, err
			}
			pos++
		}
		for ; pos < end; pos++ {
			rep.fail(CheckEntry, fmt.Sprintf("条目 %d", pos), int64(pos), "条目缺失（被删除）")
			bad++
		}
		if bad > 0 && r.End() != pos {
			break // the tree cannot be recomputed past a gap; the roots fail below
		}
	}
	for ; next < len(cps); next++ {
		rep.fail(CheckTree, fmt.Sprintf("检查点（%d 条）", cps[next].Size), -1,
			fmt.Sprintf("无法按存储的条目重建大小为 %d 的树（现有 %d 条）：条目被删除", cps[next].Size, r.End()))
	}
	if bad == 0 {
		rep.pass(CheckEntry, "条目", -1, fmt.Sprintf("已按条目原文重新计算第 %d 至 %d 条的叶哈希，序号连续", from, size))
	}
	rep.VerifiedSize = size
	return l.finishVerify(rep), nil
}

func (l *Log) finishVerify(rep Report) Report {
	if rep.OK() {
		l.broken = nil
		l.tail = nil // reload from the verified storage
		l.tree.reset()
	} else {
		l.broken = fmt.Errorf("%w（%d 项失败，详见校验报告）", ErrLogBroken, len(rep.Failures()))
	}
	return rep
}

// checkStoredEntry returns a Chinese reason when a stored row is not the
// canonical entry for its position, "" when it is.
func checkStoredEntry(row StoredEntry) string {
	if !bytes.Equal(hasher.HashLeaf(row.Data), row.LeafHash) {
		return "条目内容与存储的叶哈希不一致：条目被修改"
	}
	e, err := ParseEntry(row.Data)
	if err != nil {
		return "条目无法解析：" + err.Error()
	}
	if e.Index != row.Index {
		return fmt.Sprintf("条目记载的序号为 %d，却位于第 %d 位：条目被调换或删除", e.Index, row.Index)
	}
	return ""
}

// verifyCheckpointSignatures checks each stored checkpoint's signature, size
// and timestamp imprint, and returns the good ones for the root comparison.
func (l *Log) verifyCheckpointSignatures(rep *Report, stored []StoredCheckpoint, size uint64) []Checkpoint {
	var good []Checkpoint
	for _, s := range stored {
		item := fmt.Sprintf("检查点（%d 条）", s.Size)
		cp, err := l.openStored(s)
		if err != nil {
			rep.fail(CheckSignature, item, -1, "签名或格式无效："+err.Error())
			continue
		}
		rep.pass(CheckSignature, item, -1, "日志签名有效")
		if len(s.TSR) > 0 {
			if when, err := tsa.VerifyImprint(s.TSR, s.Note); err != nil {
				rep.fail(CheckTimestamp, item, -1, "时间戳与检查点不符："+err.Error())
			} else {
				rep.pass(CheckTimestamp, item, -1, "时间戳覆盖本检查点，时间 "+formatShanghai(when))
			}
		}
		if cp.Size > size {
			rep.fail(CheckTree, item, -1, fmt.Sprintf("检查点覆盖 %d 条，但日志只有 %d 条：条目被删除", cp.Size, size))
			continue
		}
		good = append(good, cp)
	}
	return good
}

func (l *Log) rootFromLeafHashes(ctx context.Context, size uint64) ([]byte, error) {
	r, err := l.tree.compactRange(ctx, size)
	if err != nil {
		return nil, err
	}
	return rootOf(r)
}
