package phishing

import (
	"reflect"
	"testing"
)

func TestExtract(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"court delivery SMS, scheme and fragment", "【北京市朝阳区人民法院】王某某：您有一份（2026）京0105民初12345号案件的电子送达文书，请点击https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh=A1B2&sdbh=99查看。",
			[]string{"https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh=A1B2&sdbh=99"}},
		{"no scheme, full-width comma ends it", "请登录court-gov-cn.top/login，逾期将冻结账户", []string{"court-gov-cn.top/login"}},
		{"full-width parenthesis and Chinese full stop", "详见www.12368.gov.cn（诉讼服务网）。另见 www.baidu.com。", []string{"www.12368.gov.cn", "www.baidu.com"}},
		{"ASCII sentence punctuation trimmed", "Visit https://www.icbc.com.cn/, then (see t.cn/A6aBcD).", []string{"https://www.icbc.com.cn/", "t.cn/A6aBcD"}},
		{"short links", "短链 t.cn/A6aBcD 或 https://url.cn/5xyz 或 dwz.cn/AbC", []string{"t.cn/A6aBcD", "https://url.cn/5xyz", "dwz.cn/AbC"}},
		{"IPv4 and IPv6 literals", "打开 http://[2001:db8::1]:8080/x 或 192.168.1.1/a 或 [2408:8207::1]", []string{"http://[2001:db8::1]:8080/x", "192.168.1.1/a", "[2408:8207::1]"}},
		{"punycode and Cyrillic IDN", "https://xn--80ak6aa92e.com/ 以及 http://аррӏе.com", []string{"https://xn--80ak6aa92e.com/", "http://аррӏе.com"}},
		{"Han ends a URL without scheme", "点击etc-renzheng.top办理", []string{"etc-renzheng.top"}},
		{"e-mail is not a link", "邮箱zhang.san@example.com，网站lvshi.com.cn", []string{"lvshi.com.cn"}},
		{"@ disguise is a link", "请访问court.gov.cn@evil.top/notice查看", []string{"court.gov.cn@evil.top/notice"}},
		{"two URLs glued together", "https://a.com/xhttps://b.cn/y", []string{"https://a.com/x", "https://b.cn/y"}},
		{"not URLs: file names, versions, decimals", "附件合同.docx，版本v1.2.3，金额3.14万元，见file.txt", nil},
		{"full-width letters are not a URL", "ｗｗｗ．ｃｏｕｒｔ．ｇｏｖ．ｃｎ", nil},
		{"upper-case scheme", "HTTPS://WWW.ICBC.COM.CN/", []string{"HTTPS://WWW.ICBC.COM.CN/"}},
		{"bare scheme", "http:// 和 https://", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, l := range Extract(tc.text) {
				if tc.text[l.Start:l.End] != l.URL {
					t.Errorf("offsets %d:%d give %q, not %q", l.Start, l.End, tc.text[l.Start:l.End], l.URL)
				}
				got = append(got, l.URL)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Extract(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}
