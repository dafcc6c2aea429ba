package phishing

import "strings"

// Defang rewrites a URL so that nothing turns it back into a link by
// itself (chat apps, mail clients and browsers auto-link text): the scheme
// becomes hxxp/hxxps, every dot of the host becomes [.], and an '@' [@].
// People can still read it; to open it they must retype or reveal it.
func Defang(raw string) string {
	rest := raw
	var b strings.Builder
	lower := strings.ToLower(rest)
	switch {
	case strings.HasPrefix(lower, "https://"):
		b.WriteString("hxxps://")
		rest = rest[len("https://"):]
	case strings.HasPrefix(lower, "http://"):
		b.WriteString("hxxp://")
		rest = rest[len("http://"):]
	case strings.HasPrefix(lower, "ftp://"):
		b.WriteString("fxp://")
		rest = rest[len("ftp://"):]
	}
	// The authority ends at the first '/', '?' or '#'.
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host := strings.NewReplacer(".", "[.]", "。", "[.]", "．", "[.]", "@", "[@]").Replace(rest[:end])
	b.WriteString(host)
	b.WriteString(rest[end:])
	return b.String()
}
