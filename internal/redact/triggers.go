package redact

// The account, news and sensitive-data scans start from trigger words
// (微信, 报道, 抑郁, 岁, 每天 …). All are found in one pass over the text.

// trigger is one occurrence of a trigger word.
type trigger struct {
	pos  int
	word string
	kind Type // TypeWeChat for account words, TypeOrg for news words, else the sensitive type
}

var (
	triggerFinder = newWordFinder(concat(accountWords, newsWords, healthTerms, minorMarkers, whereaboutsMarkers))
	triggerKind   = func() map[string]Type {
		m := map[string]Type{}
		for _, w := range accountWords {
			m[w] = TypeWeChat
		}
		for _, w := range newsWords {
			m[w] = TypeOrg
		}
		for _, w := range whereaboutsMarkers {
			m[w] = TypeWhereabout
		}
		for _, w := range minorMarkers {
			m[w] = TypeMinor
		}
		for _, w := range healthTerms {
			m[w] = TypeHealth
		}
		return m
	}()
)

// findTriggers returns the trigger words of text in order.
func findTriggers(text string) []trigger {
	var out []trigger
	for off := 0; off < len(text); {
		i, w := triggerFinder.find(text, off)
		if i < 0 {
			break
		}
		out = append(out, trigger{pos: i, word: w, kind: triggerKind[w]})
		off = i + len(w)
	}
	return out
}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
