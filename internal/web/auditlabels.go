package web

import (
	"sort"
	"strings"
)

// auditActionLabels say each audit action in words. Every action code
// written anywhere in the code base must have a label here
// (TestEveryAuditActionHasALabel walks the source); a code missing from
// the table is shown as it is.
var auditActionLabels = map[string]string{
	"access.denied": "访问被拒绝",
	"audit.export":  "导出审计日志",

	"setup.complete":             "完成初始设置",
	"login.ok":                   "登录成功",
	"login.password_ok":          "密码验证通过（待动态验证码）",
	"login.fail":                 "登录失败",
	"login.locked":               "登录被锁定",
	"login.totp_fail":            "动态验证码错误",
	"session.revoke":             "下线设备",
	"session.revoke_all":         "下线全部设备",
	"totp.enable":                "启用动态验证码",
	"totp.reset":                 "重置动态验证码",
	"totp.recovery_codes":        "重新生成恢复码",
	"user.create":                "添加用户",
	"user.password":              "修改密码",
	"setting.require_admin_totp": "设置管理员必须启用动态验证码",
	"setting.chat_archive":       "设置聊天记录月度归档",
	"settings.consultation":      "设置免费咨询时长",
	"profile.save":               "保存专业形象",

	"contact.create": "新建联系人",
	"contact.update": "修改联系人",
	"contact.star":   "星标联系人",
	"contact.unstar": "取消星标联系人",
	"contact.review": "完成季度回访",
	"contact.import": "导入联系人",
	"contact.export": "导出联系人",

	"matter.create":       "新建案件",
	"matter.update":       "修改案件",
	"matter.status":       "变更案件状态",
	"matter.view":         "查看案件",
	"matter.view.denied":  "查看案件被拒绝",
	"matter.party.add":    "添加当事人",
	"matter.party.remove": "移除当事人",
	"matter.party.role":   "变更当事人角色",
	"conflict.check":      "利益冲突检索",
	"conflict.decide":     "记录利益冲突结论",

	"consultation.start":   "开始咨询",
	"consultation.stop":    "结束咨询",
	"consultation.convert": "咨询转为委托",

	"deadline.create":         "保存期限",
	"deadline.done":           "期限标记完成",
	"deadline.open":           "期限重新打开",
	"deadline.postpone":       "顺延期限",
	"deadline.recalculated":   "按新节假日安排重算期限",
	"deadline.trigger":        "登记期限链事件",
	"deadline.trigger_update": "修改期限链事件",
	"deadline.trigger_cancel": "撤销期限链事件",
	"hours.set":               "设置工作时间",
	"calendar.import":         "导入节假日安排",
	"calendar.feed_new":       "生成日历订阅地址",
	"calendar.feed_revoke":    "停用日历订阅",

	"chat.import":         "导入聊天记录",
	"chat.view":           "查看聊天记录",
	"chat.view.denied":    "查看聊天记录被拒绝",
	"chat.print":          "打印聊天记录",
	"chat.delete":         "删除聊天记录",
	"chat.archive.auto":   "自动生成月度归档",
	"chat.archive.export": "导出月度归档",

	"evidence.add":           "保全证据",
	"evidence.view":          "查看证据",
	"evidence.view.denied":   "查看证据被拒绝",
	"evidence.download":      "下载证据原件",
	"evidence.export":        "导出证据",
	"evidence.submission":    "登记证据提交",
	"evidence.assign":        "变更证据所属案件",
	"evidence.assign.denied": "变更证据所属案件被拒绝",

	"chat.rename":        "重命名聊天会话",
	"chat.participant":   "会话成员对应联系人",
	"matter.reopen":      "重新打开案件",
	"matter.party.link":  "当事人自动关联联系人",
	"setting.public_url": "修改公开地址",

	"inbox.view":           "查看客户会话",
	"inbox.view.denied":    "查看客户会话被拒绝",
	"inbox.reply":          "回复客户消息",
	"inbox.matter":         "客户会话关联案件",
	"inbox.dnd":            "设置免打扰时段",
	"inbox.kf_account":     "设置客服账号与律师",
	"setting.inbox":        "修改消息中心设置",
	"group.view":           "查看案件群",
	"group.view.denied":    "查看案件群被拒绝",
	"group.matter":         "案件群关联案件",
	"group.member.keep":    "保留案件群成员",
	"group.notice":         "发布案件群重要通知",
	"group.notice.confirm": "群成员确认已读通知",

	"wecom.settings":        "修改企业微信设置",
	"wecom.settings.denied": "修改企业微信设置被拒绝",
	"wecom.test":            "测试企业微信连接",
	"wecom.member":          "关联成员的企业微信账号",
	"wecom.sync":            "同步企业微信客户与标签",
	"wecom.contact.import":  "从企业微信导入客户",
	"wecom.transfer":        "转接离职或在职成员的客户",
	"wecom.denied":          "企业微信操作被拒绝",

	"user.freeze":               "紧急冻结账户",
	"user.freeze.revoke_failed": "紧急冻结时撤销凭据失败",
	"user.unfreeze":             "解除紧急冻结",
	"login.frozen":              "已冻结账户尝试登录",
	"freeze.step":               "完成应急清单步骤",
	"freeze.drill":              "紧急冻结演练",
	"phishing.drill":            "钓鱼演练",

	"delivery.document":          "上传待发送文件",
	"delivery.document.download": "下载待发送文件",
	"delivery.nda":               "登记保密协议",
	"delivery.send":              "发送文件链接",
	"delivery.refused":           "发送文件被拒绝（无保密协议）",
	"delivery.revoke":            "撤回文件链接",
	"delivery.confirm":           "收件人确认收悉",
	"delivery.preserve":          "送达记录保全为证据",
	"delivery.denied":            "查看或发送文件被拒绝",
	"delivery.link.denied":       "打开无效的文件链接",
	"delivery.code.denied":       "文件链接提取码错误",
}

// auditTargetKinds name the kind of an audit target "kind/id".
var auditTargetKinds = map[string]string{
	"matter": "案件", "evidence": "证据", "deadline": "期限", "contact": "联系人", "consultation": "咨询",
	"conversation": "聊天记录", "chat": "聊天记录", "user": "用户", "session": "登录会话", "party": "当事人",
	"conflict": "利益冲突检索", "trigger": "期限链事件", "holidays": "节假日安排", "migrations": "数据库升级",
	"attachments": "附件", "audit": "审计日志", "delivery": "文件链接", "document": "待发送文件", "notice": "案件群通知",
	"group": "案件群", "inbox": "客户会话", "incident": "紧急冻结记录",
}

// actionLabel is an action in words.
func actionLabel(code string) string {
	if l, ok := auditActionLabels[code]; ok {
		return l
	}
	return code
}

// targetLabel is an audit target in words: "evidence/3" reads 证据 #3,
// "user/zhang" reads 用户 zhang; other targets stay as written.
func targetLabel(target string) string {
	kind, id, ok := strings.Cut(target, "/")
	name, known := auditTargetKinds[kind]
	if !ok || !known || id == "" {
		switch target {
		case "contacts":
			return "通讯录"
		case "audit":
			return "" // the action says it: 导出审计日志
		}
		return target
	}
	if strings.Trim(id, "0123456789") == "" {
		return name + " #" + id
	}
	return name + " " + id
}

// describeAudit is an event in words: the action, then the target; when
// the action already names the target's kind it is not said twice
// (查看证据 #3, not 查看证据 证据 #3).
func describeAudit(action, target string) string {
	label := actionLabel(action)
	t := targetLabel(target)
	if t == "" {
		return label
	}
	if kind, _, ok := strings.Cut(target, "/"); ok {
		if name := auditTargetKinds[kind]; name != "" && strings.HasSuffix(label, name) {
			return strings.Replace(t, name, label, 1)
		}
	}
	return label + " " + t
}

// auditActionChoice is an option of the audit page's action filter.
type auditActionChoice struct{ Code, Label string }

// auditActionChoices lists every labelled action, by label.
func auditActionChoices() []auditActionChoice {
	out := make([]auditActionChoice, 0, len(auditActionLabels))
	for code, label := range auditActionLabels {
		out = append(out, auditActionChoice{code, label})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
