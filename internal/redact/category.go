package redact

// Legal reasons quoted with findings. The article texts were checked against
// the published text of the 个人信息保护法 (2021-08-20) and the 律师法
// (2017 amendment).
const (
	basisPublic    = "《个人信息保护法》第二十五条：个人信息处理者不得公开其处理的个人信息，取得个人单独同意的除外。"
	basisSensitive = "《个人信息保护法》第二十八条（敏感个人信息包括生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹等信息，以及不满十四周岁未成年人的个人信息）、第二十九条（处理敏感个人信息应当取得个人的单独同意）。"
	basisMinor     = "《个人信息保护法》第二十八条（不满十四周岁未成年人的个人信息属于敏感个人信息）、第三十一条（处理不满十四周岁未成年人个人信息应当取得其父母或者其他监护人的同意）。"
	basisLawyer    = "《律师法》第三十八条：律师应当保守在执业活动中知悉的国家秘密、商业秘密，不得泄露当事人的隐私。"
	basisIDDoc     = "《个人信息保护法》第二十五条；GB/T 35273—2020《信息安全技术 个人信息安全规范》附录B将身份证件号码列为个人敏感信息。"
)

// Category is the class of personal data a type belongs to, as shown to
// users: 个人信息·姓名, 敏感个人信息·健康, 客户信息·单位名称 ….
func (t Type) Category() string {
	switch t {
	case TypeHealth:
		return "敏感个人信息·医疗健康"
	case TypeMinor:
		return "敏感个人信息·未成年人"
	case TypeWhereabout:
		return "敏感个人信息·行踪轨迹"
	case TypeBankCard:
		return "敏感个人信息·金融账户"
	case TypeIDCard, TypePassport, TypePermit, TypeSocialSec:
		return "敏感个人信息·身份证件"
	case TypeOrg:
		return "客户信息·单位名称"
	case TypeCaseNumber:
		return "客户信息·案号"
	case TypeUSCC:
		return "客户信息·统一社会信用代码"
	case TypeWeChat, TypeQQ:
		return "个人信息·网络账号"
	}
	return "个人信息·" + t.Label()
}

// Sensitive reports whether the type is 敏感个人信息 in the sense of
// 个人信息保护法 article 28 (or of GB/T 35273 for identity documents).
func (t Type) Sensitive() bool {
	switch t {
	case TypeHealth, TypeMinor, TypeWhereabout, TypeBankCard, TypeIDCard, TypePassport, TypePermit, TypeSocialSec:
		return true
	}
	return false
}

// LegalBasis is the legal reason a finding of this type must not be posted.
func (t Type) LegalBasis() string {
	switch t {
	case TypeMinor:
		return basisMinor
	case TypeHealth, TypeWhereabout, TypeBankCard:
		return basisSensitive
	case TypeIDCard, TypePassport, TypePermit, TypeSocialSec:
		return basisIDDoc
	case TypeOrg, TypeCaseNumber, TypeUSCC:
		return basisLawyer
	}
	return basisPublic + basisLawyer
}
