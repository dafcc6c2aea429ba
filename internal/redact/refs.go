package redact

import (
	"strings"
	"unicode/utf8"
)

// refSuffixes turn a surname into a reference to one person: 周总, 李姐,
// 王哥, 张经理, 刘老板. Longest first.
var refSuffixes = []string{"总经理", "总监", "经理", "老板", "大姐", "大哥", "阿姨", "总", "哥", "姐", "叔"}

// refOf returns the surname of a reference such as 李总, "" when s is not one.
func refOf(s string) string {
	n := surnameLen(s, true)
	if n == 0 {
		return ""
	}
	for _, suf := range refSuffixes {
		if s[n:] == suf {
			return s[:n]
		}
	}
	return ""
}

// scanReferences finds surname + 总/哥/姐/经理/老板 used as a name, and
// children's names (scanNicknames, scanChildNames): one pass over the
// words, cheap tests first.
func scanReferences(text string, toks []token, out []Finding) []Finding {
	for k, t := range toks {
		if !t.han {
			continue
		}
		r, _ := utf8.DecodeRuneInString(t.text)
		if t.runes <= 2 && (t.runes == 2 && reduplicated(t.text) || t.runes == 1 && k+1 < len(toks) && toks[k+1].text == t.text) {
			out = nicknameAt(text, toks, k, out)
			continue
		}
		if k > 0 && toks[k-1].end == t.start && childWord(toks[k-1].text) {
			out = childNameAt(text, toks, k, out)
		}
		if !mayStartName(r) {
			continue
		}
		p := t.start
		sl := surnameLen(text[p:], true)
		rare := false
		if sl == 0 {
			// A rarer surname (祁经理, 卫哥) is a reference only at the start
			// of a clause or after a word that introduces a person.
			if sl = surnameLen(text[p:], false); sl == 0 || !(clauseStart(text[:p]) || leftSuffixes.match(text[:p]) || roleSuffixes.match(text[:p])) {
				continue
			}
			rare = true
		}
		if next, _ := utf8.DecodeRuneInString(text[p+sl:]); !strings.ContainsRune("总哥姐经老大阿叔", next) {
			continue
		}
		rest := text[p+sl:]
		for _, suf := range refSuffixes {
			if !strings.HasPrefix(rest, suf) {
				continue
			}
			end := p + sl + len(suf)
			// 杜总和蔡经理: gse reads 总和 (sum); the conjunction ends it.
			merged := false
			if g := tokenAt(toks, p+sl); g < len(toks) && toks[g].start == p+sl {
				gt := toks[g].text
				merged = len(gt) > len(suf) && strings.HasPrefix(gt, suf) && strings.ContainsAny(gt[len(suf):], "和与及跟") && utf8.RuneCountInString(gt) == utf8.RuneCountInString(suf)+1
			}
			weak := suf == "总" || suf == "哥" || suf == "姐" || suf == "叔"
			if rare && (weak && followScore(text, toks, end) == 0 || t.end == end && !nameTag(t.pos) && freq(t) >= 100) {
				break // 阿哥: a word, not a reference
			}
			if !merged && (!tokenBoundary(toks, end, len(text)) || weak && followScore(text, toks, end) == 0 && !verbalNext(toks, end)) {
				break
			}
			// A word like 高总 inside 提高总量 never starts at p; a word
			// that merges surname and suffix (王哥) is fine, but not one
			// that goes on past the suffix.
			if t.end > end && !merged {
				break
			}
			if k > 0 && toks[k-1].end == p && strings.HasSuffix(toks[k-1].text, "某") {
				break
			}
			out = append(out, Finding{Type: TypePerson, Start: p, End: end, Text: text[p:end], Confidence: 0.8})
			break
		}
	}
	return out
}

// verbalNext reports whether the word at offset is a verb, an adjective or
// a function word (李总很满意, 周总同意).
func verbalNext(toks []token, offset int) bool {
	k := tokenAt(toks, offset)
	if k >= len(toks) || toks[k].start != offset {
		return false
	}
	c := tagClass(toks[k].pos)
	return c == tagFunction || c == tagVerbal
}

// firstRef returns the reference suffix s starts with, "" for none.
func firstRef(s string) string {
	for _, suf := range refSuffixes {
		if strings.HasPrefix(s, suf) {
			return suf
		}
	}
	return ""
}

// reduplicated reports whether s is two equal Han characters (朵朵).
func reduplicated(s string) bool {
	r1, n := utf8.DecodeRuneInString(s)
	r2, m := utf8.DecodeRuneInString(s[n:])
	return n+m == len(s) && r1 == r2 && isHanRune(r1)
}

// notNicknames are reduplicated words that are not children's names.
const notNicknames = "天常刚渐慢每人往明偏仅好看试谢妈爸哥姐弟妹爷奶宝姥叔舅姑婶姨伯嫂公婆爹娘星个样处时轻悄默稍统早久多大小点哈嘻呵乖快平白红绿高深远长短年月日家户事字句步层条件次回"

// nicknameAt finds a child's pet name (朵朵, 乐乐) at toks[k] in a
// sentence that also gives an age, a school or a class.
func nicknameAt(text string, toks []token, k int, out []Finding) []Finding {
	t := toks[k]
	// gse keeps a pet name it knows as one word and splits others into
	// two one-character words.
	if t.runes == 1 && k+1 < len(toks) && toks[k+1].text == t.text && toks[k+1].start == t.end {
		t = token{start: t.start, end: toks[k+1].end, text: text[t.start:toks[k+1].end], pos: "nr", id: -1, runes: 2, han: true}
	}
	if t.runes != 2 || !reduplicated(t.text) {
		return out
	}
	if k > 0 && toks[k-1].end == t.start && surnameLen(toks[k-1].text, false) == len(toks[k-1].text) {
		return out // 欧阳|娜娜: the given name of a full name
	}
	r, _ := utf8.DecodeRuneInString(t.text)
	if strings.ContainsRune(notNicknames, r) {
		return out
	}
	if c := tagClass(t.pos); c == tagFunction && freq(t) > 200 || c == tagVerbal && freq(t) > 50 {
		return out
	}
	if s, e := sentenceAround(text, t.start); !containsAny(text[s:e], childSignals) {
		return out
	}
	return append(out, Finding{Type: TypePerson, Start: t.start, End: t.end, Text: t.text, Confidence: 0.85})
}

// childSignals show that a sentence is about a child.
var childSignals = []string{"岁", "幼儿园", "小学", "年级", "班", "上学", "放学", "孩子", "女儿", "儿子", "小名", "乳名"}

// childWord reports whether a word introduces a child by given name only
// (儿子天宇).
func childWord(w string) bool {
	switch w {
	case "儿子", "女儿", "孩子", "孙子", "孙女", "外孙", "外孙女", "小儿子", "大女儿", "小女儿", "大儿子":
		return true
	}
	return false
}

// childNameAt finds a two-character given name at toks[k], right after
// 儿子/女儿, in a sentence that gives the child's age, school or class.
func childNameAt(text string, toks []token, k int, out []Finding) []Finding {
	t := toks[k]
	end := t.end
	switch {
	case t.runes == 2:
	case t.runes == 1 && k+1 < len(toks) && toks[k+1].han && toks[k+1].runes == 1:
		end = toks[k+1].end
	default:
		return out
	}
	name := text[t.start:end]
	if reduplicated(name) || !nameTag(t.pos) && t.runes == 2 && (freq(t) >= 300 || t.pos == "v") {
		return out
	}
	for _, r := range name {
		if classOf(r)&classStop != 0 || strings.ContainsRune("今年已才刚在也都还", r) {
			return out
		}
	}
	if followScore(text, toks, end) == 0 && !strings.HasPrefix(text[end:], "今年") {
		return out
	}
	if s, e := sentenceAround(text, t.start); !containsAny(text[s:e], childSignals) {
		return out
	}
	return append(out, Finding{Type: TypePerson, Start: t.start, End: end, Text: name, Confidence: 0.8})
}
