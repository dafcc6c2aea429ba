package lawref

import "strconv"

// parseArticleNumber reads an article number written in Arabic digits or in
// Chinese numerals (一百八十八, 二百一十二, 一千二百六十, 十二, 两百).
// It returns 0 when the text is not a number.
func parseArticleNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	digits := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	units := map[rune]int{'十': 10, '百': 100, '千': 1000}
	total, current := 0, 0
	seen := false
	for _, r := range s {
		if d, ok := digits[r]; ok {
			current = d
			seen = true
			continue
		}
		u, ok := units[r]
		if !ok {
			return 0
		}
		if current == 0 {
			current = 1 // 十二 = 12
		}
		total += current * u
		current = 0
		seen = true
	}
	if !seen {
		return 0
	}
	return total + current
}
