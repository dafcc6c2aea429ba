package phishing

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"【北京市朝阳区人民法院】请点击https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh=A1B2查看。",
	"请登录court-gov-cn.top/login，逾期冻结",
	"http://court.gov.cn@1.2.3.4/x 与 [2001:db8::1]:8080",
	"t.cn/A6aBcD、https://xn--80ak6aa92e.com/、http://аррӏе.com",
	"zhang.san@example.com court.gov.cn@evil.top",
	"https://a.com/xhttps://b.cn/y",
	"http://[::ffff:1.2.3.4]/ http://[zz]/ http://a..b.com/ http://-a.com/",
	"(see https://www.icbc.com.cn/a_(b)).",
	"http://",
	"\xff\xfehttp://a.com",
}

// FuzzExtract: every link is a real slice of the text, valid UTF-8,
// in order and not overlapping, and scoring it never fails.
func FuzzExtract(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		prev := 0
		for _, l := range Extract(text) {
			if l.Start < prev || l.End <= l.Start || l.End > len(text) {
				t.Fatalf("bad offsets %d:%d after %d in %q", l.Start, l.End, prev, text)
			}
			if text[l.Start:l.End] != l.URL {
				t.Fatalf("offsets %d:%d do not give %q", l.Start, l.End, l.URL)
			}
			if !utf8.ValidString(l.URL) || len(l.URL) > maxURLBytes {
				t.Fatalf("invalid link %q", l.URL)
			}
			prev = l.End
		}
		for _, r := range CheckText(text) {
			checkResult(t, r)
		}
	})
}

// FuzzScore: any string gets a consistent result: the score is the sum of
// the reasons capped at 100, the verdict follows the thresholds, official
// links score 0, and the same input gives the same result.
func FuzzScore(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range []string{"http://аlipay.com/", "www.iccb.com", "abchlna.com", "http://39.98.123.45/", "https://www.gov.cn/", "xn--", "http://xn--zz.com/", "http://a.b.c.d.e.f.g.example.top:8080/login?etc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := Score(raw)
		checkResult(t, r)
		again := Score(raw)
		if again.Score != r.Score || again.Verdict != r.Verdict || len(again.Reasons) != len(r.Reasons) {
			t.Fatalf("not deterministic: %+v vs %+v", r, again)
		}
	})
}

func checkResult(t *testing.T, r Result) {
	t.Helper()
	sum := 0
	for _, x := range r.Reasons {
		if x.Points < 0 || x.Message == "" || x.Code == "" {
			t.Fatalf("bad reason %+v", x)
		}
		sum += x.Points
	}
	if sum > 100 {
		sum = 100
	}
	if r.Score != sum {
		t.Fatalf("score %d is not the sum %d of %+v", r.Score, sum, r.Reasons)
	}
	want := Safe
	switch {
	case sum >= PhishingScore:
		want = Phishing
	case sum >= SuspiciousScore:
		want = Suspicious
	}
	if r.Verdict != want {
		t.Fatalf("verdict %s for score %d", r.Verdict, r.Score)
	}
	if r.Official != "" && r.Score != 0 {
		t.Fatalf("official link with score %d: %+v", r.Score, r)
	}
	if r.Official != "" && !strings.HasSuffix(r.Host, "gov.cn") && !strings.Contains(r.Reasons[0].Message, "官方域名") {
		t.Fatalf("official without its reason: %+v", r)
	}
}
