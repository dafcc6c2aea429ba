package evidence

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/emmansun/gmsm/sm3"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// AddInput is what the lawyer says about a file being preserved.
type AddInput struct {
	FileName string // original name; only its base is kept
	Title    string // 证据名称; the file name when empty
	// MatterID links the item to a matter the actor may see; its label
	// then becomes the matter text. 0: MatterRef is free text (may be
	// empty) for evidence with no matter yet.
	MatterID       int64
	MatterRef      string
	SourceProvider string // who provided it
	SourceMethod   string // how it was collected
	CollectedAt    string // when it was collected (free text)
	SourceDevice   string
	Purpose        string // 证明目的
	FormedAt       string // 形成时间
	// AllowDuplicate preserves the file even when actor can already see
	// an item with the same content (the item then carries a warning).
	AllowDuplicate bool
}

// maxFieldRunes bounds each free-text field.
const maxFieldRunes = 500

// headBytes is how much of a file the originality checks look at.
const headBytes = 256 << 10

func (in *AddInput) normalize() error {
	in.FileName = filepath.Base(strings.ReplaceAll(strings.TrimSpace(in.FileName), "\\", "/"))
	if in.FileName == "" || in.FileName == "." || in.FileName == "/" {
		return fmt.Errorf("%w：缺少文件名", model.ErrInvalidInput)
	}
	fields := []struct {
		name  string
		value *string
	}{
		{"文件名", &in.FileName}, {"证据名称", &in.Title}, {"案件", &in.MatterRef}, {"来源", &in.SourceProvider},
		{"收集方式", &in.SourceMethod}, {"收集时间", &in.CollectedAt}, {"设备", &in.SourceDevice}, {"证明目的", &in.Purpose},
		{"形成时间", &in.FormedAt},
	}
	for _, f := range fields {
		*f.value = strings.TrimSpace(*f.value)
		if !store.ValidText(*f.value) {
			return fmt.Errorf("%w：“%s”含有不允许的字符（空字符 NUL 或无效的 UTF-8 编码），请删除后重试", model.ErrInvalidInput, f.name)
		}
		if utf8.RuneCountInString(*f.value) > maxFieldRunes {
			return fmt.Errorf("%w：“%s”过长（最多 %d 字）", model.ErrInvalidInput, f.name, maxFieldRunes)
		}
	}
	if in.Title == "" {
		in.Title = in.FileName
	}
	return nil
}

// Add preserves one file: it streams r once into the encrypted blob store
// while computing SHA-256 and (concurrently) SM3, runs the originality checks, and appends
// the log entry together with the evidence item and its audit record in one
// durable transaction (batched with concurrent adds). It returns the item
// with its log index, digests and warnings. Call Checkpoint after a batch.
//
// An empty file is refused (model.ErrInvalidInput). A file whose content actor
// can already see as evidence is not preserved again unless
// in.AllowDuplicate: Add returns a *DuplicateError naming the earlier item,
// whose Pending token lets ConfirmDuplicate preserve it without a second
// upload. An identical item actor may not see is not mentioned at all (see
// DuplicateError).
func (s *Service) Add(ctx context.Context, actor *auth.Principal, client auth.Client, in AddInput, r io.Reader) (*model.EvidenceItem, error) {
	if err := in.normalize(); err != nil {
		return nil, err
	}
	if err := s.resolveAddMatter(ctx, actor, client, &in); err != nil {
		return nil, err
	}
	if _, err := s.open(ctx); err != nil {
		return nil, err
	}
	br := bufio.NewReader(r)
	if _, err := br.Peek(1); errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w：文件 %s 是空文件（0 字节），不能作为证据保全", model.ErrInvalidInput, in.FileName)
	} else if err != nil {
		return nil, fmt.Errorf("读取文件 %s 失败：%w", in.FileName, err)
	}
	// One pass over the file: the blob store encrypts it and computes its
	// SHA-256 (the blob's name) while SM3 runs concurrently on another core
	// over the same buffers.
	smHash := newAsyncHashReader(br, sm3.New())
	defer smHash.Close()
	head := &headWriter{max: headBytes}
	ref, err := s.cfg.Blobs.PutFrom(ctx, smHash, head)
	if err != nil {
		return nil, fmt.Errorf("保存文件 %s 失败：%w", in.FileName, err)
	}
	p := &preparedAdd{in: in, sums: ledger.Digests{SHA256: ref.SHA256, SM3: hex.EncodeToString(smHash.Sum()), Size: ref.Size}}
	p.mediaType = sniffKind(head.buf, in.FileName)
	p.warnings = originalityWarnings(head.buf, p.mediaType, in)
	return s.commitAdd(ctx, actor, client, p)
}

// resolveAddMatter checks the matter of a new item: a linked matter must
// be visible to actor (its label becomes the matter text); free text may
// not look like a matter number.
func (s *Service) resolveAddMatter(ctx context.Context, actor *auth.Principal, client auth.Client, in *AddInput) error {
	if in.MatterID == 0 {
		return checkFreeMatter(in.MatterRef)
	}
	m, err := s.chooseMatter(ctx, actor, client, in.MatterID)
	if err != nil {
		return err
	}
	in.MatterRef = m.Ref()
	return nil
}

// preparedAdd is a file already in the blob store, ready to be logged.
type preparedAdd struct {
	in        AddInput
	sums      ledger.Digests
	mediaType string
	warnings  []string // originality warnings
}

// commitAdd logs a prepared file with its item and audit record in one
// transaction (batched with concurrent adds, see groupCommit).
func (s *Service) commitAdd(ctx context.Context, actor *auth.Principal, client auth.Client, p *preparedAdd) (*model.EvidenceItem, error) {
	req := &appendReq{
		input: ledger.EntryInput{Name: p.in.FileName, Matter: p.in.MatterRef, Digests: p.sums},
		add:   p, actor: actor, client: client,
	}
	if err := s.groupCommit(ctx, req); err != nil {
		var dup *DuplicateError
		if errors.As(err, &dup) {
			actorID, _ := actorName(actor)
			dup.Pending = s.keepPending(actorID, p)
			return nil, dup
		}
		return nil, fmt.Errorf("登记证据日志失败：%w", err)
	}
	return req.item, nil
}

// writeItem writes the evidence item of r and its audit record in tx, the
// transaction that writes entry, the log entry the ledger encoded for it.
// The duplicate check runs here, so that it sees items committed meanwhile
// by other processes. It runs again, afresh, when the append is retried.
func (s *Service) writeItem(ctx context.Context, tx *store.Tx, r *appendReq, entry ledger.Entry) error {
	in, p := r.add.in, r.add
	actorID, actorName := actorName(r.actor)
	item := &model.EvidenceItem{
		Title: in.Title, MatterID: in.MatterID, MatterRef: in.MatterRef, SourceProvider: in.SourceProvider, SourceMethod: in.SourceMethod,
		CollectedAt: in.CollectedAt, SourceDevice: in.SourceDevice, Purpose: in.Purpose, FormedAt: in.FormedAt,
		FileName: in.FileName, MediaType: p.mediaType, SHA256: p.sums.SHA256, SM3: p.sums.SM3, Size: p.sums.Size,
		AddedByID: actorID, AddedBy: actorName, Warnings: slices.Clone(p.warnings),
		LogIndex: int64(entry.Index), AddedAt: entry.AddedAt,
	}
	prev, found, err := s.visibleDuplicate(ctx, tx, r.actor, item.SHA256)
	if err != nil {
		return err
	}
	if found {
		if !in.AllowDuplicate {
			return &DuplicateError{FileName: in.FileName, Existing: prev}
		}
		item.Warnings = append(item.Warnings, duplicateWarning(prev))
	}
	if err := tx.CreateEvidenceItem(ctx, item); err != nil {
		return err
	}
	if err := tx.AppendAudit(ctx, auditEvent(r.actor, r.client, "evidence.add", item, "保全证据")); err != nil {
		return err
	}
	r.item = item
	return nil
}

// visibleDuplicate returns the earliest item with this SHA-256 that actor
// may see; found is false when there is none.
func (s *Service) visibleDuplicate(ctx context.Context, tx *store.Tx, actor *auth.Principal, sha string) (item *model.EvidenceItem, found bool, err error) {
	prev, err := tx.FindEvidence(ctx, store.EvidenceFilter{SHA256: sha})
	if err != nil {
		return nil, false, err
	}
	cache := matterCache{}
	for _, it := range prev {
		ok, err := s.visible(ctx, actor, it, cache)
		if err != nil {
			return nil, false, err
		}
		if ok {
			return it, true, nil
		}
	}
	return nil, false, nil
}

// headWriter keeps the first max bytes written to it.
type headWriter struct {
	buf []byte
	max int
}

func (h *headWriter) Write(p []byte) (int, error) {
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// AddSubmission records that an item's digests were submitted to a 存证
// platform or a notary.
func (s *Service) AddSubmission(ctx context.Context, actor *auth.Principal, client auth.Client, sub model.EvidenceSubmission) error {
	sub.Platform, sub.SubmittedOn, sub.Reference = strings.TrimSpace(sub.Platform), strings.TrimSpace(sub.SubmittedOn), strings.TrimSpace(sub.Reference)
	if sub.Platform == "" || sub.SubmittedOn == "" {
		return fmt.Errorf("%w：请填写平台或公证机构名称及提交日期", model.ErrInvalidInput)
	}
	if utf8.RuneCountInString(sub.Platform+sub.Reference+sub.SubmittedOn) > maxFieldRunes {
		return fmt.Errorf("%w：内容过长", model.ErrInvalidInput)
	}
	item, err := s.cfg.DB.EvidenceItem(ctx, sub.ItemID)
	if err != nil {
		return err
	}
	if err := s.authorize(ctx, actor, client, item, "记录提交存证"); err != nil {
		return err
	}
	_, sub.RecordedBy = actorName(actor)
	return s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddEvidenceSubmission(ctx, &sub); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditEvent(actor, client, "evidence.submission", item,
			fmt.Sprintf("记录提交存证：%s，%s，编号 %s", sub.Platform, sub.SubmittedOn, sub.Reference)))
	})
}

// Open returns the plaintext of an item's file actor may see and records
// the download; a refused download is audited too.
func (s *Service) Open(ctx context.Context, actor *auth.Principal, client auth.Client, id int64) (*model.EvidenceItem, io.ReadCloser, error) {
	item, err := s.cfg.DB.EvidenceItem(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.authorize(ctx, actor, client, item, "下载证据文件"); err != nil {
		return nil, nil, err
	}
	rc, err := s.cfg.Blobs.Open(item.SHA256)
	if err != nil {
		return nil, nil, err
	}
	if err := s.cfg.DB.Audit(ctx, auditEvent(actor, client, "evidence.download", item, "下载证据文件")); err != nil {
		rc.Close()
		return nil, nil, err
	}
	return item, rc, nil
}

// List returns the evidence items actor may see (not audited: the list
// shows digests and titles, not content).
func (s *Service) List(ctx context.Context, actor *auth.Principal, f store.EvidenceFilter) ([]*model.EvidenceItem, error) {
	items, err := s.cfg.DB.FindEvidence(ctx, f)
	if err != nil {
		return nil, err
	}
	return s.filterVisible(ctx, actor, items)
}

// filterVisible keeps the items actor may see, in order.
func (s *Service) filterVisible(ctx context.Context, actor *auth.Principal, items []*model.EvidenceItem) ([]*model.EvidenceItem, error) {
	if actor == nil {
		return items, nil
	}
	cache := matterCache{}
	out := items[:0]
	for _, it := range items {
		ok, err := s.visible(ctx, actor, it, cache)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, it)
		}
	}
	return out, nil
}
