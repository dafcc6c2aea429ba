package profile

import (
	"bytes"
	"errors"
	"image/png"
	"strings"
	"testing"

	"github.com/emersion/go-vcard"
	"github.com/skip2/go-qrcode"
)

var lawyer = Lawyer{
	Name: "张三", Firm: "北京市某某律师事务所", Title: "合伙人", Phone: "13800138000", WorkPhone: "010-65521234",
	Email: "zhangsan@example.com", WeChatID: "zhangsan_law", LicenseNumber: "11101201010123456",
	PracticeAreas: []string{"婚姻家事", "劳动争议"}, URL: "https://example.com/zhangsan",
}

func TestVCard(t *testing.T) {
	data := VCard(lawyer)
	card, err := vcard.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("go-vcard cannot parse the card: %v\n%s", err, data)
	}
	checks := map[string]string{
		vcard.FieldFormattedName: "张三", vcard.FieldOrganization: "北京市某某律师事务所", vcard.FieldTitle: "合伙人",
		vcard.FieldEmail: "zhangsan@example.com", vcard.FieldURL: "https://example.com/zhangsan",
		vcard.FieldNote: "执业证号：11101201010123456\n微信号：zhangsan_law\n执业领域：婚姻家事、劳动争议",
	}
	for field, want := range checks {
		if got := card.Value(field); got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	if n := card.Name(); n == nil || n.FamilyName != "张" || n.GivenName != "三" {
		t.Errorf("N = %+v", n)
	}
	tels := card[vcard.FieldTelephone]
	if len(tels) != 2 || tels[0].Value != "13800138000" || !strings.EqualFold(tels[0].Params.Get(vcard.ParamType), vcard.TypeCell) {
		t.Errorf("TEL = %+v", tels)
	}
	if got := card.Categories(); len(got) != 2 || got[0] != "婚姻家事" {
		t.Errorf("CATEGORIES = %q", got)
	}
}

func TestQRCodePNG(t *testing.T) {
	data := VCard(lawyer)
	pngBytes, err := QRCodePNG(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != qrSize || b.Dy() != qrSize {
		t.Fatalf("size %v, want %dx%d", b, qrSize, qrSize)
	}
	// The picture must show exactly the modules go-qrcode computes for data:
	// sample the centre of every module and compare with the bitmap.
	q, err := qrcode.New(string(data), qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	bitmap := q.Bitmap()
	n := len(bitmap)
	modulePx := qrSize / n
	offset := (qrSize - modulePx*n) / 2
	mismatches := 0
	for y := range n {
		for x := range n {
			r, _, _, _ := img.At(offset+x*modulePx+modulePx/2, offset+y*modulePx+modulePx/2).RGBA()
			if dark := r < 0x8000; dark != bitmap[y][x] {
				mismatches++
			}
		}
	}
	if mismatches != 0 {
		t.Errorf("%d of %d modules differ from the QR bitmap of the vCard", mismatches, n*n)
	}
}

func TestQRCodePNGErrors(t *testing.T) {
	if _, err := QRCodePNG(nil); err == nil {
		t.Error("empty data accepted")
	}
	if _, err := QRCodePNG(bytes.Repeat([]byte("很长"), 2000)); !errors.Is(err, ErrQRTooLong) {
		t.Errorf("oversized data: error = %v, want ErrQRTooLong", err)
	}
}
