package phishing

// Protected is a domain whose name phishing links imitate. A link whose host
// is the domain or one of its subdomains is official and is never flagged;
// a link that imitates it is.
type Protected struct {
	Domain string // ASCII, lower case, e.g. "court.gov.cn"
	Name   string // who owns it, in Chinese, e.g. "人民法院"
	// Word marks a brand that is also an ordinary word or a short
	// abbreviation (court, qq, ccb): it is matched as a whole token of a
	// host name, never as a substring, so courtesy.com stays innocent.
	Word bool
}

// builtinProtected is the maintained list. Every *.gov.cn host is official
// as well (only government bodies may register under gov.cn); the gov.cn
// entries here name the ones phishing imitates most, so that their brand
// is recognised inside a foreign name (12368-gov.com).
var builtinProtected = []Protected{
	// Courts.
	{Domain: "court.gov.cn", Name: "人民法院（最高人民法院及人民法院在线服务、裁判文书网、执行信息公开网等）", Word: true},
	{Domain: "12368.gov.cn", Name: "12368 诉讼服务热线"},
	{Domain: "chinacourt.org", Name: "中国法院网"},
	{Domain: "bjcourt.gov.cn", Name: "北京法院"},
	{Domain: "hshfy.sh.cn", Name: "上海市高级人民法院"},
	{Domain: "gdcourts.gov.cn", Name: "广东法院"},
	{Domain: "zjcourt.cn", Name: "浙江法院"},
	// Procuratorates.
	{Domain: "spp.gov.cn", Name: "最高人民检察院", Word: true},
	{Domain: "12309.gov.cn", Name: "12309 中国检察网"},
	// Police and reporting centres.
	{Domain: "mps.gov.cn", Name: "公安部", Word: true},
	{Domain: "12321.cn", Name: "12321 网络不良与垃圾信息举报受理中心"},
	{Domain: "12377.cn", Name: "中央网信办违法和不良信息举报中心"},
	// Government services.
	{Domain: "gov.cn", Name: "政府网站", Word: true},
	{Domain: "nhsa.gov.cn", Name: "国家医疗保障局"},
	{Domain: "chinatax.gov.cn", Name: "国家税务总局"},
	{Domain: "moj.gov.cn", Name: "司法部", Word: true},
	{Domain: "12306.cn", Name: "中国铁路 12306"},
	// Banks and payments.
	{Domain: "icbc.com.cn", Name: "中国工商银行"},
	{Domain: "icbc-ltd.com", Name: "中国工商银行（全球网站）"},
	{Domain: "ccb.com", Name: "中国建设银行", Word: true},
	{Domain: "boc.cn", Name: "中国银行", Word: true},
	{Domain: "bankofchina.com", Name: "中国银行"},
	{Domain: "abchina.com", Name: "中国农业银行"},
	{Domain: "bankcomm.com", Name: "交通银行"},
	{Domain: "cmbchina.com", Name: "招商银行"},
	{Domain: "psbc.com", Name: "中国邮政储蓄银行", Word: true},
	{Domain: "spdb.com.cn", Name: "浦发银行", Word: true},
	{Domain: "cib.com.cn", Name: "兴业银行", Word: true},
	{Domain: "citicbank.com", Name: "中信银行"},
	{Domain: "cebbank.com", Name: "中国光大银行"},
	{Domain: "cmbc.com.cn", Name: "中国民生银行", Word: true},
	{Domain: "pingan.com", Name: "中国平安"},
	{Domain: "unionpay.com", Name: "中国银联"},
	{Domain: "unionpayintl.com", Name: "银联国际"},
	{Domain: "cmschina.com", Name: "招商证券"},
	{Domain: "95516.com", Name: "云闪付（中国银联）"},
	{Domain: "alipay.com", Name: "支付宝"},
	{Domain: "alipayobjects.com", Name: "支付宝"},
	// WeChat, QQ, Tencent.
	{Domain: "qq.com", Name: "腾讯（微信、QQ）", Word: true},
	{Domain: "weixin.qq.com", Name: "微信"},
	{Domain: "wechat.com", Name: "微信"},
	{Domain: "tencent.com", Name: "腾讯"},
	{Domain: "tencentcloud.com", Name: "腾讯云"},
	{Domain: "tenpay.com", Name: "财付通"},
}

// shorteners are link shortening services: the real target of their links
// cannot be known offline.
var shorteners = map[string]bool{
	"t.cn": true, "url.cn": true, "dwz.cn": true, "suo.im": true, "mrw.so": true,
	"tb.cn": true, "3.cn": true, "u.jd.com": true, "sohu.gg": true, "kks.me": true,
	"bit.ly": true, "tinyurl.com": true, "goo.gl": true, "is.gd": true, "ow.ly": true,
	"t.co": true, "cutt.ly": true, "rebrand.ly": true, "reurl.cc": true, "s.id": true,
	"v.gd": true, "rb.gy": true, "shorturl.at": true, "t.ly": true, "tiny.cc": true,
}

// suspiciousTLDs are top-level domains that are cheap, lightly checked and
// over-represented in Chinese SMS phishing (court, ETC, 医保 and bank lures).
// .cc is not among them: Chinese companies use it widely (comac.cc).
var suspiciousTLDs = map[string]bool{
	"top": true, "xyz": true, "icu": true, "vip": true, "club": true, "work": true,
	"buzz": true, "cyou": true, "shop": true, "live": true, "online": true, "site": true,
	"tk": true, "ml": true, "ga": true, "cf": true, "gq": true, "pw": true, "rest": true,
	"fit": true, "loan": true, "win": true, "bid": true, "kim": true,
	"asia": true, "ink": true, "lol": true, "sbs": true, "cfd": true, "bond": true,
	"help": true, "life": true, "fun": true, "space": true, "store": true, "wang": true,
	"ren": true, "men": true, "date": true, "click": true, "link": true, "mom": true,
	"monster": true, "one": true, "run": true, "today": true, "website": true, "su": true,
}

// lureHostWords are words that a genuine registrable domain rarely
// contains but lure domains do (pinyin of 认证、退款、冻结…, and English
// account words). Words of four letters or more match as substrings;
// shorter ones as whole tokens.
var lureHostWords = []string{
	"login", "verify", "secure", "account", "update", "etc", "yibao", "tuikuan",
	"butie", "renzheng", "shenhe", "jiedong", "dongjie", "chuanpiao", "fayuan",
	"susong", "anquan", "zhanghu", "kefu", "zhengxin", "tongzhi", "buchang", "lipei",
	"fapiao", "yiliao", "shebao", "jiaotong", "weizhang", "gaosu", "signin", "wallet",
	"refund", "unfreeze", "auth", "bank", "pay", "service", "kaiting", "gongan",
	"jiancha", "fabao", "yinhang", "shensu", "xiufu", "jihuo", "lingqu", "jifen",
}

// lurePathWords are the same idea for the path and query, weaker evidence.
var lurePathWords = []string{
	"login", "verify", "signin", "account", "password", "etc", "yibao", "tuikuan",
	"renzheng", "jiedong", "dongjie", "chuanpiao", "refund", "unfreeze", "bank",
	"wallet", "kaiting", "zhengxin",
}

// lureTextWords are the words of a message that make a link in it riskier
// (the words alone are not flagged: a genuine 开庭通知 SMS contains them).
var lureTextWords = []string{
	"传票", "开庭通知", "开庭", "冻结", "安全账户", "ETC", "医保", "退款", "验证码", "征信",
	"涉嫌", "洗钱", "逮捕", "通缉", "失效", "停用", "认证", "补贴", "理赔", "积分兑换",
	"账户异常", "银行卡", "解冻", "缴费", "罚款",
}
