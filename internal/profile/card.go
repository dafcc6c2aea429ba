package profile

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lvxin/lvxin/internal/contactio"
	"github.com/skip2/go-qrcode"
)

// Lawyer is what the contact card shows.
type Lawyer struct {
	Name          string
	Firm          string // full firm name, e.g. 北京市某某律师事务所
	Title         string // e.g. 律师, 合伙人
	Phone         string // mobile
	WorkPhone     string
	Email         string
	WeChatID      string
	LicenseNumber string // 执业证号
	PracticeAreas []string
	URL           string
}

// VCard renders the lawyer's contact card as vCard 3.0 for phones to import.
// 执业证号, 微信号 and practice areas go into NOTE, practice areas also into
// CATEGORIES.
func VCard(l Lawyer) []byte {
	family, given := contactio.SplitName(l.Name)
	var note []string
	if l.LicenseNumber != "" {
		note = append(note, "执业证号："+l.LicenseNumber)
	}
	if l.WeChatID != "" {
		note = append(note, "微信号："+l.WeChatID)
	}
	if len(l.PracticeAreas) > 0 {
		note = append(note, "执业领域："+strings.Join(l.PracticeAreas, "、"))
	}
	return contactio.EncodeVCard(contactio.Card{
		FormattedName: l.Name,
		Name:          [5]string{family, given},
		Org:           l.Firm,
		Title:         l.Title,
		Cell:          l.Phone,
		Work:          l.WorkPhone,
		Email:         l.Email,
		URL:           l.URL,
		Note:          strings.Join(note, "\n"),
		Categories:    l.PracticeAreas,
	})
}

// ErrQRTooLong means the data does not fit in one QR code.
var ErrQRTooLong = errors.New("内容过长，无法生成二维码")

// qrSize is the PNG's width and height in pixels: sharp on a phone screen
// and in print.
const qrSize = 512

// QRCodePNG encodes data (typically a VCard) as a QR code PNG with medium
// (15%) error correction, the usual choice for a card that is printed.
func QRCodePNG(data []byte) ([]byte, error) {
	if len(data) == 0 {
		return nil, errors.New("二维码内容为空")
	}
	png, err := qrcode.Encode(string(data), qrcode.Medium, qrSize)
	if err != nil {
		return nil, fmt.Errorf("%w（%d 字节）：%w", ErrQRTooLong, len(data), err)
	}
	return png, nil
}
