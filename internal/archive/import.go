package archive

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/chatexport"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Service runs the chat archive workflows.
type Service struct {
	DB    *store.DB
	Blobs *blob.Store
	// SearchBudget is about how many messages one SearchPage covers
	// (0: store.DefaultSearchBudget); tests make it small.
	SearchBudget int
}

// Actor says who runs a workflow, for the audit log.
type Actor struct {
	ID   int64  // 0 for the system or the command line
	Name string // user name, model.ActorCLI or model.ActorSystem
	IP   string
}

// ImportOptions tune one import.
type ImportOptions struct {
	Format   chatexport.Format // empty: detected from the file's first bytes
	ClientID int64
	MatterID int64
	Parse    chatexport.Options
	// FileName is the name shown in errors and records (default: the
	// path's base name, e.g. for uploads saved under a temporary name).
	FileName string
	// MediaDir is where files the export refers to by relative path are
	// looked for (default: the export's folder; "-": nowhere, as for a
	// lone uploaded file). Found files go to the blob store; missing ones
	// stay references.
	MediaDir string
	// Progress, when set, is called with the bytes parsed so far.
	Progress func(done int64)
	// Viewer is the signed-in user importing (nil: the local command line,
	// trusted). A conversation the export continues must be one the viewer
	// may see, or the import is refused.
	Viewer *auth.Principal
	// MaxBytes bounds what one import writes to the blob store: the export
	// and the media it refers to, each stored once (0: DefaultMaxImportBytes).
	MaxBytes int64
}

// DefaultMaxImportBytes bounds the bytes one import writes to the blob
// store; it matches what a ZIP may hold (DefaultZipLimits).
const DefaultMaxImportBytes int64 = 8 << 30

// ErrImportTooLarge: the export and the media it refers to exceed the
// import's MaxBytes.
var ErrImportTooLarge = errors.New("导入的文件过大")

// ImportResult is what an import did.
type ImportResult struct {
	Import        model.ChatImport
	Format        chatexport.Format
	Conversations int
	Kinds         map[model.MessageKind]int
	Skips         []chatexport.Skip // reasons for skipped parts (the first 1000)
	MediaStored   int               // distinct referenced files found and put in the blob store
}

// headSize is how much of a file Detect sees.
const headSize = 64 << 10

// ImportFile imports one export file in one transaction: a malformed file
// (a *chatexport.ParseError naming file, line and reason) adds nothing;
// messages already stored (same stable key) are counted as duplicates.
func (s *Service) ImportFile(ctx context.Context, path string, opts ImportOptions, actor Actor) (*ImportResult, error) {
	if opts.FileName == "" {
		opts.FileName = filepath.Base(path)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("无法打开 %s：%w", path, err)
	}
	var media fs.FS
	switch opts.MediaDir {
	case "":
		media = os.DirFS(filepath.Dir(path))
	case "-":
	default:
		media = os.DirFS(opts.MediaDir)
	}
	open := func() (io.ReadCloser, error) { return os.Open(path) }
	return s.importExport(ctx, open, media, opts, actor)
}

// detectFormat reads the head of an export and names its format.
func detectFormat(open func() (io.ReadCloser, error), name string) (chatexport.Format, error) {
	f, err := open()
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, headSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", err
	}
	format, err := chatexport.Detect(head[:n])
	if err != nil {
		return "", fmt.Errorf("%s：%w（可指定的格式：%s）", name, err, formatList())
	}
	return format, nil
}

// importExport imports the export that open reads, with referenced media
// looked up in media (nil: none). Everything that goes to the blob store
// is written before the database transaction, which then only inserts
// rows: the export itself, stored while a first pass through the parser
// collects the files its messages refer to (two readers of the file on two
// cores), then each referenced file once, however many messages refer to
// it, within opts.MaxBytes in all. The transaction is the second pass.
// Blobs of an import that fails are left to blob.Store.Sweep.
func (s *Service) importExport(ctx context.Context, open func() (io.ReadCloser, error), media fs.FS, opts ImportOptions, actor Actor) (*ImportResult, error) {
	name := opts.FileName
	format := opts.Format
	if format == "" {
		var err error
		if format, err = detectFormat(open, name); err != nil {
			return nil, err
		}
	}
	budget := opts.MaxBytes
	if budget <= 0 {
		budget = DefaultMaxImportBytes
	}
	// Keep the export itself: its SHA-256 goes on the court printout.
	putCtx, stopPut := context.WithCancel(ctx)
	defer stopPut()
	put, err := s.storeExport(putCtx, open, budget)
	if err != nil {
		return nil, err
	}
	refs, err := referencedMedia(ctx, open, media, format, opts)
	if err != nil {
		stopPut() // a malformed export is not stored
		put()
		return nil, err
	}
	ref, err := put()
	if errors.Is(err, errOverBudget) {
		return nil, fmt.Errorf("%w：%s 超过 %d MB", ErrImportTooLarge, name, budget>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("保存原始文件失败：%w", err)
	}
	stored, err := s.storeMedia(ctx, media, refs, budget-ref.Size)
	if err != nil {
		return nil, err
	}
	f, err := open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res := &ImportResult{Format: format, MediaStored: len(stored)}
	res.Import = model.ChatImport{FileName: name, Format: string(format), SHA256: ref.SHA256, Size: ref.Size,
		ClientID: opts.ClientID, MatterID: opts.MatterID, ImportedBy: actor.Name, SelfWxID: opts.Parse.SelfWxID}
	origin := store.ConversationOrigin{Scope: conversationScope(opts.MatterID, opts.Parse.SelfWxID, actor.Name),
		ClientID: opts.ClientID, MatterID: opts.MatterID}
	var src io.Reader = bufio.NewReaderSize(f, 256<<10)
	if opts.Progress != nil {
		src = &progressReader{r: src, fn: opts.Progress}
	}
	err = s.DB.Update(ctx, func(tx *store.Tx) error {
		imp := &res.Import
		if err := tx.CreateChatImport(ctx, imp); err != nil {
			return err
		}
		origin.ImportID = imp.ID
		w, err := tx.NewMessageWriter(ctx, imp.ID)
		if err != nil {
			return err
		}
		defer w.Close()
		messages, finish := s.parseAhead(ctx, src, name, format, opts.Parse, stored)
		defer finish()
		var convs []*model.Conversation
		ids := map[*model.Conversation]int64{}
		for batch := range messages {
			for _, item := range batch {
				if item.first != nil {
					existed, err := tx.EnsureConversation(ctx, item.first, origin)
					if err != nil {
						return err
					}
					if existed {
						if err := s.mayContinue(ctx, opts.Viewer, item.first.ID); err != nil {
							return err
						}
					}
					ids[item.conv] = item.first.ID
					convs = append(convs, item.conv)
				}
				item.msg.Msg.ConversationID = ids[item.conv]
				if err := w.AddIndexed(ctx, item.msg); err != nil {
					return err
				}
			}
		}
		stats, err := finish()
		if err != nil {
			return err
		}
		for _, conv := range convs { // the parser has finished with them
			conv.ID = ids[conv]
		}
		if err := w.Flush(ctx); err != nil {
			return err
		}
		imp.New, imp.Duplicate = w.New, w.Duplicate
		for _, conv := range convs {
			if err := tx.SaveConversation(ctx, conv); err != nil {
				return err
			}
		}
		imp.Skipped = stats.SkippedTotal
		skips := make([]model.SkippedRecord, len(stats.Skipped))
		for i, sk := range stats.Skipped {
			skips[i] = model.SkippedRecord{Record: sk.Record, Line: sk.Line, Reason: sk.Reason}
		}
		if err := tx.AddChatImportSkips(ctx, imp.ID, skips); err != nil {
			return err
		}
		res.Kinds, res.Skips, res.Conversations = stats.Kinds, stats.Skipped, len(convs)
		if err := tx.FinishChatImport(ctx, imp); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: actor.ID, Actor: actor.Name, IP: actor.IP,
			Action: "chat.import", Target: fmt.Sprintf("chat_import:%d", imp.ID),
			Detail: fmt.Sprintf("%s（%s，SHA-256 %s）：新增 %d，重复 %d，跳过 %d", name, format, ref.SHA256,
				imp.New, imp.Duplicate, imp.Skipped)})
	})
	var denied *continueDenied
	if errors.As(err, &denied) {
		if aerr := s.deny(ctx, actor, fmt.Sprintf("conversation:%d", denied.conversationID), "导入到无权查看的会话"); !errors.Is(aerr, auth.ErrForbidden) {
			return nil, aerr
		}
		return nil, fmt.Errorf("%w：%s 中的会话已由他人归档在您无权查看的位置，未导入任何消息；请联系管理员", model.ErrInvalidInput, name)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// conversationScope qualifies the conversation keys of one import (see
// migration 00011): the matter it goes into, the exporting account when the
// importer named it, and the importer when no account was named or no
// matter chosen. Two exports land in one conversation only when they agree
// on all of it, so an import never reaches a conversation of another matter
// or of another user's unlinked chats.
func conversationScope(matterID int64, selfWxID, importer string) string {
	var parts []string
	if matterID != 0 {
		parts = append(parts, "m:"+strconv.FormatInt(matterID, 10))
	}
	if selfWxID != "" {
		parts = append(parts, "a:"+selfWxID)
	}
	if selfWxID == "" || matterID == 0 {
		parts = append(parts, "u:"+importer)
	}
	return strings.Join(parts, "/")
}

// continueDenied stops an import that would add to a conversation its
// importer may not see.
type continueDenied struct{ conversationID int64 }

func (e *continueDenied) Error() string {
	return fmt.Sprintf("conversation %d is not visible to the importer", e.conversationID)
}

// mayContinue checks that viewer may see the existing conversation id that
// the export continues. It reads committed state (the conversation existed
// before this import's transaction began).
func (s *Service) mayContinue(ctx context.Context, viewer *auth.Principal, id int64) error {
	if viewer == nil {
		return nil
	}
	ok, err := s.mayView(ctx, viewer, id)
	if err != nil {
		return err
	}
	if !ok {
		return &continueDenied{conversationID: id}
	}
	return nil
}

func formatList() string {
	var names []string
	for _, f := range chatexport.Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, "、")
}

// mediaKey is the path inside the media folder that an attachment
// reference names, when it is a relative path that stays inside it; URLs,
// the ids the parsers make references of (md5:…, a huge export holds
// hundreds of thousands) and other references are not looked up (and
// never dropped).
func mediaKey(ref string) (string, bool) {
	if chatexport.IsIDRef(ref) {
		return "", false
	}
	ref = strings.ReplaceAll(ref, `\`, "/")
	if ref == "" || strings.Contains(ref, "://") || path.IsAbs(ref) || !filepath.IsLocal(filepath.FromSlash(ref)) {
		return "", false
	}
	ref = path.Clean(ref)
	return ref, fs.ValidPath(ref)
}

// storeExport starts storing the export in the blob store, reading at
// most budget bytes (or failing with errOverBudget, storing nothing), on
// its own goroutine. The returned func waits for it; call it on every
// path (cancelling ctx stops the copy).
func (s *Service) storeExport(ctx context.Context, open func() (io.ReadCloser, error), budget int64) (func() (blob.Ref, error), error) {
	f, err := open()
	if err != nil {
		return nil, err
	}
	type result struct {
		ref blob.Ref
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer f.Close()
		ref, err := s.Blobs.Put(ctx, &budgetReader{r: bufio.NewReaderSize(f, 256<<10), left: budget})
		done <- result{ref, err}
	}()
	return func() (blob.Ref, error) {
		r := <-done
		return r.ref, r.err
	}, nil
}

// referencedMedia is the first pass over the export: it lists, once each
// and in file order, the files in media its messages refer to (nil media:
// none).
func referencedMedia(ctx context.Context, open func() (io.ReadCloser, error), media fs.FS,
	format chatexport.Format, opts ImportOptions) ([]string, error) {
	if media == nil {
		return nil, nil
	}
	f, err := open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	seen := map[string]bool{}
	var refs []string
	parse := opts.Parse
	parse.RefsOnly = true
	_, err = chatexport.Parse(ctx, bufio.NewReaderSize(f, 256<<10), opts.FileName, format, parse, func(_ *model.Conversation, msg *model.Message) error {
		if a := msg.Attachment; a != nil && a.BlobID == "" {
			if key, ok := mediaKey(a.Ref); ok && !seen[key] {
				seen[key] = true
				refs = append(refs, key)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return refs, nil
}

// storeMedia puts each of the files refs names that exists in media into
// the blob store, in at most budget bytes in all. It returns the stored
// files by mediaKey.
func (s *Service) storeMedia(ctx context.Context, media fs.FS, refs []string, budget int64) (map[string]blob.Ref, error) {
	stored := map[string]blob.Ref{}
	for _, key := range refs {
		ref, ok, err := s.storeMediaFile(ctx, media, key, budget)
		if err != nil {
			return nil, err
		}
		if ok {
			stored[key] = ref
			budget -= ref.Size
		}
	}
	return stored, nil
}

// storeMediaFile puts media's file key into the blob store if it is a
// regular file of at most budget bytes; a missing file is no error.
func (s *Service) storeMediaFile(ctx context.Context, media fs.FS, key string, budget int64) (blob.Ref, bool, error) {
	f, err := media.Open(key)
	if err != nil {
		return blob.Ref{}, false, nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return blob.Ref{}, false, nil
	}
	tooLarge := fmt.Errorf("%w：聊天记录与其引用的附件合计超过上限（附件 %s 处已超出 %d MB 的剩余额度）", ErrImportTooLarge, key, budget>>20)
	if st.Size() > budget {
		return blob.Ref{}, false, tooLarge
	}
	// The limit also holds if the file grows while it is read.
	r, err := s.Blobs.Put(ctx, &budgetReader{r: f, left: budget})
	if errors.Is(err, errOverBudget) {
		return blob.Ref{}, false, tooLarge
	}
	if err != nil {
		return blob.Ref{}, false, fmt.Errorf("保存附件 %s 失败：%w", key, err)
	}
	return r, true, nil
}

// errOverBudget: a budgetReader's source holds more than its budget.
var errOverBudget = errors.New("over the import's byte budget")

// budgetReader reads at most left bytes of r and fails with errOverBudget
// if r holds more, so that blob.Store.Put, rather than store a truncated
// copy, stores nothing.
type budgetReader struct {
	r    io.Reader
	left int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells whether the source ends here.
		var one [1]byte
		n, err := io.ReadFull(b.r, one[:])
		if n > 0 {
			return 0, errOverBudget
		}
		return 0, err // io.EOF at the end
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

type progressReader struct {
	r    io.Reader
	n    int64
	fn   func(int64)
	next int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.n >= p.next || err != nil {
		p.fn(p.n)
		p.next = p.n + 1<<20
	}
	return n, err
}
