package evidence

import (
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/lvxin/lvxin/internal/model"
)

// editingSoftware are names (lowercase) of editors and beautifying apps that
// write themselves into EXIF or PNG metadata.
var editingSoftware = []string{
	"photoshop", "lightroom", "gimp", "snapseed", "美图", "meitu", "picsart", "醒图", "黄油相机", "vsco",
	"facetune", "pixlr", "affinity", "canva", "光影魔术手", "paint.net", "pixelmator", "acdsee", "faceu", "美颜",
}

// transferWords mark a file as a record of a payment or transfer.
var transferWords = []string{"转账", "付款", "收款", "汇款", "红包", "支付", "账单", "交易记录", "流水", "transfer", "payment"}

// screenshotWords mark a file name as a screenshot.
var screenshotWords = []string{"screenshot", "screen shot", "截图", "截屏", "屏幕快照", "snipaste", "wechatimg"}

// sniffKind returns the media type of a file from its first bytes and name.
func sniffKind(head []byte, name string) string {
	mt := http.DetectContentType(head)
	if mt == "application/octet-stream" || strings.HasPrefix(mt, "text/plain") {
		switch strings.ToLower(path.Ext(name)) {
		case ".heic", ".heif":
			return "image/heic"
		case ".mov":
			return "video/quicktime"
		}
	}
	return mt
}

// originalityWarnings returns the Chinese warnings for one file.
func originalityWarnings(head []byte, mediaType string, in AddInput) []string {
	var out []string
	isImage := strings.HasPrefix(mediaType, "image/")
	lowerName := strings.ToLower(in.FileName)
	about := strings.ToLower(in.FileName + " " + in.Title + " " + in.Purpose)
	meta := ParseImageMeta(head)
	screenshot := containsAny(lowerName, screenshotWords) || strings.EqualFold(meta.UserComment, "screenshot")
	if isImage {
		switch {
		case mediaType == "image/heic":
			// HEIC keeps EXIF in an ISO-BMFF box this check does not read.
		case screenshot:
			out = append(out, "这是一张截图，不是拍摄的原始照片。截图只能反映屏幕当时的显示内容，容易被修改；"+
				"如需证明聊天或交易内容，请同时保存原始聊天记录或录屏。")
		case meta.Make == "" && meta.Model == "":
			out = append(out, "图片中没有相机拍摄信息（EXIF 中无设备厂商和型号），很可能不是原始照片"+
				"（例如截图，或经微信等转发压缩、编辑后另存）。请让当事人发送原图文件，或说明图片来源。")
		}
	}
	if sw := strings.ToLower(meta.Software); sw != "" && containsAny(sw, editingSoftware) {
		out = append(out, fmt.Sprintf("文件元数据记录了编辑软件“%s”，说明文件被该软件处理或另存过，可能不是原件。"+
			"请索取未经编辑的原始文件。", meta.Software))
	}
	if isImage && containsAny(about, transferWords) {
		out = append(out, "这是转账或支付记录的图片。截图容易被修改且不能反映操作过程，建议另行提供录屏"+
			"（从打开微信或支付宝到账单详情页的完整过程），或银行、支付平台出具的交易明细。")
	}
	return out
}

// duplicateWarning is added when the user confirmed preserving content
// already preserved as prev (an item the user may see).
func duplicateWarning(prev *model.EvidenceItem) string {
	return fmt.Sprintf("相同内容的文件已于 %s 保全为证据 #%d（“%s”）：这是经确认的重复证据。",
		prev.AddedAt.In(shanghai).Format("2006-01-02 15:04"), prev.ID, prev.Title)
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
