package redact

import (
	"strings"
	"unicode/utf8"
)

// Account identifiers are found from the word that introduces them: a WeChat
// id after 微信/微信号/vx/V信 (or any wxid_…), a QQ number after QQ/扣扣, a
// social security number after 社保/社会保障/医保. Without such a word a
// run of letters and digits is not taken for an account.

var accountWords = []string{
	"wxid_", "微信", "威信", "薇信", "vx", "VX", "Vx", "vX", "V信", "v信", "wx", "WX", "Wx",
	"QQ", "qq", "Qq", "扣扣", "企鹅号", "社保", "社会保障", "医保",
}

// accountLabels may stand between the introducing word and the value.
var accountLabels = []string{"卡号码", "号码", "卡号", "账号", "帐号", "号", "ID", "id", "Id"}

// accountGlue are separators between the label and the value.
const accountGlue = "：: 是为「」“”\"'(（"

func scanAccounts(text string, triggers []trigger, out []Finding) []Finding {
	off := 0
	for _, tr := range triggers {
		i, w := tr.pos, tr.word
		if tr.kind != TypeWeChat || i < off {
			continue
		}
		off = i + len(w)
		if i > 0 && isAlnum(text[i-1]) && w[0] < utf8.RuneSelf {
			continue // inside a longer Latin word (vxlan, aqqb)
		}
		if w == "wxid_" {
			end := i + len(w)
			for end < len(text) && (isAlnum(text[end]) || text[end] == '_' || text[end] == '-') && end-i < 40 {
				end++
			}
			if end-i >= len(w)+4 {
				out = append(out, Finding{Type: TypeWeChat, Start: i, End: end, Text: text[i:end], Confidence: 0.99})
				off = end
			}
			continue
		}
		start := skipLabel(text, i+len(w))
		end := start
		for end < len(text) && (isAlnum(text[end]) || text[end] == '_' || text[end] == '-') && end-start < 32 {
			end++
		}
		if end < len(text) && isAlnum(text[end]) {
			continue
		}
		value := text[start:end]
		var f Finding
		switch {
		case (w == "QQ" || w == "qq" || w == "Qq" || w == "扣扣" || w == "企鹅号") && validQQ(value):
			f = Finding{Type: TypeQQ, Confidence: 0.97}
		case strings.HasPrefix(w, "社") || w == "医保":
			if len(value) < 8 || len(value) > 20 || !strings.ContainsAny(value, "0123456789") {
				continue
			}
			f = Finding{Type: TypeSocialSec, Confidence: 0.995}
		case validWeChatID(value):
			f = Finding{Type: TypeWeChat, Confidence: 0.96}
		default:
			continue
		}
		f.Start, f.End, f.Text = start, end, value
		out = append(out, f)
		off = end
	}
	return out
}

// skipLabel skips 号/号码/ID and separators after the introducing word.
func skipLabel(text string, i int) int {
	for _, l := range accountLabels {
		if strings.HasPrefix(text[i:], l) {
			i += len(l)
			break
		}
	}
	for steps := 0; i < len(text) && steps < 3; steps++ {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !strings.ContainsRune(accountGlue, r) {
			break
		}
		i += size
	}
	return i
}

// validQQ: 5 to 11 digits, not starting with 0.
func validQQ(s string) bool {
	return len(s) >= 5 && len(s) <= 11 && allDigits(s) && s[0] != '0'
}

// validWeChatID: 6 to 20 letters, digits, '_' or '-', starting with a
// letter (WeChat's own rule for custom ids).
func validWeChatID(s string) bool {
	if len(s) < 6 || len(s) > 20 {
		return false
	}
	c := s[0]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
