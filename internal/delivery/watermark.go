package delivery

// PDF watermarks use github.com/pdfcpu/pdfcpu (pure Go, Apache-2.0): of
// the PDF modules served here it is the one maintained library that edits
// an existing PDF (fpdf only writes new documents, pdfsign only signs,
// go-pdfium needs cgo or a WebAssembly runtime with a multi-megabyte
// PDFium build). The package list serves it with a caveat (an earlier
// copy, not an approved release), so it is pinned to v0.11.1, used only
// here, behind one function, and the result is checked by an outside
// reader (pdftotext) in the tests. It keeps the binary CGO_ENABLED=0.
//
// pdfcpu keeps its configuration and installed fonts in process-wide
// state and, left to itself, writes them under the user's config folder
// (exiting the process on failure); lvxin points it once at
// <data>/cache/pdfcpu instead and serialises watermarking.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/font"
	pdfmodel "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
)

// MaxWatermarkSize is the largest PDF watermarked: pdfcpu reads a whole
// document into memory (larger files are sent without a watermark only
// when the sender leaves the box unticked).
const MaxWatermarkSize = 200 << 20

// cjkFontCandidates are the system fonts with Chinese glyphs tried when no
// font is configured (Debian: fonts-droid-fallback, fonts-wqy-microhei,
// fonts-wqy-zenhei, fonts-noto-cjk).
var cjkFontCandidates = []string{
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
}

var (
	pdfMu       sync.Mutex // pdfcpu's fonts and configuration are global
	pdfReady    bool
	pdfCJKFont  string // installed font name; "" when none was found
	pdfSetupErr error
)

// setupPDF points pdfcpu at <data>/cache/pdfcpu and installs a Chinese
// font once per process. Call with pdfMu held.
func (s *Service) setupPDF() error {
	if pdfReady {
		return pdfSetupErr
	}
	pdfReady = true
	dir := filepath.Join(s.cfg.DataDir, "cache")
	if err := pdfmodel.EnsureDefaultConfigAt(dir, false); err != nil {
		pdfSetupErr = fmt.Errorf("无法准备 PDF 水印组件：%w", err)
		return pdfSetupErr
	}
	candidates := cjkFontCandidates
	if s.cfg.WatermarkFont != "" {
		candidates = []string{s.cfg.WatermarkFont}
	}
	for _, path := range candidates {
		if _, err := os.Stat(path); err != nil {
			continue
		}
		if err := api.InstallFonts([]string{path}); err != nil {
			continue
		}
		if pdfCJKFont = chineseUserFont(); pdfCJKFont != "" {
			break
		}
	}
	return nil
}

// chineseUserFont returns the first installed font (by name) that covers
// simplified Chinese, or "". Fonts installed by an earlier process are
// found the same way, whatever their PostScript names.
func chineseUserFont() string {
	names := font.UserFontNames()
	slices.Sort(names)
	font.UserFontMetricsLock.RLock()
	defer font.UserFontMetricsLock.RUnlock()
	for _, name := range names {
		if ok, err := font.UserFontMetrics[name].SupportsScript("HANS"); err == nil && ok {
			return name
		}
	}
	return ""
}

// isASCII reports whether every rune of s is printable ASCII.
func isASCII(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// isPDF reports whether a document is a PDF.
func isPDF(d *model.Document) bool {
	return d.MediaType == "application/pdf" || strings.EqualFold(filepath.Ext(d.FileName), ".pdf")
}

// watermark stores a copy of doc with the recipient's name across every
// page and returns its reference. The plaintext goes through temporary
// files in the blob store's folder (never the whole file in a Go buffer
// beyond what pdfcpu itself holds).
func (s *Service) watermark(ctx context.Context, doc *model.Document, recipient string) (blob.Ref, error) {
	if !isPDF(doc) {
		return blob.Ref{}, fmt.Errorf("%w：水印只能加在 PDF 文件上，“%s”不是 PDF；请取消“加水印”或上传 PDF", model.ErrInvalidInput, doc.FileName)
	}
	if doc.Size > MaxWatermarkSize {
		return blob.Ref{}, fmt.Errorf("%w：“%s”超过 %d MB，不能加水印；请取消“加水印”后发送", model.ErrInvalidInput, doc.FileName, MaxWatermarkSize>>20)
	}
	pdfMu.Lock()
	defer pdfMu.Unlock()
	if err := s.setupPDF(); err != nil {
		return blob.Ref{}, err
	}
	day := calendar.DateOf(s.now().In(calendar.Shanghai)).String()
	var text, desc string
	switch {
	case pdfCJKFont != "":
		text = fmt.Sprintf("仅供 %s 查阅 %s", recipient, day)
		desc = "fontname:" + pdfCJKFont + ", script:HANS, "
	case isASCII(recipient):
		text = fmt.Sprintf("For %s only %s", recipient, day)
		desc = "fontname:Helvetica, "
	default:
		return blob.Ref{}, fmt.Errorf("%w：服务器上没有中文字体，无法把收件人“%s”的姓名印在水印上；请管理员安装中文字体（如 fonts-droid-fallback）或用环境变量 LVXIN_WATERMARK_FONT 指定 TrueType 字体文件，或取消“加水印”", model.ErrInvalidInput, recipient)
	}
	desc += "points:48, scalefactor:0.8 rel, rotation:45, opacity:0.3, fillcolor:#808080"
	wm, err := api.TextWatermark(text, desc, true, false, types.POINTS)
	if err != nil {
		return blob.Ref{}, fmt.Errorf("水印设置无效：%w", err)
	}
	in, err := s.tempCopy(ctx, doc.SHA256)
	if err != nil {
		return blob.Ref{}, err
	}
	defer os.Remove(in.Name())
	defer in.Close()
	out, err := os.CreateTemp(s.cfg.Blobs.Root()+"/tmp", "wm-*")
	if err != nil {
		return blob.Ref{}, err
	}
	defer os.Remove(out.Name())
	defer out.Close()
	conf := pdfmodel.NewDefaultConfiguration()
	conf.ValidationMode = pdfmodel.ValidationRelaxed
	if err := api.AddWatermarks(in, out, nil, wm, conf); err != nil {
		return blob.Ref{}, fmt.Errorf("%w：“%s”无法加水印（文件可能已加密或损坏：%v）；请取消“加水印”后发送", model.ErrInvalidInput, doc.FileName, err)
	}
	if _, err := out.Seek(0, io.SeekStart); err != nil {
		return blob.Ref{}, err
	}
	return s.cfg.Blobs.Put(ctx, out)
}

// tempCopy decrypts a blob into a temporary file (pdfcpu needs to seek).
func (s *Service) tempCopy(ctx context.Context, sha string) (*os.File, error) {
	rc, err := s.cfg.Blobs.Open(sha)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	f, err := os.CreateTemp(s.cfg.Blobs.Root()+"/tmp", "wm-src-*")
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(f, ctxReader{ctx, rc}); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
