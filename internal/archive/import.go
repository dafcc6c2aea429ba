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
}

// ImportResult is what an import did.
type ImportResult struct {
	Import        model.ChatImport
	Format        chatexport.Format
	Conversations int
	Kinds         map[model.MessageKind]int
	Skips         []chatexport.Skip // reasons for skipped parts (the first 1000)
	MediaStored   int               // referenced files found and put in the blob store
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
		return nil, fmt.Errorf("无法打开 %s：%v", path, err)
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
		return "", fmt.Errorf("%s：无法识别的聊天记录格式，请用 --format 指定（支持：%s）", name, formatList())
	}
	return format, nil
}

// importExport imports the export that open reads (twice: into the blob
// store, then through the parser), with referenced media looked up in
// media (nil: none).
func (s *Service) importExport(ctx context.Context, open func() (io.ReadCloser, error), media fs.FS, opts ImportOptions, actor Actor) (*ImportResult, error) {
	name := opts.FileName
	format := opts.Format
	if format == "" {
		var err error
		if format, err = detectFormat(open, name); err != nil {
			return nil, err
		}
	}
	// Keep the export itself: its SHA-256 goes on the court printout.
	f, err := open()
	if err != nil {
		return nil, err
	}
	ref, err := s.Blobs.Put(ctx, bufio.NewReaderSize(f, 256<<10))
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("保存原始文件失败：%v", err)
	}
	if f, err = open(); err != nil {
		return nil, err
	}
	defer f.Close()
	res := &ImportResult{Format: format}
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
		var convs []*model.Conversation
		stats, err := chatexport.Parse(ctx, src, name, format, opts.Parse, func(conv *model.Conversation, msg *model.Message) error {
			if conv.ID == 0 {
				existed, err := tx.EnsureConversation(ctx, conv, origin)
				if err != nil {
					return err
				}
				if existed {
					if err := s.mayContinue(ctx, opts.Viewer, conv.ID); err != nil {
						return err
					}
				}
				convs = append(convs, conv)
			}
			msg.ConversationID = conv.ID
			if a := msg.Attachment; a != nil && a.BlobID == "" {
				if ok, err := s.storeMedia(ctx, media, a); err != nil {
					return err
				} else if ok {
					res.MediaStored++
				}
			}
			isNew, err := w.Insert(ctx, msg)
			if err != nil {
				return err
			}
			if isNew {
				imp.New++
			} else {
				imp.Duplicate++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := w.Flush(ctx); err != nil {
			return err
		}
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

// storeMedia puts a referenced file into the blob store when it is a
// relative path inside media that exists; URLs and missing files stay
// references (never dropped).
func (s *Service) storeMedia(ctx context.Context, media fs.FS, a *model.Attachment) (bool, error) {
	ref := strings.ReplaceAll(a.Ref, `\`, "/")
	if media == nil || ref == "" || strings.Contains(ref, "://") || path.IsAbs(ref) || !filepath.IsLocal(filepath.FromSlash(ref)) {
		return false, nil
	}
	ref = path.Clean(ref)
	if !fs.ValidPath(ref) {
		return false, nil
	}
	f, err := media.Open(ref)
	if err != nil {
		return false, nil
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false, nil
	}
	r, err := s.Blobs.Put(ctx, f)
	if err != nil {
		return false, fmt.Errorf("保存附件 %s 失败：%v", a.Ref, err)
	}
	a.BlobID, a.Size = r.SHA256, r.Size
	return true, nil
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
