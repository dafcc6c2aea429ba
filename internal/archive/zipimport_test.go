package archive

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
)

type zipEntry struct {
	name string
	body []byte
	mode fs.FileMode
}

func buildZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const pyCSV = "id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime\n" +
	"3,807054624347120451,图片,0,wxid_w,wxid_w,,FileStorage\\Image\\9e.dat,2024-03-01 10:02:00\n"

func TestOpenExportZip(t *testing.T) {
	lim := ZipLimits{MaxEntries: 10, MaxBytes: 1 << 20}
	tests := []struct {
		name    string
		zip     []byte
		export  string
		wantErr string
	}{
		{"export and media in a folder", buildZip(t,
			zipEntry{name: "导出/"}, zipEntry{name: "导出/chat.csv", body: []byte(pyCSV)},
			zipEntry{name: "导出/FileStorage/Image/9e.dat", body: []byte("jpeg")}), "导出/chat.csv", ""},
		{"two files, one detected", buildZip(t,
			zipEntry{name: "chat.csv", body: []byte(pyCSV)}, zipEntry{name: "readme.txt", body: []byte("说明")}), "chat.csv", ""},
		{"traversal", buildZip(t, zipEntry{name: "../../etc/cron.d/x.csv", body: []byte(pyCSV)}), "", "不安全的路径"},
		{"absolute", buildZip(t, zipEntry{name: "/tmp/x.csv", body: []byte(pyCSV)}), "", "不安全的路径"},
		{"backslash", buildZip(t, zipEntry{name: `..\x.csv`, body: []byte(pyCSV)}), "", "不安全的路径"},
		{"symlink", buildZip(t, zipEntry{name: "chat.csv", body: []byte(pyCSV)},
			zipEntry{name: "media", body: []byte("/etc"), mode: fs.ModeSymlink | 0o777}), "", "不是普通文件"},
		{"bomb", buildZip(t, zipEntry{name: "chat.csv", body: []byte(pyCSV)},
			zipEntry{name: "zeros.dat", body: make([]byte, 2<<20)}), "", "解压后超过"},
		{"too many entries", buildZip(t, func() []zipEntry {
			var es []zipEntry
			for i := range 11 {
				es = append(es, zipEntry{name: strings.Repeat("a", i+1) + ".dat"})
			}
			return es
		}()...), "", "超过 10 个文件"},
		{"no export", buildZip(t, zipEntry{name: "a.dat", body: []byte("x")}), "", "没有聊天记录导出文件"},
		{"not a zip", []byte("PK\x03\x04garbage"), "", "不是有效的 ZIP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ez, err := openExportZip(bytes.NewReader(tt.zip), int64(len(tt.zip)), lim, "")
			if tt.wantErr != "" {
				if err == nil || !errors.Is(err, ErrBadZip) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrBadZip with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ez.export.Name != tt.export {
				t.Errorf("export %q, want %q", ez.export.Name, tt.export)
			}
		})
	}
}

// FuzzOpenExportZip: any input is rejected or yields an export inside the
// ZIP whose media, read through the folder's file system, stay within the
// limits.
func FuzzOpenExportZip(f *testing.F) {
	f.Add(buildZip(f, zipEntry{name: "导出/chat.csv", body: []byte(pyCSV)}, zipEntry{name: "导出/FileStorage/Image/9e.dat", body: []byte("jpeg")}))
	f.Add(buildZip(f, zipEntry{name: "../x.csv", body: []byte(pyCSV)}))
	f.Add(buildZip(f, zipEntry{name: "chat.csv", body: []byte(pyCSV)}, zipEntry{name: "zeros.dat", body: make([]byte, 64<<10)}))
	f.Add(buildZip(f, zipEntry{name: "chat.csv", body: []byte(pyCSV)}, zipEntry{name: "l", body: []byte("/"), mode: fs.ModeSymlink}))
	f.Add([]byte("PK\x03\x04"))
	lim := ZipLimits{MaxEntries: 100, MaxBytes: 32 << 10}
	f.Fuzz(func(t *testing.T, data []byte) {
		ez, err := openExportZip(bytes.NewReader(data), int64(len(data)), lim, "")
		if err != nil {
			return
		}
		if !fs.ValidPath(ez.export.Name) {
			t.Fatalf("export %q outside the ZIP", ez.export.Name)
		}
		var read int64
		_ = fs.WalkDir(ez.media, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			file, err := ez.media.Open(p)
			if err != nil {
				return nil
			}
			n, _ := io.Copy(io.Discard, file)
			file.Close()
			read += n
			return nil
		})
		if read > lim.MaxBytes {
			t.Fatalf("read %d bytes, limit %d", read, lim.MaxBytes)
		}
	})
}
