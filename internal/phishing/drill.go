package phishing

import (
	"math/rand/v2"
	"strconv"
)

// DrillQuestion is one message of a phishing drill (钓鱼演练): a realistic
// lure or a genuine notice, for the lawyer to judge.
type DrillQuestion struct {
	Key  string // stable name of the message in the bank
	Text string
	Lure bool
	// Tell is what gives a lure away (or why a notice is genuine).
	Tell string
}

// drillBank holds the drill's messages, written after real Chinese SMS and
// WeChat fraud patterns and after real official notices. Every lure link
// is flagged by the checker and every genuine one is not (drill_test.go).
var drillBank = []DrillQuestion{
	{Key: "court-summons", Lure: true, Text: "【法院通知】您有一份开庭传票未签收，请于24小时内登录 court-gov-cn.top/wssd 查看，逾期将依法缺席判决。",
		Tell: "法院网站都在 court.gov.cn 等 .gov.cn 域名下；court-gov-cn.top 把官方域名拆成字样，后缀是廉价的 .top。"},
	{Key: "12368", Lure: true, Text: "【12368诉讼服务】您的案件已进入强制执行程序，请立即登录 http://12368-gov.com/sd 核实名下账户，否则将冻结。",
		Tell: "12368 的官网是 12368.gov.cn；12368-gov.com 是仿冒，“冻结账户”是典型恐吓。"},
	{Key: "ip-court", Lure: true, Text: "您好，这里是市中级人民法院执行局，您涉及一起执行案件，请登录 http://39.98.123.45/court/login 提交财产申报。",
		Tell: "正规机关网站不会用一串数字（IP 地址）当网址。"},
	{Key: "etc", Lure: true, Text: "【ETC】尊敬的车主，您的ETC认证已失效，即日起将无法正常通行，请点击 etc-renzheng.top/a 重新认证。",
		Tell: "ETC 失效要求点链接“认证”并填银行卡，是最常见的骗局；.top 域名加 renzheng 字样。"},
	{Key: "yibao", Lure: true, Text: "【医保局】您有一笔医保补贴待领取，截止今日，请登录 yibao-tuikuan.top/lq 填写银行卡信息领取。",
		Tell: "国家医保局网址是 nhsa.gov.cn；“补贴”“退款”要求填银行卡的链接都是诈骗。"},
	{Key: "icbc", Lure: true, Text: "【工商银行】您的电子密码器即将过期，请登录 www.icbc-login.com 进行升级，以免影响正常使用。",
		Tell: "工行的网站是 icbc.com.cn；icbc-login.com 是在品牌名后加词的仿冒。"},
	{Key: "alipay", Lure: true, Text: "支付宝客服：您的账户因异常交易被限制，退款 368 元将原路返回，请在 https://alipay-tuikuan.xyz 按提示操作。",
		Tell: "支付宝只用 alipay.com；.xyz 域名加“tuikuan（退款）”是冒充客服退款。"},
	{Key: "wechat-unfreeze", Lure: true, Text: "【微信团队】您的微信账号存在违规行为已被限制登录，请立即访问 wx-jiedong.vip 进行解封验证。",
		Tell: "微信解封只在微信安全中心（weixin110.qq.com）内进行；.vip 域名加“jiedong（解冻）”是仿冒。"},
	{Key: "credit", Lure: true, Text: "【征信中心】您名下有一笔网贷记录影响个人征信，请点击 zhengxin-xiufu.icu 申请注销，否则将影响贷款。",
		Tell: "“征信修复”“注销网贷账户”是骗局；征信中心网址为 pbccrc.org.cn，不会发这种链接。"},
	{Key: "short-link", Lure: true, Text: "张律师您好，我是对方代理人，证据材料已上传，您点开看一下：t.cn/A6xKq2Zp 需要先输入手机验证码。",
		Tell: "短链接看不出去向，又要求输入验证码：先向对方电话核实，不要输入验证码。"},
	{Key: "at-disguise", Lure: true, Text: "【中国银行】您的信用卡额度已提升至 5 万元，请登录 https://www.boc.cn@boc-tiee.top/ 激活。",
		Tell: "网址中的 @ 前面的内容会被忽略，真正打开的是 boc-tiee.top。"},
	{Key: "cyrillic", Lure: true, Text: "【腾讯客服】您的QQ钱包有一笔异常消费，如非本人操作，请立即登录 https://tencent-kefu.top/refund 申请冻结。",
		Tell: "腾讯的网站在 tencent.com、qq.com 下；tencent-kefu.top 是在品牌后加“客服”的仿冒。"},

	{Key: "court-real", Text: "【北京市朝阳区人民法院】您有一份电子送达文书，案号（2026）京0105民初12345号，请登录 https://zxfw.court.gov.cn/zxfw/ 查看。",
		Tell: "人民法院在线服务 zxfw.court.gov.cn 是最高法官方平台；真送达会写明法院全称和案号，可电话向法院核实。"},
	{Key: "12368-real", Text: "【12368】您好，您咨询的案件已由承办法官接收，进展可登录 https://www.12368.gov.cn 或拨打 12368 查询。",
		Tell: "12368.gov.cn 是诉讼服务官方网站。"},
	{Key: "tax-real", Text: "【国家税务总局】个人所得税年度汇算将于 3 月 1 日开始，请通过个人所得税 App 或 https://etax.chinatax.gov.cn 办理。",
		Tell: "chinatax.gov.cn 是税务总局官方域名，且通知未索要银行卡或验证码。"},
	{Key: "nhsa-real", Text: "医保电子凭证可在国家医保服务平台 App 或 https://fuwu.nhsa.gov.cn 激活，请勿相信任何要求转账的“医保补贴”短信。",
		Tell: "nhsa.gov.cn 是国家医保局官方域名。"},
	{Key: "icbc-real", Text: "【工商银行】您尾号 8821 的账户 12月05日 支出 2,000.00 元，余额 15,327.50 元。详情请登录 https://www.icbc.com.cn 查询。",
		Tell: "icbc.com.cn 是工行官网；动账通知不要求点链接办理任何事。"},
	{Key: "spp-real", Text: "最高人民检察院 12309 检察服务中心：您的控告已受理，可登录 https://www.12309.gov.cn 查询办理进度。",
		Tell: "12309.gov.cn 是检察机关官方平台。"},
	{Key: "wenshu-real", Text: "判决书已上网，您可以在中国裁判文书网 https://wenshu.court.gov.cn 按案号检索。",
		Tell: "wenshu.court.gov.cn 是裁判文书网的官方地址。"},
	{Key: "gov-real", Text: "根据《关于优化营商环境的通知》，全文见 https://www.gov.cn/zhengce/content/ 请律所组织学习。",
		Tell: "gov.cn 是中国政府网。"},
	{Key: "weixin110-real", Text: "手机丢失时，可以用另一部手机打开微信安全中心 https://weixin110.qq.com 冻结账号。",
		Tell: "weixin110.qq.com 是微信官方安全中心，属于腾讯的 qq.com。"},
	{Key: "police-real", Text: "【反诈提醒】凡是自称“公检法”要求转账到“安全账户”的都是诈骗！举报请拨打 110 或登录 https://www.12321.cn",
		Tell: "12321.cn 是网络不良与垃圾信息举报受理中心；真正的反诈提醒不会让你转账。"},
}

// DrillSize is the number of messages in one drill.
const DrillSize = 10

// NewDrill draws a drill from the bank: DrillSize messages, half of them
// lures, in an order fixed by seed (the same seed gives the same drill, so
// the answers are graded against exactly what was shown).
func NewDrill(seed uint64) []DrillQuestion {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var lures, genuine []DrillQuestion
	for _, q := range drillBank {
		if q.Lure {
			lures = append(lures, q)
		} else {
			genuine = append(genuine, q)
		}
	}
	r.Shuffle(len(lures), func(i, j int) { lures[i], lures[j] = lures[j], lures[i] })
	r.Shuffle(len(genuine), func(i, j int) { genuine[i], genuine[j] = genuine[j], genuine[i] })
	out := append(append([]DrillQuestion(nil), lures[:DrillSize/2]...), genuine[:DrillSize-DrillSize/2]...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// DrillGrade is the outcome of one drill.
type DrillGrade struct {
	Questions   int
	Correct     int
	MissedLures int // lures judged genuine
	FalseAlarms int // genuine notices judged lures
	// Wrong lists the questions answered wrongly (or not at all), by index.
	Wrong map[int]bool
}

// GradeDrill grades answers (question index → "lure" or "genuine"; a
// missing answer counts as wrong) against the drill of seed.
func GradeDrill(seed uint64, answers map[int]string) DrillGrade {
	qs := NewDrill(seed)
	g := DrillGrade{Questions: len(qs), Wrong: map[int]bool{}}
	for i, q := range qs {
		a := answers[i]
		switch {
		case q.Lure && a == "lure", !q.Lure && a == "genuine":
			g.Correct++
		case q.Lure:
			g.MissedLures++
			g.Wrong[i] = true
		default:
			g.FalseAlarms++
			g.Wrong[i] = true
		}
	}
	return g
}

// DrillField is the form field name of question i.
func DrillField(i int) string { return "q" + strconv.Itoa(i) }
