package safety

// Step is one item of the checklist shown after a freeze (and walked
// through in a drill).
type Step struct {
	Key   string // stored in freeze_steps.step
	Title string
	How   string
}

// Checklist is what to do about the WeChat account itself once lvxin is
// frozen: lvxin cannot do these for the lawyer.
var Checklist = []Step{
	{Key: "weixin110", Title: "冻结微信账号",
		How: "用另一部手机打开微信安全中心（weixin110.qq.com），选择“冻结账号”，按提示验证身份；找回手机后在同一处解冻。"},
	{Key: "devices", Title: "检查微信登录设备",
		How: "在另一台已登录的设备或找回账号后，打开微信“我 → 设置 → 账号与安全 → 登录设备管理”，删除不认识的设备，并退出电脑版、网页版的登录。"},
	{Key: "wecom_secret", Title: "重置企业微信应用 Secret",
		How: "请律所管理员登录企业微信管理后台（work.weixin.qq.com），在“应用管理”中重置律信所用应用的 Secret，并把新 Secret 填入律信的企业微信设置；旧 Secret 随即失效。"},
	{Key: "warn_clients", Title: "提醒案件群中的客户",
		How: "用其他账号或请同事在各案件群发一条提醒：本人手机丢失，微信可能被他人控制；任何要求转账、缴费、点链接、提供验证码的消息都不要理会，请电话核实。"},
	{Key: "report", Title: "如遭冒用或诈骗，及时报案",
		How: "有人冒用您的账号行骗或勒索时，拨打 110 报警；诈骗短信、钓鱼网址可向 12321 网络不良与垃圾信息举报受理中心（12321.cn）举报。"},
}

// stepByKey finds a checklist step.
func stepByKey(key string) (Step, bool) {
	for _, s := range Checklist {
		if s.Key == key {
			return s, true
		}
	}
	return Step{}, false
}
