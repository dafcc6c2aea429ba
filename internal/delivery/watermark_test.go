package delivery

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// twoPagePDF makes a real PDF (two pages, each an image) with pdfcpu.
func twoPagePDF(t *testing.T) []byte {
	t.Helper()
	var pngs []io.Reader
	for i := range 2 {
		img := image.NewRGBA(image.Rect(0, 0, 300, 400))
		for x := range 300 {
			img.Set(x, 50+i*10, color.Black)
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		pngs = append(pngs, &b)
	}
	var out bytes.Buffer
	if err := api.ImportImages(nil, &out, pngs, nil, nil); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// pdfText extracts the text of a PDF with poppler's pdftotext, an outside
// reader: what it finds is what a recipient's viewer shows.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is missing; .ci/run installs it")
		}
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-raw", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return string(out)
}

func TestWatermarkCarriesTheRecipientsName(t *testing.T) {
	if _, err := os.Stat(cjkFontCandidates[0]); err != nil && os.Getenv("CI") != "true" {
		t.Skip("no Chinese font (fonts-droid-fallback) on this machine")
	}
	clk := &clock{t: time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, t.TempDir(), clk)
		pdfMu.Lock()
		err := f.svc.setupPDF()
		pdfMu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		original := twoPagePDF(t)
		if text := pdfText(t, original); strings.Contains(text, "张") {
			t.Fatalf("the original already names the recipient: %q", text)
		}
		doc := f.upload(t, model.ClassOrdinary, "意见书.pdf", original)
		sent, err := f.svc.Send(ctx, f.lead, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "张三", Watermark: true})
		if err != nil {
			t.Fatal(err)
		}
		d := sent.Delivery
		if !d.Watermark || d.FileSHA256 == doc.SHA256 {
			t.Fatalf("no watermarked copy: %+v", d)
		}
		_, rc, err := f.svc.Download(ctx, sent.Token, visitor, "")
		if err != nil {
			t.Fatal(err)
		}
		marked, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		// pdftotext -raw reads the rotated watermark glyph by glyph in
		// content order (one per line): joined, each page says it.
		text := pdfText(t, marked)
		if compact := strings.Join(strings.Fields(text), ""); strings.Count(compact, "仅供张三查阅2026-12-07") != 2 {
			t.Fatalf("the recipient's name is not on both pages: %q", text)
		}
		// The document itself is unchanged; another recipient gets their own copy.
		if pdfText(t, original) == text {
			t.Fatal("watermark changed nothing")
		}
		other, err := f.svc.Send(ctx, f.lead, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "李四", Watermark: true})
		if err != nil || other.Delivery.FileSHA256 == d.FileSHA256 {
			t.Fatalf("second recipient: %+v, %v", other, err)
		}
		// Not a PDF: refused with the reason.
		txt := f.upload(t, model.ClassOrdinary, "说明.txt", []byte("说明"))
		if _, err := f.svc.Send(ctx, f.lead, visitor, SendInput{MatterID: f.matter.ID, DocumentID: txt.ID, Recipient: "张三",
			Watermark: true}); !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "PDF") {
			t.Fatalf("watermark on a text file: %v", err)
		}
	})
}
