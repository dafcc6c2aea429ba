package evidence

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// ImageMeta is what the originality checks need from an image's metadata.
// The few EXIF tags are parsed here with the standard library instead of a
// general EXIF library: four ASCII tags in two IFDs of JPEG APP1 or a PNG
// eXIf chunk are about a hundred lines, and the maintained libraries
// (dsoprea/go-exif) bring a dozen transitive modules into the binary.
type ImageMeta struct {
	HasEXIF     bool
	Make        string // camera maker, tag 0x010F
	Model       string // camera model, tag 0x0110
	Software    string // tag 0x0131, or a PNG "Software" text chunk
	DateTaken   string // DateTimeOriginal, tag 0x9003
	UserComment string // tag 0x9286 (iOS writes "Screenshot" here)
}

// maxTagBytes bounds one ASCII tag value.
const maxTagBytes = 256

// ParseImageMeta reads EXIF from the beginning of a JPEG or PNG file. It never
// fails: anything it cannot read is simply absent.
func ParseImageMeta(head []byte) ImageMeta {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8}):
		return parseJPEG(head)
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return parsePNG(head)
	}
	return ImageMeta{}
}

func parseJPEG(b []byte) ImageMeta {
	var m ImageMeta
	pos := 2
	for pos+4 <= len(b) {
		if b[pos] != 0xFF {
			return m
		}
		marker := b[pos+1]
		if marker == 0xFF { // fill byte
			pos++
			continue
		}
		if marker == 0xD9 || marker == 0xDA { // end of image, start of scan
			return m
		}
		if marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) { // no length
			pos += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[pos+2:]))
		if n < 2 {
			return m
		}
		end := pos + 2 + n
		if marker == 0xE1 && !m.HasEXIF {
			seg := b[pos+4 : min(end, len(b))]
			if bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
				parseTIFF(seg[6:], &m)
			}
		}
		pos = end
	}
	return m
}

func parsePNG(b []byte) ImageMeta {
	var m ImageMeta
	pos := 8
	for pos+12 <= len(b) {
		n := int(binary.BigEndian.Uint32(b[pos:]))
		typ := string(b[pos+4 : pos+8])
		if n < 0 || n > len(b)-pos-12 {
			return m
		}
		data := b[pos+8 : pos+8+n]
		switch typ {
		case "eXIf":
			parseTIFF(data, &m)
		case "tEXt", "iTXt":
			if k, v, ok := bytes.Cut(data, []byte{0}); ok && string(k) == "Software" {
				if typ == "iTXt" { // compression flag, method, language, translated keyword
					parts := bytes.SplitN(v, []byte{0}, 4)
					if len(parts) < 4 || len(parts[0]) < 2 || parts[0][0] != 0 {
						break
					}
					v = parts[3]
				}
				m.Software = clean(v)
			}
		case "IEND":
			return m
		}
		pos += 12 + n
	}
	return m
}

// parseTIFF reads IFD0 and the Exif IFD of a TIFF structure.
func parseTIFF(t []byte, m *ImageMeta) {
	if len(t) < 8 {
		return
	}
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return
	}
	if order.Uint16(t[2:]) != 42 {
		return
	}
	m.HasEXIF = true
	exifIFD := readIFD(t, order, order.Uint32(t[4:]), m)
	if exifIFD != 0 {
		readIFD(t, order, exifIFD, m)
	}
}

// readIFD reads the tags of one IFD into m and returns the Exif IFD offset
// when IFD0 points at one.
func readIFD(t []byte, order binary.ByteOrder, off uint32, m *ImageMeta) (exifIFD uint32) {
	if uint64(off)+2 > uint64(len(t)) {
		return 0
	}
	count := int(order.Uint16(t[off:]))
	for i := 0; i < count && i < 512; i++ {
		e := uint64(off) + 2 + uint64(i)*12
		if e+12 > uint64(len(t)) {
			return exifIFD
		}
		tag, typ := order.Uint16(t[e:]), order.Uint16(t[e+2:])
		n, val := order.Uint32(t[e+4:]), t[e+8:e+12]
		if tag == 0x8769 && typ == 4 && n == 1 {
			exifIFD = order.Uint32(val)
			if exifIFD == off {
				exifIFD = 0 // a loop
			}
			continue
		}
		var dst *string
		switch tag {
		case 0x010F:
			dst = &m.Make
		case 0x0110:
			dst = &m.Model
		case 0x0131:
			dst = &m.Software
		case 0x9003:
			dst = &m.DateTaken
		case 0x9286:
			dst = &m.UserComment
		default:
			continue
		}
		if (typ != 2 && typ != 7) || n == 0 {
			continue // ASCII or UNDEFINED only
		}
		data := val
		if n > 4 {
			p := uint64(order.Uint32(val))
			if p+uint64(n) > uint64(len(t)) {
				continue
			}
			data = t[p : p+uint64(n)]
		} else {
			data = val[:n]
		}
		if tag == 0x9286 && len(data) >= 8 { // 8-byte character-code prefix
			data = data[8:]
		}
		*dst = clean(data)
	}
	return exifIFD
}

// clean turns a tag value into printable text: up to the first NUL, valid
// UTF-8, bounded.
func clean(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if len(b) > maxTagBytes {
		b = b[:maxTagBytes]
	}
	s := strings.ToValidUTF8(string(b), "")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F {
			return -1
		}
		return r
	}, s))
}
