package phishing

import (
	"errors"
	"strings"
	"testing"
)

// TestMessages runs real-looking SMS and WeChat texts through CheckText:
// official links are not flagged, each attack class is flagged with the
// reason that names it.
func TestMessages(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		verdict    Verdict
		reason     string // code of a reason the result must carry
		message    string // and a word of its Chinese message
	}{
		// Genuine notices.
		{"court e-delivery SMS", "【北京市朝阳区人民法院】王某某：您有一份（2026）京0105民初12345号案件的电子送达文书，请点击https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh=A1B2&sdbh=99查看。开庭时间2026年12月20日。",
			Safe, "official", "court.gov.cn"},
		{"provincial court site", "【广东法院】您的案件已立案，可登录https://www.gdcourts.gov.cn/查询进度，传票将另行送达。", Safe, "official", "广东法院"},
		{"Shanghai high court", "上海高院诉讼服务网 http://www.hshfy.sh.cn/shfy/web/index.html 可查询开庭公告", Safe, "official", "上海市高级人民法院"},
		{"12368 hotline", "如需查询请拨打12368或访问www.12368.gov.cn。", Safe, "official", "12368"},
		{"procuratorate", "12309中国检察网：https://www.12309.gov.cn/ 案件信息公开", Safe, "official", "12309"},
		{"医保 notice", "【国家医保服务平台】医保电子凭证激活请访问https://fuwu.nhsa.gov.cn/，切勿向他人提供验证码。", Safe, "official", "国家医疗保障局"},
		{"tax", "个税汇算请登录 https://etax.chinatax.gov.cn/ 办理退税", Safe, "official", "国家税务总局"},
		{"bank", "【工商银行】您尾号1234的卡片将于12月到期，详询https://www.icbc.com.cn/ 或95588。", Safe, "official", "中国工商银行"},
		{"WeChat article", "律师整理的文章 https://mp.weixin.qq.com/s/AbCdEfGhIjKlMnOpQrStUv 值得一读", Safe, "official", "微信"},
		{"any gov.cn", "政策原文见https://www.gov.cn/zhengce/content/2026-11/01/content_7000000.htm", Safe, "official", "政府网站"},
		{"ordinary site", "北大法宝链接：https://www.pkulaw.com/chl/abcdef.html", Safe, "", ""},
		{"a word containing a word brand", "礼仪网站 courtesy.com", Safe, "", ""},
		{"a word near a word brand", "计数工具 https://www.count.com/", Safe, "", ""},

		// Attacks.
		{"brand + gov keyword", "【法院通知】您有一张传票未签收，请登录court-gov-cn.top/login查看，逾期将依法冻结名下账户。", Phishing, "brand-embedded", "gov"},
		{"12368-gov.com", "【12368】您的案件待缴诉讼费，请访问12368-gov.com缴纳", Phishing, "brand-embedded", "12368"},
		{"protected name as subdomain", "您的开庭通知：http://court.gov.cn.example.top/a", Phishing, "protected-subdomain", "example.top"},
		{"@ disguise", "【工商银行】您的账户存在风险，请登录https://www.icbc.com.cn@evil-site.top/ 验证", Phishing, "at-protected", "evil-site.top"},
		{"IP literal", "您的ETC已失效，请访问http://39.98.123.45/etc/renzheng重新认证", Phishing, "ip-host", "IP"},
		{"IPv6 literal", "医保补贴领取：http://[2408:8207:1850::1]/pay", Phishing, "ip-host", "IP"},
		{"Cyrillic homograph of alipay", "【支付宝】退款待领取：http://аlipay.com/refund", Phishing, "homograph", "alipay.com"},
		{"punycode homograph", "工行积分兑换：https://xn--cbc-ihd.com.cn.top/", Phishing, "homograph", "icbc"},
		{"homograph inside a longer label", "访问 http://wеixin-pay.com/", Phishing, "homograph", "weixin"},
		{"mixed scripts", "访问 http://pаy-center.com/", Phishing, "mixed-script", "西里尔"},
		{"whole-script confusable", "https://xn--80ak6aa92e.com/", Suspicious, "whole-script", "apple"},
		{"edit distance", "【农业银行】请登录abchlna.com更新信息", Phishing, "edit-distance", "abchina.com"},
		{"swapped letters", "建行积分清零提醒 www.iccb.com", Phishing, "swapped", "icbc"},
		{"rn for m", "招行信用卡提额：http://crnbchina.com/", Phishing, "confusable-ascii", "cmbchina.com"},
		{"brand in a longer name", "微信账号解封：https://weixin-jiedong.com/", Phishing, "brand-embedded", "weixin"},
		{"same brand, other suffix", "【支付宝】https://alipay.cn.com/ 领取", Phishing, "brand-other-suffix", "alipay"},
		{"shortener", "您的快递理赔请点击 t.cn/A6aBcDeF", Suspicious, "shortener", "短链接"},
		{"suspicious TLD and lure words", "【ETC】您的ETC已停用，请尽快在etc-renzheng.top认证", Phishing, "suspicious-tld", ".top"},
		{"free hosting", "法院电子送达：https://court-sd.github.io/login", Phishing, "free-hosting", "github.io"},
		{"many subdomains", "登录 https://www.sfxx.court.wssd.notice.gs1.cn/ 查看传票", Phishing, "deep-subdomains", "层"},
		{"gov.cn inside a foreign name", "http://1236b.gov.cn.hk/ 查询案件", Phishing, "protected-subdomain", "gov.cn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			results := CheckText(tc.text)
			if len(results) != 1 {
				t.Fatalf("want one link in %q, got %+v", tc.text, results)
			}
			r := results[0]
			if r.Verdict != tc.verdict {
				t.Errorf("%s: verdict %s (score %d), want %s; reasons %+v", r.URL, r.Verdict, r.Score, tc.verdict, r.Reasons)
			}
			if tc.reason == "" {
				if len(r.Reasons) != 0 {
					t.Errorf("%s: unexpected reasons %+v", r.URL, r.Reasons)
				}
				return
			}
			for _, x := range r.Reasons {
				if x.Code == tc.reason {
					if !strings.Contains(x.Message, tc.message) {
						t.Errorf("%s: reason %s says %q, want it to mention %q", r.URL, x.Code, x.Message, tc.message)
					}
					return
				}
			}
			t.Errorf("%s: no reason %s among %+v", r.URL, tc.reason, r.Reasons)
		})
	}
}

// TestLureWords: lure words raise the score of an unofficial link, never
// of an official one, and alone (without a link) produce nothing.
func TestLureWords(t *testing.T) {
	plain := Score("http://yh-kf.com/")
	withLure := CheckText("您的银行卡已被冻结，请转入安全账户，详见 http://yh-kf.com/")
	if len(withLure) != 1 || withLure[0].Score != plain.Score+20 || !hasReason(withLure[0], "lure-text") {
		t.Fatalf("lure words should add 20 to %d: %+v", plain.Score, withLure)
	}
	if got := CheckText("您的银行卡已被冻结，请转入安全账户，收到传票请回电"); len(got) != 0 {
		t.Fatalf("words alone are not a finding: %+v", got)
	}
	official := CheckText("【最高人民法院】开庭传票已送达，请登录 https://zxfw.court.gov.cn/ 查看")
	if len(official) != 1 || official[0].Verdict != Safe || hasReason(official[0], "lure-text") {
		t.Fatalf("an official link stays safe: %+v", official)
	}
}

func hasReason(r Result, code string) bool {
	for _, x := range r.Reasons {
		if x.Code == code {
			return true
		}
	}
	return false
}

// TestFirmDomains: the firm's own domains become protected (official, and
// their lookalikes flagged); a bad one names its position and value.
func TestFirmDomains(t *testing.T) {
	if r := Score("https://www.zhonglunlaw.com.cn/x"); r.Official != "" {
		t.Fatalf("not protected by default: %+v", r)
	}
	c, err := New("ZhongLunLaw.com.cn")
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Score("https://www.zhonglunlaw.com.cn/x"); r.Verdict != Safe || r.Official != "本所域名" {
		t.Fatalf("firm domain should be official: %+v", r)
	}
	if r := c.Score("https://zhonglunlaw-sd.top/"); r.Verdict != Phishing || !hasReason(r, "brand-embedded") {
		t.Fatalf("firm lookalike should be phishing: %+v", r)
	}
	_, err = New("example.com", "not a domain")
	if !errors.Is(err, ErrBadDomain) || !strings.Contains(err.Error(), "第 2 项") || !strings.Contains(err.Error(), "not a domain") {
		t.Fatalf("bad firm domain: %v", err)
	}
	for _, bad := range []string{"localhost", "com", "gov.cn", ""} {
		if _, err := New(bad); !errors.Is(err, ErrBadDomain) {
			t.Errorf("New(%q): %v, want ErrBadDomain", bad, err)
		}
	}
}

// TestScoreEdges: odd input is assessed, never trusted.
func TestScoreEdges(t *testing.T) {
	for raw, code := range map[string]string{
		"http://exa mple.com/":      "unparsable",
		"http://gov.cn.evil/":       "unknown-tld",
		"http://com.cn/":            "bare-suffix",
		"http://example.com:99999/": "port",
		"http://a_b.example.com/":   "idna-invalid",
		"ftp://files.example.com/x": "scheme",
		"http://10.0.0.1/":          "ip-private",
	} {
		r := Score(raw)
		if !hasReason(r, code) || r.Verdict == Safe {
			t.Errorf("Score(%q) = %s %d %+v, want reason %s and a warning", raw, r.Verdict, r.Score, r.Reasons, code)
		}
	}
}
