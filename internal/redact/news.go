package redact

import "regexp"

// newsMarker shows that a sentence reports public news (据报道, 媒体报道,
// 官方通报, 上市公司公告 …). The people and companies it names are the
// subjects of public news, not the lawyer's clients, and are left alone.
var newsMarker = regexp.MustCompile(`据[^。！？；\n]{0,8}报道|媒体报道|新闻报道|官方通报|警方通报|通报称|发布公告|公告称|上市公司|热搜|央视|新华社|人民日报`)

// dropNewsSubjects removes the person and organisation candidates found by
// heuristics in sentences that report public news. Names from the client
// book (confidence 1) stay: a client in the news is still a client.
func dropNewsSubjects(text string, triggers []trigger, cands []Finding) []Finding {
	// Find the news sentences first: the regular expression runs only on
	// the sentences that hold one of its literal words.
	var news []span
	off := 0
	for _, tr := range triggers {
		if tr.kind != TypeOrg || tr.pos < off {
			continue
		}
		s, e := sentenceAround(text, tr.pos)
		off = e
		if newsMarker.MatchString(text[s:e]) {
			news = append(news, span{s, e})
		}
	}
	if len(news) == 0 {
		return cands
	}
	out := cands[:0]
	for _, c := range cands {
		if (c.Type == TypePerson || c.Type == TypeOrg) && c.Confidence < 1 && inSpans(news, c.Start) {
			continue
		}
		out = append(out, c)
	}
	return out
}

func inSpans(spans []span, i int) bool {
	for _, s := range spans {
		if i >= s.start && i < s.end {
			return true
		}
	}
	return false
}

// newsWords are the literal parts of newsMarker, searched for first.
var newsWords = []string{"报道", "通报", "公告", "上市公司", "热搜", "央视", "新华社", "人民日报"}
