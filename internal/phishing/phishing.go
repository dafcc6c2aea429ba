// Package phishing finds the links in a message and scores each one offline
// for the marks of a phishing link: IP literals, IDN homographs and mixed
// scripts, lookalikes of protected domains (courts, procuratorates, police,
// government, banks, payments, WeChat), protected names used as subdomains
// of a foreign domain, '@' disguises, deep subdomains, cheap top-level
// domains, free hosting and link shorteners. Every point of a score comes
// with a reason in Chinese. It is a pure rules package: no I/O.
package phishing

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Verdict is the conclusion about one link.
type Verdict string

const (
	Safe       Verdict = "safe"
	Suspicious Verdict = "suspicious"
	Phishing   Verdict = "phishing"
)

// Thresholds of the score (0–100) for each verdict.
const (
	SuspiciousScore = 30
	PhishingScore   = 60
)

// Label is the Chinese name of a verdict.
func (v Verdict) Label() string {
	switch v {
	case Phishing:
		return "钓鱼"
	case Suspicious:
		return "可疑"
	default:
		return "未见异常"
	}
}

// Reason is one mark found on a link; Points is what it adds to the score
// (0 for information such as "官方域名").
type Reason struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Points  int    `json:"points"`
}

// Result is the assessment of one link.
type Result struct {
	URL     string   `json:"url"`
	Host    string   `json:"host,omitempty"`    // as an ASCII (punycode) name
	Display string   `json:"display,omitempty"` // the host in Unicode, when it differs
	Verdict Verdict  `json:"verdict"`
	Score   int      `json:"score"`
	Reasons []Reason `json:"reasons"`
	// Official names the owner when the host belongs to a protected domain.
	Official string `json:"official,omitempty"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
}

// ErrBadDomain is returned by New for a firm domain that is not a domain name.
var ErrBadDomain = errors.New("不是有效的域名")

// Checker scores links against a list of protected domains.
type Checker struct {
	protected []Protected
	brands    []brand
}

// brand is the distinctive part of a protected domain (court, icbc,
// 12368), which imitations reuse.
type brand struct {
	name     string
	skeleton string // skeleton(name), computed once
	word     bool
	domain   Protected
}

// lookup is the strict IDNA profile hosts are converted with: UTS #46
// mapping for lookup, the Bidi rule, label validation and STD3 rules.
var lookup = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.ValidateLabels(true),
	idna.StrictDomainName(true), idna.Transitional(false))

func toASCII(host string) (string, error) { return lookup.ToASCII(host) }

var defaultChecker = mustNew()

func mustNew() *Checker {
	c, err := New()
	if err != nil {
		panic(err)
	}
	return c
}

// Default is the checker of the built-in protected list.
func Default() *Checker { return defaultChecker }

// New returns a checker of the built-in protected list plus the firm's own
// domains (its website, its mail domain), given as names like lvshi.com.cn.
func New(firmDomains ...string) (*Checker, error) {
	list := append([]Protected(nil), builtinProtected...)
	for i, d := range firmDomains {
		ascii, err := toASCII(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), "."))
		if err != nil || !knownSuffixHost(ascii) {
			return nil, fmt.Errorf("受保护域名第 %d 项 %q：%w，应为形如 example.com.cn 的域名", i+1, d, ErrBadDomain)
		}
		list = append(list, Protected{Domain: ascii, Name: "本所域名"})
	}
	c := &Checker{protected: list}
	for _, p := range list {
		if p.Domain == "gov.cn" {
			c.brands = append(c.brands, brand{name: "gov", word: true, domain: p})
			continue
		}
		// The first label is the brand: icbc of icbc.com.cn, weixin of weixin.qq.com.
		label, _, _ := strings.Cut(p.Domain, ".")
		c.brands = append(c.brands, brand{name: label, skeleton: skeleton(label), word: p.Word || len(label) < 4, domain: p})
	}
	return c, nil
}

// Score assesses one URL as written (with or without a scheme).
func Score(raw string) Result { return defaultChecker.Score(raw) }

// CheckText extracts the links of a message and scores them with the
// message as context.
func CheckText(text string) []Result { return defaultChecker.CheckText(text) }

// CheckText extracts the links of a message and scores each; lure words in
// the message (传票, 冻结, 安全账户…) raise the score of a link that is
// not official. The words alone, without a link, are not flagged.
func (c *Checker) CheckText(text string) []Result {
	links := Extract(text)
	if len(links) == 0 {
		return nil
	}
	var lures []string
	for _, w := range lureTextWords {
		if strings.Contains(text, w) {
			lures = append(lures, w)
		}
	}
	out := make([]Result, 0, len(links))
	for _, l := range links {
		res := c.Score(l.URL)
		res.Start, res.End = l.Start, l.End
		if res.Official == "" && len(lures) > 0 {
			if len(lures) > 3 {
				lures = lures[:3]
			}
			res.add("lure-text", 20, "消息中含“%s”等诱导性词语，又附有非官方链接", strings.Join(lures, "”“"))
			res.finish()
		}
		out = append(out, res)
	}
	return out
}

func (r *Result) add(code string, points int, format string, args ...any) {
	r.Reasons = append(r.Reasons, Reason{Code: code, Points: points, Message: fmt.Sprintf(format, args...)})
}

func (r *Result) finish() {
	r.Score = 0
	for _, x := range r.Reasons {
		r.Score += x.Points
	}
	if r.Score > 100 {
		r.Score = 100
	}
	switch {
	case r.Score >= PhishingScore:
		r.Verdict = Phishing
	case r.Score >= SuspiciousScore:
		r.Verdict = Suspicious
	default:
		r.Verdict = Safe
	}
	sort.SliceStable(r.Reasons, func(i, j int) bool { return r.Reasons[i].Points > r.Reasons[j].Points })
}

// Score assesses one URL as written (with or without a scheme).
func (c *Checker) Score(raw string) (res Result) {
	res = Result{URL: raw, End: len(raw), Reasons: []Reason{}}
	defer res.finish()
	s := strings.TrimSpace(raw)
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		res.add("unparsable", 40, "网址格式异常，无法识别访问的网站")
		return res
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" || strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		res.add("unparsable", 40, "网址格式异常，无法识别访问的网站")
		return res
	}
	if scheme := strings.ToLower(u.Scheme); scheme != "http" && scheme != "https" {
		res.add("scheme", 30, "不是网页链接（%s:）", scheme)
	}
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		if n, err := strconv.Atoi(p); err != nil || n > 65535 {
			res.add("port", 30, "端口号异常（%s）", p)
		} else {
			res.add("port", 15, "使用非标准端口 %s，正规机构网站很少如此", p)
		}
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		res.Host = host
		res.add("ip-host", 60, "直接使用 IP 地址（%s）而不是域名，正规机构不会这样发送链接", host)
		if addr.IsPrivate() || addr.IsLoopback() {
			res.add("ip-private", 0, "%s 是内网或本机地址", host)
		}
		c.userinfo(&res, u)
		return res
	}
	ascii, idnaErr := toASCII(host)
	if idnaErr != nil {
		// Keep going with a lenient conversion so the other checks still run.
		res.add("idna-invalid", 40, "域名不符合国际化域名（IDNA）规范")
		ascii, err = idna.Punycode.ToASCII(host)
		if err != nil {
			ascii = host
		}
	}
	res.Host = ascii
	unicodeHost, err := idna.Punycode.ToUnicode(ascii)
	if err != nil {
		unicodeHost = host
	}
	if unicodeHost != ascii {
		res.Display = unicodeHost
	}
	if p, ok := c.official(ascii); ok {
		// The host decides: an official site on another port is still official.
		res.Official = p.Name
		res.Reasons = res.Reasons[:0]
		res.add("official", 0, "官方域名：%s（%s）", p.Domain, p.Name)
		return res
	}
	etld1, err := publicsuffix.EffectiveTLDPlusOne(ascii)
	suffix, icann := publicsuffix.PublicSuffix(ascii)
	if !icann && !strings.Contains(suffix, ".") {
		// The default rule "*" of the list: no such top-level domain.
		res.add("unknown-tld", 40, "顶级域名 .%s 不存在", suffix)
		icann = true // not a hosting platform either
	}
	if err != nil {
		if !hasCode(res.Reasons, "unknown-tld") {
			res.add("bare-suffix", 30, "域名 %s 只是一个公共后缀，不属于任何机构", ascii)
		}
		return res
	}
	c.userinfo(&res, u)
	c.idn(&res, unicodeHost, ascii)
	c.lookalike(&res, ascii, etld1, suffix)
	c.structure(&res, ascii, etld1, suffix, icann)
	c.pathWords(&res, u)
	return res
}

// official finds the protected domain a host belongs to (the domain itself
// or a subdomain); every *.gov.cn host is official.
func (c *Checker) official(ascii string) (Protected, bool) {
	// The longest match names the body: court.gov.cn wins over gov.cn,
	// weixin.qq.com over qq.com.
	var best Protected
	for _, p := range c.protected {
		if (ascii == p.Domain || strings.HasSuffix(ascii, "."+p.Domain)) && len(p.Domain) > len(best.Domain) {
			best = p
		}
	}
	if best.Domain != "" {
		return best, true
	}
	if ascii == "gov.cn" || strings.HasSuffix(ascii, ".gov.cn") {
		return Protected{Domain: "gov.cn", Name: "政府网站"}, true
	}
	return Protected{}, false
}

// userinfo flags an '@' before the host: everything before it is a user
// name the browser ignores, often a protected name to mislead the reader.
func (c *Checker) userinfo(res *Result, u *url.URL) {
	if u.User == nil {
		return
	}
	user := strings.ToLower(u.User.Username())
	host := strings.ToLower(u.Hostname())
	for _, p := range c.protected {
		if user == p.Domain || strings.HasSuffix(user, "."+p.Domain) || strings.HasPrefix(user, p.Domain) {
			res.add("at-protected", 70, "网址中“@”前的 %s 只是用户名，实际访问的是 %s，冒充%s", user, host, p.Name)
			return
		}
	}
	if strings.HasSuffix(user, ".gov.cn") {
		res.add("at-protected", 70, "网址中“@”前的 %s 只是用户名，实际访问的是 %s，冒充政府网站", user, host)
		return
	}
	res.add("at-sign", 50, "网址中含“@”，“@”前的内容只是用户名，实际访问的是 %s", host)
}

func hasCode(reasons []Reason, code string) bool {
	for _, x := range reasons {
		if x.Code == code {
			return true
		}
	}
	return false
}
