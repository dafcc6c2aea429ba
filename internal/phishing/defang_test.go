package phishing

import (
	"strings"
	"testing"
)

func TestDefang(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://court-gov-cn.top/login?a=b.c", "hxxps://court-gov-cn[.]top/login?a=b.c"},
		{"HTTP://39.98.123.45:8080/x", "hxxp://39[.]98[.]123[.]45:8080/x"},
		{"court-gov-cn.top/login", "court-gov-cn[.]top/login"},
		{"https://www.icbc.com.cn@evil.top/", "hxxps://www[.]icbc[.]com[.]cn[@]evil[.]top/"},
		{"t.cn/A6aBcD", "t[.]cn/A6aBcD"},
		{"http://[2001:db8::1]/a", "hxxp://[2001:db8::1]/a"},
	} {
		if got := Defang(tc.in); got != tc.want {
			t.Errorf("Defang(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Nothing the extractor finds in a defanged URL is the original link.
	for _, u := range []string{"https://court-gov-cn.top/login", "http://12368-gov.com/x", "icbc-login.com"} {
		for _, l := range Extract("请点击 " + Defang(u) + " 查看") {
			if strings.Contains(l.URL, strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")) {
				t.Errorf("defanged %q still yields link %q", u, l.URL)
			}
		}
	}
}
