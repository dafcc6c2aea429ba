package redact

import "strings"

// idWeights are the GB 11643-1999 weights for the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps (sum mod 11) to the check character (ISO 7064 MOD 11-2).
const idCheckChars = "10X98765432"

// validIDCard18 reports whether s is an 18-character 居民身份证号 with a
// plausible region, a real birth date and a correct MOD 11-2 check character.
func validIDCard18(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * idWeights[i]
	}
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	if last != idCheckChars[sum%11] {
		return false
	}
	return validRegion(s[:6]) && validDate(s[6:10], s[10:12], s[12:14])
}

// validIDCard15 reports whether s is a 15-digit first-generation 身份证号
// (region, YYMMDD birth date, sequence; no check character).
func validIDCard15(s string) bool {
	if len(s) != 15 || !allDigits(s) {
		return false
	}
	return validRegion(s[:6]) && validDate("19"+s[6:8], s[8:10], s[10:12])
}

// validRegion checks the administrative division code loosely: provinces
// run from 11 to 82 and the prefecture part is never 00 for a person.
func validRegion(code string) bool {
	p := int(code[0]-'0')*10 + int(code[1]-'0')
	return p >= 11 && p <= 82
}

func validDate(y, m, d string) bool {
	year := atoi(y)
	month := atoi(m)
	day := atoi(d)
	if year < 1850 || year > 2099 || month < 1 || month > 12 || day < 1 {
		return false
	}
	days := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if month == 2 && !(year%4 == 0 && (year%100 != 0 || year%400 == 0)) {
		return day <= 28
	}
	return day <= days[month]
}

// usccChars is the GB 32100-2015 code alphabet (no I, O, Z, S, V).
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// validUSCC reports whether s is an 18-character 统一社会信用代码 with a
// correct GB 32100 check character (mod 31).
func validUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, s[i])
		if v < 0 {
			return false
		}
		sum += v * usccWeights[i]
	}
	// The registering authority code (first character) is 1-9, A-G or Y.
	if !strings.ContainsRune("123456789ABCDEFGY", rune(s[0])) {
		return false
	}
	// Characters 3-8 are the administrative division code: digits.
	if !allDigits(s[2:8]) {
		return false
	}
	check := (31 - sum%31) % 31
	return s[17] == usccChars[check]
}

// luhnValid reports whether the digit string passes the Luhn (mod 10) check
// used by bank card numbers.
func luhnValid(digits string) bool {
	if len(digits) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
