package redact

import "strings"

// ownSet holds the poster's own details, normalised for comparison.
type ownSet struct {
	values []string // as given, without surrounding space
	digits []string // the digits of phone-like values
}

func newOwnSet(values []string) ownSet {
	var s ownSet
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		s.values = append(s.values, v)
		if d := onlyDigits(v); len(d) >= 7 {
			s.digits = append(s.digits, d)
		}
	}
	return s
}

// has reports whether the finding is one of the poster's own details, or
// lies inside one (the lawyer's name inside the firm's address is not a
// client's). A person reference such as 王律师's surname alone is not enough.
func (s ownSet) has(f Finding) bool {
	if len(s.values) == 0 {
		return false
	}
	for _, v := range s.values {
		if f.Text == v || strings.Contains(v, f.Text) && len(f.Text) >= 6 || f.Type == TypeOrg && strings.Contains(f.Text, v) && len(v) >= 9 {
			return true
		}
	}
	if d := onlyDigits(f.Text); len(d) >= 7 {
		for _, o := range s.digits {
			if d == o || strings.HasSuffix(d, o) || strings.HasSuffix(o, d) {
				return true
			}
		}
	}
	return false
}

func onlyDigits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
