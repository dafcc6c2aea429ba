package archive

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/lvxin/lvxin/internal/chatexport"
)

// ZipLimits bound what a ZIP of an export folder may hold. archive/zip
// refuses to read more than an entry's declared size, so the sum of the
// declared sizes bounds what an import reads (a zip bomb fails before a
// byte is decompressed).
type ZipLimits struct {
	MaxEntries int   // files and folders
	MaxBytes   int64 // sum of the declared uncompressed sizes
}

// DefaultZipLimits suit an export folder of a few years of chats.
var DefaultZipLimits = ZipLimits{MaxEntries: 50000, MaxBytes: 8 << 30}

// ErrBadZip: the ZIP is unsafe (a path leaving the folder, a link, too
// large) or holds no single chat export.
var ErrBadZip = errors.New("ZIP 文件不可用")

// exportZip is a checked ZIP of an export folder.
type exportZip struct {
	zr     *zip.Reader
	export *zip.File // the export file
	media  fs.FS     // the export file's folder inside the ZIP
}

// exportExts are the extensions an export file can have.
var exportExts = map[string]bool{".csv": true, ".txt": true, ".json": true, ".jsonl": true}

// openExportZip checks every entry of the ZIP (relative names that stay
// inside it, no links, within lim) and finds the export file: the only
// file with an export's extension, or else the only one whose head
// chatexport.Detect recognises (format, when given, must then match).
func openExportZip(r io.ReaderAt, size int64, lim ZipLimits, format chatexport.Format) (*exportZip, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%w：不是有效的 ZIP 文件（%w）", ErrBadZip, err)
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("%w：超过 %d 个文件", ErrBadZip, lim.MaxEntries)
	}
	var total uint64
	var candidates []*zip.File
	for _, f := range zr.File {
		name := strings.TrimSuffix(f.Name, "/")
		if strings.Contains(f.Name, `\`) || !fs.ValidPath(name) || name == "." {
			return nil, fmt.Errorf("%w：不安全的路径 %q（ZIP 中的文件必须位于导出文件夹之内）", ErrBadZip, f.Name)
		}
		mode := f.Mode()
		if mode&fs.ModeSymlink != 0 || !(mode.IsDir() || mode.IsRegular()) {
			return nil, fmt.Errorf("%w：%q 不是普通文件（不接受链接）", ErrBadZip, f.Name)
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxBytes) {
			return nil, fmt.Errorf("%w：解压后超过 %d MB", ErrBadZip, lim.MaxBytes>>20)
		}
		if mode.IsRegular() && exportExts[strings.ToLower(path.Ext(name))] && !strings.HasPrefix(path.Base(name), ".") {
			candidates = append(candidates, f)
		}
	}
	if len(candidates) > 1 {
		var detected []*zip.File
		for _, f := range candidates {
			got, err := detectFormat(func() (io.ReadCloser, error) { return f.Open() }, f.Name)
			if err == nil && (format == "" || got == format) {
				detected = append(detected, f)
			}
		}
		candidates = detected
	}
	switch len(candidates) {
	case 0:
		return nil, fmt.Errorf("%w：ZIP 中没有聊天记录导出文件（.csv、.txt、.json、.jsonl）", ErrBadZip)
	case 1:
	default:
		var names []string
		for _, f := range candidates[:min(len(candidates), 5)] {
			names = append(names, f.Name)
		}
		return nil, fmt.Errorf("%w：ZIP 中有 %d 个聊天记录导出文件（%s …），请每次上传一个导出文件夹", ErrBadZip, len(candidates), strings.Join(names, "、"))
	}
	ez := &exportZip{zr: zr, export: candidates[0]}
	if dir := path.Dir(ez.export.Name); dir != "." {
		if ez.media, err = fs.Sub(zr, dir); err != nil {
			return nil, err
		}
	} else {
		ez.media = zr
	}
	return ez, nil
}

// ImportZip imports a ZIP of an export folder: the export file and the
// media it refers to by relative path, which go to the blob store. The ZIP
// is read in place, never unpacked to disk.
func (s *Service) ImportZip(ctx context.Context, zipPath string, opts ImportOptions, actor Actor) (*ImportResult, error) {
	f, err := os.Open(zipPath)
	if err != nil {
		return nil, fmt.Errorf("无法打开 %s：%w", zipPath, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	ez, err := openExportZip(f, st.Size(), DefaultZipLimits, opts.Format)
	if err != nil {
		return nil, err
	}
	zipName := opts.FileName
	if zipName == "" {
		zipName = filepath.Base(zipPath)
	}
	opts.FileName = path.Base(ez.export.Name)
	if zipName != "" {
		opts.FileName = zipName + "/" + ez.export.Name
	}
	return s.importExport(ctx, func() (io.ReadCloser, error) { return ez.export.Open() }, ez.media, opts, actor)
}

// IsZip reports whether a file starts like a ZIP archive.
func IsZip(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	return n == 4 && string(head) == "PK\x03\x04"
}
