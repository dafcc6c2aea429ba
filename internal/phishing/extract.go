package phishing

import (
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

// Link is a URL found in a text; Start and End are byte offsets, so
// text[Start:End] == URL.
type Link struct {
	URL   string `json:"url"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// maxURLBytes bounds one extracted URL; longer runs are cut there.
const maxURLBytes = 4096

// Extract finds the URLs in a Chinese message: with or without a scheme,
// ending at Chinese punctuation, full-width characters or Han text, short
// links (t.cn/…), IPv4 and bracketed IPv6 literals, punycode and IDN hosts
// written in Latin, Cyrillic or Greek letters. E-mail addresses are not
// URLs and are skipped.
func Extract(text string) []Link {
	var links []Link
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !urlRune(r) {
			i += size
			continue
		}
		j := i
		for j < len(text) && j-i < maxURLBytes {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !urlRune(r) {
				break
			}
			j += size
		}
		links = append(links, linksInRun(text[i:j], i)...)
		i = j
	}
	return links
}

// urlRune reports whether r may be part of a URL as people paste it into
// a message: printable ASCII except space, quotes and angle brackets, and
// non-ASCII letters of the alphabetic scripts (IDN hosts such as аррӏе.com).
// Han, Kana, Hangul and every full-width character end a URL.
func urlRune(r rune) bool {
	if r < 0x80 {
		return r > ' ' && r < 0x7f && !strings.ContainsRune("\"<>\\^`{|}", r)
	}
	if r >= 0x2E80 { // CJK, full-width forms, and everything above
		return false
	}
	return unicode.In(r, unicode.Latin, unicode.Cyrillic, unicode.Greek, unicode.Armenian, unicode.Mn)
}

// linksInRun finds the URLs in one run of URL characters beginning at
// byte offset base of the text.
func linksInRun(run string, base int) []Link {
	var out []Link
	for len(run) > 0 {
		start, end, ok := nextURL(run)
		if !ok {
			break
		}
		out = append(out, Link{URL: run[start:end], Start: base + start, End: base + end})
		run, base = run[end:], base+end
	}
	return out
}

// nextURL finds the first URL of a run, as [start, end).
func nextURL(run string) (int, int, bool) {
	lower := strings.ToLower(run)
	// A scheme anywhere in the run starts a URL there.
	if k := schemeIndex(lower); k >= 0 {
		// Text before the scheme may itself hold a bare URL.
		if s, e, ok := bareURL(run[:k]); ok {
			return s, e, true
		}
		limit := len(run)
		if next := schemeIndex(lower[k+len("http://"):]); next >= 0 {
			limit = k + len("http://") + next // a second URL glued to the first
		}
		end := k + trimURLEnd(run[k:limit])
		if hostOf(run[k:end]) != "" {
			return k, end, true
		}
		// A bare scheme with nothing after it: skip past it.
		skip := k + strings.Index(lower[k:], "//") + 2
		s, e, ok := nextURL(run[skip:])
		return skip + s, skip + e, ok
	}
	return bareURL(run)
}

func schemeIndex(lower string) int {
	best := -1
	for _, s := range []string{"https://", "http://"} {
		if k := strings.Index(lower, s); k >= 0 && (best < 0 || k < best) {
			best = k
		}
	}
	return best
}

// bareURL finds a URL without a scheme: a host name with a known public
// suffix, an IPv4 literal or a bracketed IPv6 literal, optionally with a
// port, path, query and fragment.
func bareURL(run string) (int, int, bool) {
	for i := 0; i < len(run); {
		// A candidate starts at a letter, digit or '[' after a non-host character.
		r, size := utf8.DecodeRuneInString(run[i:])
		if !(hostRune(r) || r == '[') || r == '-' || r == '.' {
			i += size
			continue
		}
		if i > 0 && run[i-1] == '@' {
			// The domain of an e-mail address, or of a disguise already rejected.
			i += size + hostRunLen(run[i+size:])
			continue
		}
		end := i + trimURLEnd(run[i:])
		if k := strings.Index(run[i:end], "://"); k >= 0 {
			end = i + k // an unknown scheme is not part of a bare URL
		}
		if end > i {
			if h := hostOf(run[i:end]); h != "" && plausibleBareHost(h, run[i:end]) {
				return i, end, true
			}
		}
		// Skip to the next host boundary.
		i += hostRunLen(run[i:])
		if i < len(run) {
			_, size := utf8.DecodeRuneInString(run[i:])
			if run[i] != '@' {
				i += size
			}
		}
	}
	return 0, 0, false
}

// hostRunLen is the length of the host characters that begin s.
func hostRunLen(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !hostRune(r) {
			break
		}
		n += size
	}
	return n
}

func hostRune(r rune) bool {
	return r == '-' || r == '.' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// plausibleBareHost decides whether a host without a scheme is meant as a
// link: an IP literal, or a name of at least two labels whose public suffix
// is a real one (so 例如 file.txt and v1.2 are not links). An address with
// '@' is an e-mail address unless what precedes '@' is itself a host name
// (court.gov.cn@evil.top), the classic disguise.
func plausibleBareHost(host, cand string) bool {
	if at := strings.IndexByte(cand, '@'); at >= 0 {
		slash := strings.IndexAny(cand, "/?#")
		if slash < 0 || at < slash {
			user := cand[:at]
			if !knownSuffixHost(strings.ToLower(user)) {
				return false
			}
		}
	}
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return strings.Count(host, ".") == 3 || strings.Contains(host, ":")
	}
	return knownSuffixHost(host)
}

func knownSuffixHost(host string) bool {
	host = strings.TrimSuffix(host, ".")
	if !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		return false
	}
	ascii, err := toASCII(host)
	if err != nil {
		return false
	}
	suffix, icann := publicsuffix.PublicSuffix(ascii)
	if !icann && !strings.Contains(suffix, ".") {
		return false // the default rule "*": no such top-level domain
	}
	return len(suffix) < len(ascii)
}

// hostOf returns the lower-case host of a URL candidate, with or without a
// scheme, or "" when it has none.
func hostOf(cand string) string {
	s := cand
	if k := strings.Index(s, "://"); k >= 0 {
		s = s[k+3:]
	}
	if k := strings.IndexAny(s, "/?#"); k >= 0 {
		s = s[:k]
	}
	if k := strings.LastIndexByte(s, '@'); k >= 0 {
		s = s[k+1:]
	}
	if strings.HasPrefix(s, "[") {
		k := strings.IndexByte(s, ']')
		if k < 0 {
			return ""
		}
		if _, err := netip.ParseAddr(s[1:k]); err != nil {
			return ""
		}
		return strings.ToLower(s[:k+1])
	}
	if k := strings.LastIndexByte(s, ':'); k >= 0 {
		s = s[:k]
	}
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if s == "" {
		return ""
	}
	for _, r := range s {
		if !hostRune(r) {
			return ""
		}
	}
	return s
}

// trimURLEnd returns the length of the candidate without the punctuation
// that ends a sentence rather than a URL: trailing . , ; : ! ? ' and
// closing brackets that were not opened inside the URL.
func trimURLEnd(cand string) int {
	end := len(cand)
	for end > 0 {
		c := cand[end-1]
		switch c {
		case '.', ',', ';', ':', '!', '?', '\'', '*':
			end--
			continue
		case ')', ']':
			open := byte('(')
			if c == ']' {
				open = '['
			}
			if strings.Count(cand[:end], string(open)) < strings.Count(cand[:end], string(c)) {
				end--
				continue
			}
		}
		break
	}
	return end
}
