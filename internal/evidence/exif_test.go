package evidence

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// tiff builds a little-endian TIFF with the given ASCII tags in IFD0 and,
// when comment is set, an Exif IFD holding a UserComment.
func tiff(tags map[uint16]string, comment string) []byte {
	type entry struct {
		tag, typ uint16
		val      []byte
	}
	var entries []entry
	for _, tag := range []uint16{0x010F, 0x0110, 0x0131} {
		if v, ok := tags[tag]; ok {
			entries = append(entries, entry{tag, 2, append([]byte(v), 0)})
		}
	}
	hasExif := comment != ""
	n := len(entries)
	if hasExif {
		n++
	}
	ifd0 := 8
	data := ifd0 + 2 + 12*n + 4
	var out bytes.Buffer
	out.WriteString("II*\x00")
	binary.Write(&out, binary.LittleEndian, uint32(ifd0))
	binary.Write(&out, binary.LittleEndian, uint16(n))
	var blob bytes.Buffer
	for _, e := range entries {
		binary.Write(&out, binary.LittleEndian, e.tag)
		binary.Write(&out, binary.LittleEndian, e.typ)
		binary.Write(&out, binary.LittleEndian, uint32(len(e.val)))
		if len(e.val) <= 4 {
			v := make([]byte, 4)
			copy(v, e.val)
			out.Write(v)
		} else {
			binary.Write(&out, binary.LittleEndian, uint32(data+blob.Len()))
			blob.Write(e.val)
		}
	}
	var exifAt int
	if hasExif {
		exifAt = data + blob.Len()
		binary.Write(&out, binary.LittleEndian, uint16(0x8769))
		binary.Write(&out, binary.LittleEndian, uint16(4))
		binary.Write(&out, binary.LittleEndian, uint32(1))
		binary.Write(&out, binary.LittleEndian, uint32(exifAt))
	}
	binary.Write(&out, binary.LittleEndian, uint32(0))
	out.Write(blob.Bytes())
	if hasExif {
		val := append([]byte("ASCII\x00\x00\x00"), comment...)
		binary.Write(&out, binary.LittleEndian, uint16(1))
		binary.Write(&out, binary.LittleEndian, uint16(0x9286))
		binary.Write(&out, binary.LittleEndian, uint16(7))
		binary.Write(&out, binary.LittleEndian, uint32(len(val)))
		binary.Write(&out, binary.LittleEndian, uint32(exifAt+2+12+4))
		binary.Write(&out, binary.LittleEndian, uint32(0))
		out.Write(val)
	}
	return out.Bytes()
}

// jpegWith returns a real JPEG with an EXIF APP1 segment built from tags.
func jpegWith(tags map[uint16]string, comment string) []byte {
	var img bytes.Buffer
	jpeg.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	raw := img.Bytes()
	if tags == nil && comment == "" {
		return raw
	}
	app1 := append([]byte("Exif\x00\x00"), tiff(tags, comment)...)
	var out bytes.Buffer
	out.Write(raw[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(app1)+2))
	out.Write(app1)
	out.Write(raw[2:])
	return out.Bytes()
}

func plainPNG() []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)))
	return b.Bytes()
}

func TestParseImageMeta(t *testing.T) {
	camera := ParseImageMeta(jpegWith(map[uint16]string{0x010F: "Apple", 0x0110: "iPhone 15 Pro", 0x0131: "17.2"}, ""))
	if !camera.HasEXIF || camera.Make != "Apple" || camera.Model != "iPhone 15 Pro" || camera.Software != "17.2" {
		t.Fatalf("camera JPEG: %+v", camera)
	}
	edited := ParseImageMeta(jpegWith(map[uint16]string{0x0131: "Adobe Photoshop 25.0 (Windows)"}, ""))
	if edited.Software != "Adobe Photoshop 25.0 (Windows)" || edited.Make != "" {
		t.Fatalf("edited JPEG: %+v", edited)
	}
	shot := ParseImageMeta(jpegWith(map[uint16]string{}, "Screenshot"))
	if shot.UserComment != "Screenshot" {
		t.Fatalf("screenshot comment: %+v", shot)
	}
	if m := ParseImageMeta(jpegWith(nil, "")); m.HasEXIF {
		t.Fatalf("plain JPEG has EXIF: %+v", m)
	}
	if m := ParseImageMeta(plainPNG()); m.HasEXIF || m.Software != "" {
		t.Fatalf("plain PNG: %+v", m)
	}
	if m := ParseImageMeta([]byte("not an image")); m != (ImageMeta{}) {
		t.Fatalf("text: %+v", m)
	}
}

func TestOriginalityWarnings(t *testing.T) {
	cases := []struct {
		name, file, title string
		data              []byte
		want              []string // substrings, in order
	}{
		{"camera photo", "IMG_0001.jpg", "现场照片", jpegWith(map[uint16]string{0x010F: "HUAWEI", 0x0110: "Mate 60"}, ""), nil},
		{"no camera EXIF", "photo.jpg", "照片", jpegWith(nil, ""), []string{"没有相机拍摄信息"}},
		{"editing software", "IMG_2.jpg", "照片", jpegWith(map[uint16]string{0x010F: "Apple", 0x0110: "iPhone", 0x0131: "美图秀秀"}, ""), []string{"编辑软件“美图秀秀”"}},
		{"Snapseed", "a.jpg", "照片", jpegWith(map[uint16]string{0x010F: "Google", 0x0110: "Pixel", 0x0131: "Snapseed 2.0"}, ""), []string{"Snapseed"}},
		{"transfer screenshot", "Screenshot_20260301.png", "微信转账记录", plainPNG(), []string{"这是一张截图", "建议另行提供录屏"}},
		{"iOS screenshot comment", "IMG_3.jpg", "付款截图", jpegWith(map[uint16]string{}, "Screenshot"), []string{"这是一张截图", "录屏"}},
		{"document", "合同.pdf", "合同", []byte("%PDF-1.7\n"), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mt := sniffKind(c.data, c.file)
			got := originalityWarnings(c.data, mt, AddInput{FileName: c.file, Title: c.title})
			if len(got) != len(c.want) {
				t.Fatalf("warnings %q, want %d matching %q", got, len(c.want), c.want)
			}
			for i, w := range c.want {
				if !bytes.Contains([]byte(got[i]), []byte(w)) {
					t.Fatalf("warning %d = %q, want it to mention %q", i, got[i], w)
				}
			}
		})
	}
}

// FuzzParseImageMeta: any bytes parse without panicking, and every value is
// bounded, printable text.
func FuzzParseImageMeta(f *testing.F) {
	f.Add(jpegWith(map[uint16]string{0x010F: "Apple", 0x0110: "iPhone", 0x0131: "Photoshop"}, "Screenshot"))
	f.Add(jpegWith(nil, ""))
	f.Add(plainPNG())
	seeds, _ := filepath.Glob("testdata/*.jpg")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m := ParseImageMeta(data)
		for _, v := range []string{m.Make, m.Model, m.Software, m.DateTaken, m.UserComment} {
			if len(v) > maxTagBytes {
				t.Fatalf("value longer than %d bytes: %d", maxTagBytes, len(v))
			}
			for _, r := range v {
				if r < 0x20 || r == 0x7F || r == 0xFFFD && !bytes.Contains(data, []byte("\xef\xbf\xbd")) {
					t.Fatalf("unprintable rune %U in %q", r, v)
				}
			}
		}
	})
}
