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

// cnArticle writes an article number in Chinese numerals as statutes do:
// 680 -> 六百八十, 105 -> 一百零五, 15 -> 十五, 1260 -> 一千二百六十.
func cnArticle(n int) string {
	if n <= 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	const digits = "零一二三四五六七八九"
	d := func(i int) string { return string([]rune(digits)[i]) }
	units := []string{"千", "百", "十", ""}
	vals := []int{n / 1000, n / 100 % 10, n / 10 % 10, n % 10}
	var b []byte
	zero := false
	started := false
	for i, v := range vals {
		if v == 0 {
			if started {
				zero = true
			}
			continue
		}
		if zero {
			b = append(b, "零"...)
			zero = false
		}
		if !(i == 2 && v == 1 && !started) { // 十五, not 一十五
			b = append(b, d(v)...)
		}
		b = append(b, units[i]...)
		started = true
	}
	return string(b)
}
