package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/chatexport"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// sameFileCSV is a PyWxDump export whose rows all show the same picture.
func sameFileCSV(rows int) string {
	var b strings.Builder
	b.WriteString("id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d,80705462434712%05d,图片,0,wxid_w,wxid_w,,FileStorage\\Image\\big.dat,2024-03-01 10:%02d:00\n", i+1, i, i)
	}
	return b.String()
}

// countingFS counts the opens of each file and can hold readers at a gate.
type countingFS struct {
	fs.FS
	opens   map[string]*atomic.Int64
	reading chan struct{} // closed when a file read begins (if set)
	gate    chan struct{} // reads wait for it (if set)
}

func (c *countingFS) Open(name string) (fs.File, error) {
	f, err := c.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if n, ok := c.opens[name]; ok {
		n.Add(1)
	}
	return &gatedFile{File: f, c: c}, nil
}

type gatedFile struct {
	fs.File
	c       *countingFS
	started bool
}

func (g *gatedFile) Read(p []byte) (int, error) {
	if !g.started && g.c.gate != nil {
		g.started = true
		close(g.c.reading)
		<-g.c.gate
	}
	return g.File.Read(p)
}

func newTestService(t *testing.T, db *store.DB) *Service {
	t.Helper()
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &Service{DB: db, Blobs: blobs}
}

func importCSV(ctx context.Context, s *Service, csv string, media fs.FS, opts ImportOptions) (*ImportResult, error) {
	opts.FileName = "导出.csv"
	open := func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(csv)), nil }
	return s.importExport(ctx, open, media, opts, Actor{Name: "cli"})
}

// The case: one large file shown by 15 rows is read and encrypted
// once, and every row points at the one blob.
func TestImportStoresEachReferencedFileOnce(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newTestService(t, db)
		big := make([]byte, 2<<20)
		for i := range big {
			big[i] = byte(i * 7)
		}
		media := &countingFS{FS: fstest.MapFS{"FileStorage/Image/big.dat": {Data: big}},
			opens: map[string]*atomic.Int64{"FileStorage/Image/big.dat": {}}}
		res, err := importCSV(ctx, s, sameFileCSV(15), media, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if n := media.opens["FileStorage/Image/big.dat"].Load(); n != 1 || res.MediaStored != 1 || res.Import.New != 15 {
			t.Fatalf("file opened %d times, %d media stored, %d new", n, res.MediaStored, res.Import.New)
		}
		msgs, err := db.Messages(ctx, store.MessageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		blobs := map[string]int{}
		for _, m := range msgs {
			if m.Attachment != nil && m.Attachment.BlobID != "" && m.Attachment.Size == int64(len(big)) {
				blobs[m.Attachment.BlobID]++
			}
		}
		if len(blobs) != 1 || len(msgs) != 15 {
			t.Fatalf("%d messages, attachments by blob %v", len(msgs), blobs)
		}
	})
}

// What one import writes is bounded: over MaxBytes nothing is imported.
func TestImportBoundsBytesWritten(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newTestService(t, db)
		media := fstest.MapFS{"FileStorage/Image/big.dat": {Data: make([]byte, 2<<20)}}
		_, err := importCSV(ctx, s, sameFileCSV(3), media, ImportOptions{MaxBytes: 1 << 20})
		if !errors.Is(err, ErrImportTooLarge) || !strings.Contains(err.Error(), "FileStorage/Image/big.dat") {
			t.Fatalf("over the bound: %v", err)
		}
		if _, err := importCSV(ctx, s, sameFileCSV(3), nil, ImportOptions{MaxBytes: 100}); !errors.Is(err, ErrImportTooLarge) {
			t.Fatalf("export itself over the bound: %v", err)
		}
		if msgs, err := db.Messages(ctx, store.MessageFilter{}); err != nil || len(msgs) != 0 {
			t.Fatalf("messages after refused imports: %d, %v", len(msgs), err)
		}
		// Within the bound (the file counted once, not three times).
		if res, err := importCSV(ctx, s, sameFileCSV(3), media, ImportOptions{MaxBytes: 3 << 20}); err != nil || res.MediaStored != 1 {
			t.Fatalf("within the bound: %v", err)
		}
	})
}

// Media are stored before the transaction: while an import is still
// reading a large attachment, another user's write (a login) goes through.
func TestImportWritesBlobsBeforeTheTransaction(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newTestService(t, db)
		media := &countingFS{FS: fstest.MapFS{"FileStorage/Image/big.dat": {Data: make([]byte, 1<<20)}},
			reading: make(chan struct{}), gate: make(chan struct{})}
		done := make(chan error, 1)
		go func() {
			_, err := importCSV(ctx, s, sameFileCSV(5), media, ImportOptions{})
			done <- err
		}()
		<-media.reading
		wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		err := db.Update(wctx, func(tx *store.Tx) error {
			return tx.AppendAudit(wctx, &model.AuditEvent{Actor: "zhang", Action: "login.ok", Target: "user:2"})
		})
		close(media.gate)
		if err != nil {
			t.Fatalf("a write while an import reads its media: %v", err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

// Files of a failed import are left for the sweep, which removes only
// those no row refers to once they are older than the grace period.
func TestFailedImportBlobsAreSwept(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newTestService(t, db)
		kept := fstest.MapFS{"FileStorage/Image/big.dat": {Data: []byte("留下的图片")}}
		if _, err := importCSV(ctx, s, sameFileCSV(2), kept, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		// The export becomes unreadable for the transaction's pass, after
		// it and its media are stored.
		orphan := fstest.MapFS{"FileStorage/Image/big.dat": {Data: []byte("失败导入的图片")}}
		opens := 0
		open := func() (io.ReadCloser, error) {
			if opens++; opens == 3 {
				return nil, errors.New("设备已移除")
			}
			return io.NopCloser(strings.NewReader(sameFileCSV(2) + "\n")), nil
		}
		opts := ImportOptions{FileName: "失败.csv", Format: chatexport.FormatPyWxDumpCSV}
		if _, err := s.importExport(ctx, open, orphan, opts, Actor{Name: "cli"}); err == nil || opens != 3 {
			t.Fatalf("failing import: %v after %d opens", err, opens)
		}
		var before []string
		s.Blobs.Walk(func(sha string) error { before = append(before, sha); return nil })
		// Fresh orphans survive a sweep (an import may still be running).
		removed, err := s.Blobs.Sweep(ctx, time.Now().Add(-time.Hour), db.BlobReferences)
		if err != nil || len(removed) != 0 {
			t.Fatalf("sweep within the grace period removed %v, %v", removed, err)
		}
		// Later, only the unreferenced ones go.
		removed, err = s.Blobs.Sweep(ctx, time.Now().Add(time.Hour), db.BlobReferences)
		if err != nil {
			t.Fatal(err)
		}
		var after []string
		s.Blobs.Walk(func(sha string) error { after = append(after, sha); return nil })
		if len(removed) != 2 || len(after)+len(removed) != len(before) {
			t.Fatalf("before %d, removed %d, after %d", len(before), len(removed), len(after))
		}
		msgs, err := db.Messages(ctx, store.MessageFilter{})
		if err != nil || len(msgs) != 2 {
			t.Fatalf("messages: %d, %v", len(msgs), err)
		}
		for _, m := range msgs {
			if err := s.Blobs.Verify(m.Attachment.BlobID); err != nil {
				t.Fatalf("referenced attachment swept: %v", err)
			}
		}
		imports, err := db.ChatImports(ctx, msgs[0].ConversationID)
		if err != nil || len(imports) != 1 || !s.Blobs.Has(imports[0].SHA256) {
			t.Fatalf("the export of the import that succeeded: %v", err)
		}
	})
}

// idRefsCSV is a WeChatMsg export of rows pictures named only by their
// MD5 (as WeChatMsg writes them), all different.
func idRefsCSV(rows int) string {
	var b strings.Builder
	b.WriteString("localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d,7,3,0,0,%d,2,\"<msg><img md5=\"\"%032x\"\" length=\"\"10\"\"/></msg>\",,,张三,wxid_z\n", i+1, 1709258400+i, i)
	}
	return b.String()
}

// A reference made up from an id (md5:…) is no path: the media folder is
// not searched for it, even when a file of that name happens to lie there,
// and the message keeps the reference.
func TestImportDoesNotLookUpIDReferences(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newTestService(t, db)
		name := fmt.Sprintf("md5:%032x", 1)
		media := &countingFS{FS: fstest.MapFS{name: {Data: []byte("同名文件")}},
			opens: map[string]*atomic.Int64{name: {}}}
		res, err := importCSV(ctx, s, idRefsCSV(3), media, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if n := media.opens[name].Load(); n != 0 || res.MediaStored != 0 || res.Import.New != 3 {
			t.Fatalf("opened %d times, %d media stored, %d new", n, res.MediaStored, res.Import.New)
		}
		msgs, err := db.Messages(ctx, store.MessageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if a := m.Attachment; a == nil || !chatexport.IsIDRef(a.Ref) || a.BlobID != "" {
				t.Fatalf("attachment %+v", a)
			}
		}
	})
	for _, ref := range []string{"md5:0a", "clientmsgid:12", "xml:<msg/>"} {
		if key, ok := mediaKey(ref); ok {
			t.Errorf("mediaKey(%q) = %q", ref, key)
		}
	}
	for _, ref := range []string{`FileStorage\Image\a.dat`, "合同.pdf", "md5/a.dat"} {
		if _, ok := mediaKey(ref); !ok {
			t.Errorf("mediaKey(%q) refused a path", ref)
		}
	}
}

// The export is stored while the first pass looks for its media: the copy
// for the blob store may not finish before the pass has read the whole
// file (two readers on two cores), and the import still stores both.
func TestImportStoresExportDuringMediaPass(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newTestService(t, db)
		csv := sameFileCSV(4)
		passDone := make(chan struct{})
		opens := 0
		open := func() (io.ReadCloser, error) {
			switch opens++; opens {
			case 1: // the blob store's copy: waits for the media pass
				return &waitingReader{r: strings.NewReader(csv), wait: passDone}, nil
			case 2: // the media pass
				return &eofSignal{r: strings.NewReader(csv), done: passDone}, nil
			}
			return io.NopCloser(strings.NewReader(csv)), nil
		}
		media := fstest.MapFS{"FileStorage/Image/big.dat": {Data: []byte("图片")}}
		opts := ImportOptions{FileName: "导出.csv", Format: chatexport.FormatPyWxDumpCSV}
		done := make(chan error, 1)
		var res *ImportResult
		go func() {
			var err error
			res, err = s.importExport(ctx, open, media, opts, Actor{Name: "cli"})
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the export's copy waited for the media pass, which waited for the copy")
		}
		if res.MediaStored != 1 || res.Import.New != 4 || !s.Blobs.Has(res.Import.SHA256) || res.Import.Size != int64(len(csv)) {
			t.Fatalf("result %+v, %d media", res.Import, res.MediaStored)
		}
	})
}

// A malformed export fails with its parse error, whatever became of the
// copy of it that was being stored at the same time, and adds nothing.
func TestMalformedExportStopsTheCopy(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newTestService(t, db)
		bad := sameFileCSV(3) + "4,1,图片,0,wxid_w,wxid_w,,x.dat,昨天下午\n"
		media := fstest.MapFS{"FileStorage/Image/big.dat": {Data: []byte("图片")}}
		_, err := importCSV(ctx, s, bad, media, ImportOptions{Format: chatexport.FormatPyWxDumpCSV})
		var pe *chatexport.ParseError
		if !errors.As(err, &pe) || pe.Line != 5 {
			t.Fatalf("malformed export: %v", err)
		}
		if msgs, err := db.Messages(ctx, store.MessageFilter{}); err != nil || len(msgs) != 0 {
			t.Fatalf("messages after a refused import: %d, %v", len(msgs), err)
		}
		// An export over the bound is refused before any media is stored.
		n := 0
		s.Blobs.Walk(func(string) error { n++; return nil })
		if _, err := importCSV(ctx, s, sameFileCSV(3), media, ImportOptions{MaxBytes: 100}); !errors.Is(err, ErrImportTooLarge) {
			t.Fatalf("export over the bound with media: %v", err)
		}
		m := 0
		s.Blobs.Walk(func(string) error { m++; return nil })
		if m != n {
			t.Fatalf("blobs %d → %d after an export over the bound", n, m)
		}
	})
}

// waitingReader reads nothing until wait is closed.
type waitingReader struct {
	r    io.Reader
	wait chan struct{}
}

func (w *waitingReader) Read(p []byte) (int, error) { <-w.wait; return w.r.Read(p) }
func (w *waitingReader) Close() error               { return nil }

// eofSignal closes done when its reader reaches the end.
type eofSignal struct {
	r    io.Reader
	done chan struct{}
}

func (e *eofSignal) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF && e.done != nil {
		close(e.done)
		e.done = nil
	}
	return n, err
}
func (e *eofSignal) Close() error { return nil }

// A source of exactly the budget is stored whole; one byte more and the
// blob store keeps nothing of it (no truncated copy to sweep later).
func TestBudgetReaderStoresNothingOverTheBudget(t *testing.T) {
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	data := strings.Repeat("证据", 50_000) // 300,000 bytes
	ref, err := blobs.Put(ctx, &budgetReader{r: strings.NewReader(data), left: int64(len(data))})
	if err != nil || ref.Size != int64(len(data)) {
		t.Fatalf("exactly the budget: %+v, %v", ref, err)
	}
	for _, left := range []int64{0, 1, int64(len(data)) - 1} {
		before := 0
		blobs.Walk(func(string) error { before++; return nil })
		_, err := blobs.Put(ctx, &budgetReader{r: strings.NewReader(data + "!"), left: left})
		if !errors.Is(err, errOverBudget) {
			t.Fatalf("budget %d: %v", left, err)
		}
		after := 0
		blobs.Walk(func(string) error { after++; return nil })
		if after != before {
			t.Fatalf("budget %d: %d blobs → %d", left, before, after)
		}
	}
	if b, err := io.ReadAll(&budgetReader{r: strings.NewReader(""), left: 0}); err != nil || len(b) != 0 {
		t.Fatalf("empty source, no budget: %q, %v", b, err)
	}
}
