package archive_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/chatexport"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func clock() time.Time { return time.Date(2024, 4, 2, 1, 0, 0, 0, time.UTC) }

func newService(t *testing.T, db *store.DB) *archive.Service {
	t.Helper()
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &archive.Service{DB: db, Blobs: blobs}
}

var cli = archive.Actor{Name: "cli"}

func fixture(name string) string { return filepath.Join("..", "chatexport", "testdata", name) }

func TestImportEveryFormatTwice(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		files := map[string]chatexport.Format{
			"wechatmsg.csv": chatexport.FormatWeChatMsgCSV, "wechatmsg.txt": chatexport.FormatWeChatMsgTXT,
			"chatlog.json": chatexport.FormatChatlogJSON, "chatlog.csv": chatexport.FormatChatlogCSV,
			"pywxdump.csv": chatexport.FormatPyWxDumpCSV, "wecom.jsonl": chatexport.FormatWeComJSON,
			"forwarded.txt": chatexport.FormatForwardedText,
		}
		total := 0
		for name, format := range files {
			res, err := s.ImportFile(ctx, fixture(name), archive.ImportOptions{}, cli)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if res.Format != format || res.Import.New == 0 || res.Import.Duplicate != 0 || len(res.Import.SHA256) != 64 {
				t.Errorf("%s: first import %+v", name, res.Import)
			}
			total += res.Import.New
			again, err := s.ImportFile(ctx, fixture(name), archive.ImportOptions{}, cli)
			if err != nil {
				t.Fatal(err)
			}
			if again.Import.New != 0 || again.Import.Duplicate != res.Import.New {
				t.Errorf("%s: re-import added %d, duplicates %d (first import had %d)", name, again.Import.New, again.Import.Duplicate, res.Import.New)
			}
		}
		msgs, err := db.Messages(ctx, store.MessageFilter{})
		if err != nil || len(msgs) != total {
			t.Fatalf("stored %d messages, imported %d (%v)", len(msgs), total, err)
		}
		convs, err := db.Conversations(ctx)
		if err != nil || len(convs) < 7 {
			t.Fatalf("conversations: %d %v", len(convs), err)
		}
		for _, c := range convs {
			if len(c.Participants) == 0 {
				t.Errorf("conversation %q without participants", c.Title)
			}
		}
		// 1- and 2-character queries over the imported fixtures.
		for _, q := range []string{"合同", "押金"} {
			res, err := s.Search(ctx, store.SearchQuery{Terms: archive.ParseQuery(q)}, archive.SortNewest)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) == 0 {
				t.Errorf("%s: no results", q)
			}
			for i, r := range res {
				if !strings.Contains(r.Message.Text, q) {
					t.Errorf("%s: result without the term: %q", q, r.Message.Text)
				}
				if i > 0 && r.Message.SentAt.After(res[i-1].Message.SentAt) {
					t.Errorf("%s: not newest first", q)
				}
				hit := false
				for _, f := range r.Fragments {
					hit = hit || (f.Hit && f.Text == q)
				}
				if !hit {
					t.Errorf("%s: no highlight in %+v", q, r.Fragments)
				}
			}
		}
	})
}

func TestImportOverlapAndRejectMalformed(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		dir := t.TempDir()
		full, err := os.ReadFile(fixture("wechatmsg.csv"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfter(string(full), "\n")
		// An earlier export: the header and the first rows (whole records).
		part := filepath.Join(dir, "part.csv")
		os.WriteFile(part, []byte(strings.Join(lines[:3], "")), 0o600)
		first, err := s.ImportFile(ctx, part, archive.ImportOptions{ClientID: 3}, cli)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.ImportFile(ctx, fixture("wechatmsg.csv"), archive.ImportOptions{}, cli)
		if err != nil {
			t.Fatal(err)
		}
		if res.Import.Duplicate != first.Import.New || first.Import.New == 0 || res.Import.New == 0 {
			t.Fatalf("overlap: first %+v then %+v", first.Import, res.Import)
		}
		before, _ := db.Messages(ctx, store.MessageFilter{})
		// A malformed file is rejected whole with file, line and reason.
		bad := filepath.Join(dir, "bad.csv")
		body := string(full) + "99,7,1,0,0,notatime,2,新消息不应入库,2024-03-09 10:00:00,,王五,wxid_wangwu123\r\n"
		os.WriteFile(bad, []byte(body), 0o600)
		_, err = s.ImportFile(ctx, bad, archive.ImportOptions{}, cli)
		var pe *chatexport.ParseError
		if !errors.As(err, &pe) || pe.File != "bad.csv" || pe.Line != strings.Count(string(full), "\n")+1 {
			t.Fatalf("malformed file: %v", err)
		}
		after, _ := db.Messages(ctx, store.MessageFilter{})
		if len(after) != len(before) {
			t.Fatalf("a rejected file changed the messages: %d -> %d", len(before), len(after))
		}
		c, err := db.ConversationByID(ctx, after[0].ConversationID)
		if err != nil || c.ClientID != 3 {
			t.Fatalf("client assignment lost: %v %+v", err, c)
		}
		srcs, _ := db.ChatImports(ctx, c.ID)
		if len(srcs) != 2 {
			t.Fatalf("sources: %d", len(srcs))
		}
	})
}

func TestHighlight(t *testing.T) {
	frags := archive.Highlight("关于Contract的违约金，违约责任", []string{"违约", "contract"}, 30)
	var b strings.Builder
	for _, f := range frags {
		if f.Hit {
			b.WriteString("[" + f.Text + "]")
		} else {
			b.WriteString(f.Text)
		}
	}
	if got := b.String(); got != "关于[Contract]的[违约]金，[违约]责任" {
		t.Fatalf("highlight: %s", got)
	}
	long := strings.Repeat("前", 100) + "合同" + strings.Repeat("后", 100)
	frags = archive.Highlight(long, []string{"合同"}, 5)
	if len(frags) != 5 || frags[0].Text != "…" || frags[1].Text != "前前前前前" || !frags[2].Hit || frags[4].Text != "…" {
		t.Fatalf("context: %+v", frags)
	}
	if got := archive.ParseQuery(`合同  "违约 金" “押 金”`); strings.Join(got, "|") != "合同|违约 金|押 金" {
		t.Fatalf("ParseQuery: %q", got)
	}
}

// A ZIP of an export folder: the export is imported and the media it
// refers to go to the blob store; the source names the file in the ZIP.
func TestImportZipKeepsMedia(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, body := range map[string]string{
			"王五/pywxdump.csv": mustRead(t, fixture("pywxdump.csv")),
			"王五/FileStorage/MsgAttach/abc/Image/2024-03/9e107d.dat": "图片的字节",
		} {
			w, _ := zw.Create(name)
			w.Write([]byte(body))
		}
		zw.Close()
		path := filepath.Join(t.TempDir(), "upload.zip")
		os.WriteFile(path, buf.Bytes(), 0o600)
		if !archive.IsZip(path) || archive.IsZip(fixture("pywxdump.csv")) {
			t.Fatal("IsZip")
		}
		res, err := s.ImportZip(ctx, path, archive.ImportOptions{FileName: "王五.zip"}, cli)
		if err != nil {
			t.Fatal(err)
		}
		if res.MediaStored != 1 || res.Import.New == 0 || res.Import.FileName != "王五.zip/王五/pywxdump.csv" {
			t.Fatalf("result %+v, media %d", res.Import, res.MediaStored)
		}
		msgs, err := db.Messages(ctx, store.MessageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		stored := 0
		for _, m := range msgs {
			if a := m.Attachment; a != nil && a.BlobID != "" {
				stored++
				rc, err := s.Blobs.Open(a.BlobID)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(rc)
				rc.Close()
				if string(got) != "图片的字节" {
					t.Fatalf("blob %q", got)
				}
			}
		}
		if stored != 1 {
			t.Fatalf("%d attachments in the blob store", stored)
		}
		bad := filepath.Join(t.TempDir(), "bad.zip")
		buf.Reset()
		zw = zip.NewWriter(&buf)
		w, _ := zw.Create("../pywxdump.csv")
		w.Write([]byte(mustRead(t, fixture("pywxdump.csv"))))
		zw.Close()
		os.WriteFile(bad, buf.Bytes(), 0o600)
		if _, err := s.ImportZip(ctx, bad, archive.ImportOptions{}, cli); !errors.Is(err, archive.ErrBadZip) {
			t.Fatalf("traversal: %v", err)
		}
	})
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
