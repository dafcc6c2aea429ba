package phishing

import (
	"net/url"
	"strings"
	"unicode"
)

// idn checks internationalised host names: homographs of protected
// brands, labels mixing Latin with Cyrillic or Greek, whole-script
// confusable labels, and other non-CJK IDN labels.
func (c *Checker) idn(res *Result, unicodeHost, ascii string) {
	if !strings.Contains(ascii, "xn--") {
		return
	}
	labels := strings.Split(unicodeHost, ".")
	asciiLabels := strings.Split(ascii, ".")
	flagged := false
	for i, label := range labels {
		if i >= len(asciiLabels) || !strings.HasPrefix(asciiLabels[i], "xn--") {
			continue
		}
		sk := skeleton(label)
		for _, b := range c.brands {
			if (len(b.name) >= 3 && sk == b.skeleton) || (!b.word && strings.Contains(sk, b.skeleton)) {
				res.add("homograph", 80, "域名 %s 中的“%s”用形近的外文字母仿冒 %s（%s），实际是 %s", unicodeHost, label, b.domain.Domain, b.domain.Name, asciiLabels[i])
				return
			}
		}
		switch {
		case mixedScripts(label):
			res.add("mixed-script", 60, "域名“%s”混用拉丁字母与西里尔/希腊等字母，浏览器会显示为 %s", label, asciiLabels[i])
			flagged = true
		case wholeScriptConfusable(label):
			res.add("whole-script", 50, "域名“%s”全部由形似拉丁字母的外文字母组成（读作 %s），浏览器会显示为 %s", label, sk, asciiLabels[i])
			flagged = true
		}
	}
	if !flagged {
		cjk := true
		for _, r := range unicodeHost {
			if r >= 0x80 && !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo) {
				cjk = false
			}
		}
		if !cjk {
			res.add("idn", 15, "国际化域名（%s），含非中文的特殊字母", ascii)
		}
	}
}

// tokens splits a name into its words: at hyphens, dots and underscores,
// and where letters meet digits (12368gov → 12368, gov).
func tokens(s string) []string {
	var out []string
	var cur []rune
	kind := 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
		}
		cur = cur[:0]
	}
	for _, r := range s {
		k := 0
		switch {
		case unicode.IsDigit(r):
			k = 1
		case unicode.IsLetter(r):
			k = 2
		default:
			flush()
			kind = 0
			continue
		}
		if k != kind {
			flush()
		}
		kind = k
		cur = append(cur, r)
	}
	flush()
	return out
}

// govWords name a government or a court in a host (pinyin and English).
var govWords = map[string]bool{"gov": true, "govcn": true, "court": true, "fayuan": true, "gongan": true, "jiancha": true, "police": true}

// lookalike compares the host with the protected brands.
func (c *Checker) lookalike(res *Result, ascii, etld1, suffix string) {
	label := strings.TrimSuffix(etld1, "."+suffix)
	sub := strings.TrimSuffix(strings.TrimSuffix(ascii, etld1), ".")
	regTokens := tokens(label)
	squashed := strings.Join(regTokens, "")
	labelSkeleton := skeleton(label)

	// gov.cn inside a foreign name (x.gov.cn.hk, gov.cn.example.com).
	if strings.HasPrefix(ascii, "gov.cn.") || strings.Contains(ascii, ".gov.cn.") {
		res.add("protected-subdomain", 70, "把“gov.cn”放在域名中间冒充政府网站，实际网站是 %s", etld1)
		return
	}
	// A protected domain or brand used as subdomain of a foreign domain.
	if sub != "" {
		subDot := "." + sub + "."
		for _, p := range c.protected {
			if strings.Contains(subDot, "."+p.Domain+".") {
				res.add("protected-subdomain", 70, "把 %s（%s）放在域名开头冒充，实际网站是 %s", p.Domain, p.Name, etld1)
				return
			}
		}
		for _, t := range strings.Split(sub, ".") {
			for _, b := range c.brands {
				if b.name != "gov" && len(b.name) >= 3 && t == b.name {
					res.add("brand-subdomain", 60, "子域名“%s”冒充 %s（%s），实际网站是 %s", t, b.domain.Domain, b.domain.Name, etld1)
					return
				}
			}
		}
	}

	// Government words in a name that is not under gov.cn.
	gov := strings.Contains(squashed, "govcn")
	for _, t := range regTokens {
		if t == "gov" || t == "govcn" {
			gov = true
		}
	}

	for _, b := range c.brands {
		if b.name == "gov" {
			continue
		}
		switch {
		case label == b.name:
			// Same name under another suffix: icbc.com.cn.top is caught above,
			// icbc.top here.
			res.add("brand-other-suffix", 60, "与 %s（%s）同名但后缀不同（%s），不是官方网站", b.domain.Domain, b.domain.Name, etld1)
			return
		case containsBrand(regTokens, squashed, b):
			extra := ""
			points := 60
			if gov || hasGovWord(regTokens, b.name) {
				extra = "并加上“gov”等政府字样"
				points = 70
			}
			res.add("brand-embedded", points, "域名 %s 含有 %s（%s）的名称%s，但不是官方网站", etld1, b.domain.Domain, b.domain.Name, extra)
			return
		case len(b.name) >= 5 && !b.word && !isDigits(b.name) && editClose(label, b.name):
			// Not for word brands: the neighbours of court are count and courts.
			res.add("edit-distance", 70, "域名 %s 与 %s（%s）只差一两个字母", etld1, b.domain.Domain, b.domain.Name)
			return
		case len(b.name) == 4 && swapped(label, b.name):
			res.add("swapped", 70, "域名 %s 与 %s（%s）仅调换了相邻字母", etld1, b.domain.Domain, b.domain.Name)
			return
		case len(b.name) >= 4 && labelSkeleton == b.skeleton:
			res.add("confusable-ascii", 70, "域名 %s 用形近字符（如 0/o、1/l、rn/m）仿冒 %s（%s）", etld1, b.domain.Domain, b.domain.Name)
			return
		}
	}
	if gov {
		res.add("gov-words", 60, "域名 %s 含“gov”政府字样，但政府网站只使用 .gov.cn", etld1)
		return
	}
	for _, t := range regTokens {
		if govWords[t] {
			res.add("gov-words", 35, "域名 %s 含“%s”，冒充法院、公安、检察等机构的常见写法", etld1, t)
			return
		}
	}
	var found []string
	for _, w := range lureHostWords {
		if (len(w) >= 4 && strings.Contains(squashed, w)) || hasToken(regTokens, w) {
			found = append(found, w)
		}
	}
	if len(found) > 0 {
		if len(found) > 2 {
			found = found[:2]
		}
		res.add("lure-host", 25*len(found), "域名 %s 含诱导性词语“%s”", etld1, strings.Join(found, "”“"))
		return
	}
	// Lure words in the subdomains (login.bank.verify.example.com) count
	// less: genuine sites have login.example.com.
	subTokens := tokens(sub)
	for _, w := range lureHostWords {
		if hasToken(subTokens, w) {
			found = append(found, w)
		}
	}
	if len(found) > 0 {
		res.add("lure-subdomain", 15, "子域名含诱导性词语“%s”", found[0])
	}
}

func containsBrand(regTokens []string, squashed string, b brand) bool {
	if b.word {
		return hasToken(regTokens, b.name)
	}
	return strings.Contains(squashed, b.name)
}

func hasGovWord(regTokens []string, except string) bool {
	for _, t := range regTokens {
		if t != except && govWords[t] {
			return true
		}
	}
	return false
}

func hasToken(ts []string, w string) bool {
	for _, t := range ts {
		if t == w {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// editClose reports an optimal-string-alignment (Damerau–Levenshtein)
// distance of 1 between a and b, or 2 for names of nine letters or more.
func editClose(a, b string) bool {
	if a == b {
		return false
	}
	limit := 1
	if len(b) >= 9 {
		limit = 2
	}
	if d := len(a) - len(b); d > limit || -d > limit {
		return false
	}
	return osaDistance(a, b) <= limit
}

func osaDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// swapped reports a and b equal but for two adjacent letters exchanged.
func swapped(a, b string) bool {
	if len(a) != len(b) || a == b {
		return false
	}
	for i := 0; i+1 < len(a); i++ {
		if a[i] != b[i] {
			return a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
		}
	}
	return false
}

// structure looks at the shape of the name: deep subdomains, the
// top-level domain, free hosting and link shorteners.
func (c *Checker) structure(res *Result, ascii, etld1, suffix string, icann bool) {
	sub := strings.TrimSuffix(strings.TrimSuffix(ascii, etld1), ".")
	if sub != "" {
		n := strings.Count(sub, ".") + 1
		switch {
		case n >= 5:
			res.add("deep-subdomains", 35, "子域名多达 %d 层，常用来把真实域名挤出手机屏幕", n)
		case n >= 3:
			res.add("deep-subdomains", 20, "子域名有 %d 层，较少见", n)
		}
	}
	tld := suffix[strings.LastIndexByte(suffix, '.')+1:]
	if suspiciousTLDs[tld] {
		res.add("suspicious-tld", 30, "顶级域名 .%s 注册便宜、审核宽松，常被诈骗网站使用", tld)
	}
	if !icann {
		res.add("free-hosting", 25, "网站建在公共托管平台 %s 上，任何人都可以免费建站", suffix)
	}
	host := strings.TrimPrefix(ascii, "www.")
	if shorteners[host] || shorteners[etld1] {
		res.add("shortener", 35, "短链接（%s），离线无法确认真实去向，请勿直接打开", host)
	}
}

// pathWords looks for lure words in the path and query.
func (c *Checker) pathWords(res *Result, u *url.URL) {
	p := strings.ToLower(u.EscapedPath() + "?" + u.RawQuery)
	for _, w := range lurePathWords {
		if (len(w) >= 4 && strings.Contains(p, w)) || hasToken(tokens(p), w) {
			res.add("lure-path", 15, "链接路径含诱导性词语“%s”", w)
			return
		}
	}
}
