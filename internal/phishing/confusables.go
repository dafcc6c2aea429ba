package phishing

import (
	"strings"
	"unicode"
)

// confusables maps characters to the Latin letters or digits they are
// drawn like. It is the subset of Unicode's confusables.txt (UTS #39,
// "Unicode Security Mechanisms", version 15.1.0,
// https://www.unicode.org/Public/security/15.1.0/confusables.txt) whose
// targets are lower-case ASCII letters, restricted to the Cyrillic, Greek,
// Armenian and Latin-extension characters that occur in registered
// homograph domains, plus the ASCII pairs of the same file (0→o, 1→l,
// m→rn, which is why "rn" in a host compares equal to "m"). Upper-case
// sources are omitted: hosts are lower-cased before the skeleton is taken.
var confusables = map[rune]string{
	// Cyrillic.
	'а': "a", 'в': "b", 'е': "e", 'ё': "e", 'һ': "h", 'і': "i", 'ї': "i", 'ј': "j",
	'к': "k", 'ӏ': "l", 'м': "m", 'н': "h", 'о': "o", 'р': "p", 'с': "c", 'ԛ': "q",
	'ѕ': "s", 'т': "t", 'у': "y", 'ԝ': "w", 'х': "x", 'ԁ': "d", 'ɡ': "g", 'ь': "b",
	'ү': "y", 'ѵ': "v", 'ԍ': "g", 'ո': "n", 'ս': "u", 'օ': "o", 'ց': "g", 'հ': "h",
	// Greek.
	'α': "a", 'β': "b", 'γ': "y", 'ε': "e", 'ι': "i", 'κ': "k", 'ν': "v", 'ο': "o",
	'ρ': "p", 'τ': "t", 'υ': "u", 'χ': "x", 'ϲ': "c", 'ϳ': "j", 'η': "n", 'ω': "w",
	// Latin extensions and letter-like symbols.
	'ı': "i", 'ȷ': "j", 'ɩ': "i", 'ɑ': "a", 'ℓ': "l", 'ǀ': "l", 'ɪ': "i",
	'ạ': "a", 'ḅ': "b", 'ḍ': "d", 'ẹ': "e", 'ḥ': "h", 'ị': "i", 'ḳ': "k", 'ḷ': "l",
	'ṃ': "m", 'ṇ': "n", 'ọ': "o", 'ṛ': "r", 'ṣ': "s", 'ṭ': "t", 'ụ': "u", 'ṿ': "v",
	'ẉ': "w", 'ỵ': "y", 'ẓ': "z", 'à': "a", 'á': "a", 'â': "a", 'ä': "a", 'ç': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ò': "o", 'ó': "o", 'ô': "o", 'ö': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ü': "u",
	'ñ': "n", 'ý': "y", 'ÿ': "y",
	// ASCII pairs of confusables.txt.
	'0': "o", '1': "l", 'm': "rn",
}

// skeleton is the UTS #39 skeleton of s restricted to the table above:
// two strings with the same skeleton are drawn alike.
func skeleton(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if t, ok := confusables[r]; ok {
			b.WriteString(t)
			continue
		}
		if unicode.Is(unicode.Mn, r) { // combining marks draw nothing new
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// scriptsOf names the scripts of the letters of a label; digits, the
// hyphen and combining marks belong to every script and are skipped.
func scriptsOf(label string) map[string]bool {
	out := map[string]bool{}
	for _, r := range label {
		switch {
		case r < 0x80:
			if unicode.IsLetter(r) {
				out["Latin"] = true
			}
		case unicode.Is(unicode.Latin, r):
			out["Latin"] = true
		case unicode.Is(unicode.Han, r):
			out["Han"] = true
		case unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
			out["Kana"] = true
		case unicode.Is(unicode.Hangul, r):
			out["Hangul"] = true
		case unicode.Is(unicode.Bopomofo, r):
			out["Bopomofo"] = true
		case unicode.Is(unicode.Cyrillic, r):
			out["Cyrillic"] = true
		case unicode.Is(unicode.Greek, r):
			out["Greek"] = true
		case unicode.Is(unicode.Armenian, r):
			out["Armenian"] = true
		case unicode.IsLetter(r):
			out["Other"] = true
		}
	}
	return out
}

// mixedScripts reports whether a label mixes scripts in a way Chrome's IDN
// display policy (its "highly restrictive" profile of UTS #39 §5.2) does
// not show as Unicode: one script alone is fine, and so is Latin with the
// CJK scripts (Han with Kana, Hangul or Bopomofo), as in 中国ABC; Latin with
// Cyrillic, Greek or Armenian is not.
func mixedScripts(label string) bool {
	sc := scriptsOf(label)
	if len(sc) <= 1 {
		return false
	}
	delete(sc, "Latin")
	delete(sc, "Han")
	delete(sc, "Kana")
	if len(sc) == 0 {
		return false
	}
	if len(sc) == 1 && (sc["Hangul"] || sc["Bopomofo"]) {
		return false
	}
	return true
}

// wholeScriptConfusable reports a label written entirely in a non-Latin
// script whose letters all look like Latin ones (аррӏе): Chrome shows such
// labels as punycode unless the top-level domain is in the same script.
func wholeScriptConfusable(label string) bool {
	sc := scriptsOf(label)
	if len(sc) != 1 || sc["Latin"] || sc["Han"] || sc["Kana"] || sc["Hangul"] || sc["Other"] {
		return false
	}
	for _, r := range label {
		if r < 0x80 {
			continue
		}
		if _, ok := confusables[r]; !ok {
			return false
		}
	}
	return true
}
