// Package contactio owns the client book's outside formats and identifier
// checks: 统一社会信用代码 (GB 32100) and 居民身份证号 (GB 11643) validation,
// phone and e-mail checks, strict CSV and XLSX import and lossless export with
// the fixed header 名称,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签, and
// vCard 3.0 export that phones import.
package contactio

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Sentinel errors of field validation; the returned errors wrap them with a
// Chinese message saying what was expected.
var (
	ErrBadUSCC     = errors.New("统一社会信用代码无效")
	ErrBadIDNumber = errors.New("身份证号无效")
	ErrBadPhone    = errors.New("电话号码无效")
	ErrBadEmail    = errors.New("邮箱地址无效")
)

// usccAlphabet is the GB 32100-2015 code character set: digits and upper-case
// letters without I, O, Z, S, V. A character's value is its index.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^i mod 31 for positions 1..17 (GB 32100-2015, 附录).
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidUSCC checks an 18-character 统一社会信用代码: alphabet, the 6-digit
// administrative division code in positions 3–8 and the mod-31 check
// character in position 18. Lower-case letters are not accepted: the code is
// printed in upper case on every business licence.
func ValidUSCC(s string) error {
	rs := []rune(s)
	if len(rs) != 18 {
		return fmt.Errorf("%w：应为18位，实为%d位", ErrBadUSCC, len(rs))
	}
	sum := 0
	for i, r := range rs {
		v := strings.IndexRune(usccAlphabet, r)
		if v < 0 {
			return fmt.Errorf("%w：第%d位 %q 不是有效字符（只用半角数字和除 I、O、Z、S、V 外的大写字母）", ErrBadUSCC, i+1, r)
		}
		if i >= 2 && i < 8 && r > '9' {
			return fmt.Errorf("%w：第3–8位应为行政区划码（数字），第%d位是 %q", ErrBadUSCC, i+1, r)
		}
		if i < 17 {
			sum += v * usccWeights[i]
		}
	}
	// Every character is now ASCII, so byte indexing is safe.
	want := usccAlphabet[(31-sum%31)%31]
	if s[17] != want {
		return fmt.Errorf("%w：校验码应为 %c，实为 %c", ErrBadUSCC, want, s[17])
	}
	return nil
}

// idWeights are the GB 11643-1999 weights 2^(17-i) mod 11.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character (ISO 7064 MOD 11-2).
const idCheckChars = "10X98765432"

// ValidIDNumber checks a 居民身份证号: 18 characters with a real birth date
// and a correct MOD 11-2 check character (X in upper or lower case), or an
// old 15-digit number with a real birth date.
func ValidIDNumber(s string) error {
	switch len(s) {
	case 18:
	case 15:
		if !allDigits(s) {
			return fmt.Errorf("%w：15位身份证号应全为数字", ErrBadIDNumber)
		}
		return checkBirth("19"+s[6:12], 15)
	default:
		return fmt.Errorf("%w：应为18位（或旧式15位），实为%d位", ErrBadIDNumber, len([]rune(s)))
	}
	if !allDigits(s[:17]) {
		return fmt.Errorf("%w：前17位应全为数字", ErrBadIDNumber)
	}
	if err := checkBirth(s[6:14], 18); err != nil {
		return err
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(s[i]-'0') * idWeights[i]
	}
	want := idCheckChars[sum%11]
	got := s[17]
	if got == 'x' {
		got = 'X'
	}
	if got != want {
		return fmt.Errorf("%w：校验码应为 %c，实为 %c", ErrBadIDNumber, want, s[17])
	}
	return nil
}

func checkBirth(yyyymmdd string, length int) error {
	birth, err := time.Parse("20060102", yyyymmdd)
	if err != nil || birth.Year() < 1850 {
		return fmt.Errorf("%w：%d位号码中的出生日期 %s 不是有效日期", ErrBadIDNumber, length, yyyymmdd)
	}
	return nil
}

// ValidPhone accepts a mainland mobile number (11 digits starting 13–19),
// optionally with +86/0086 and spaces or dashes, a landline with area code
// (010-12345678, 0755 1234 5678, extension after -), or a 400/800 number.
func ValidPhone(s string) error {
	d := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, s)
	d = strings.TrimPrefix(strings.TrimPrefix(d, "+86"), "0086")
	switch {
	case !allDigits(d):
		return fmt.Errorf("%w：%q 含数字、空格、短横线和开头的 +86 以外的字符", ErrBadPhone, s)
	case len(d) == 11 && d[0] == '1' && d[1] >= '3':
		return nil
	case d[0] == '0' && len(d) >= 10 && len(d) <= 16: // area code + 7–8 digits (+ extension)
		return nil
	case (strings.HasPrefix(d, "400") || strings.HasPrefix(d, "800")) && len(d) == 10:
		return nil
	}
	return fmt.Errorf("%w：%q 应为11位手机号、带区号的固定电话或400/800电话", ErrBadPhone, s)
}

// ValidEmail accepts a bare address (no display name) that net/mail parses.
func ValidEmail(s string) error {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return fmt.Errorf("%w：%q 应形如 name@example.com", ErrBadEmail, s)
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
