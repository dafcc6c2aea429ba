package redact

import (
	"errors"
	"fmt"
	"strings"
)

// Type names the kind of personal data a Finding holds.
type Type string

// The finding types. Their string values are stable: they appear in JSON.
const (
	TypeIDCard     Type = "id_card"         // 居民身份证号
	TypeUSCC       Type = "uscc"            // 统一社会信用代码
	TypeBankCard   Type = "bank_card"       // 银行卡号
	TypeMobile     Type = "mobile"          // 手机号
	TypeLandline   Type = "landline"        // 固定电话
	TypeEmail      Type = "email"           // 电子邮箱
	TypeCaseNumber Type = "case_number"     // 案号
	TypePlate      Type = "plate"           // 车牌号
	TypePassport   Type = "passport"        // 护照号
	TypePermit     Type = "permit"          // 港澳台通行证件号
	TypePerson     Type = "person"          // 人名
	TypeOrg        Type = "org"             // 单位名称
	TypeAddress    Type = "address"         // 地址
	TypeWeChat     Type = "wechat"          // 微信号
	TypeQQ         Type = "qq"              // QQ 号
	TypeSocialSec  Type = "social_security" // 社会保障号码
	TypeHealth     Type = "health"          // 健康状况
	TypeMinor      Type = "minor"           // 未成年人的年龄、学校、班级
	TypeWhereabout Type = "whereabouts"     // 行踪（人 + 具体地点 + 时间）
)

// AllTypes lists every finding type in a stable order.
var AllTypes = []Type{
	TypeIDCard, TypeUSCC, TypeBankCard, TypeMobile, TypeLandline, TypeEmail,
	TypeCaseNumber, TypePlate, TypePassport, TypePermit, TypePerson, TypeOrg, TypeAddress,
	TypeWeChat, TypeQQ, TypeSocialSec, TypeHealth, TypeMinor, TypeWhereabout,
}

// Label is the Chinese name of the type shown to users.
func (t Type) Label() string {
	switch t {
	case TypeIDCard:
		return "身份证号"
	case TypeUSCC:
		return "统一社会信用代码"
	case TypeBankCard:
		return "银行卡号"
	case TypeMobile:
		return "手机号"
	case TypeLandline:
		return "固定电话"
	case TypeEmail:
		return "电子邮箱"
	case TypeCaseNumber:
		return "案号"
	case TypePlate:
		return "车牌号"
	case TypePassport:
		return "护照号"
	case TypePermit:
		return "通行证号"
	case TypePerson:
		return "姓名"
	case TypeOrg:
		return "单位名称"
	case TypeAddress:
		return "地址"
	case TypeWeChat:
		return "微信号"
	case TypeQQ:
		return "QQ号"
	case TypeSocialSec:
		return "社会保障号码"
	case TypeHealth:
		return "健康状况"
	case TypeMinor:
		return "未成年人信息"
	case TypeWhereabout:
		return "行踪"
	}
	return string(t)
}

// Structured reports whether the type is a formatted identifier (as opposed
// to a name or an address found from language context).
func (t Type) Structured() bool {
	switch t {
	case TypePerson, TypeOrg, TypeAddress, TypeHealth, TypeMinor, TypeWhereabout:
		return false
	}
	return true
}

// Finding is one piece of personal data in a text. Start and End are byte
// offsets into the input (Text == input[Start:End]).
type Finding struct {
	Type       Type    `json:"type"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
	// Own marks the poster's own details (Options.Own): reported, never
	// redacted.
	Own bool `json:"own,omitempty"`
}

// KnownName is a name the caller knows to be personal data, typically from
// the client book and the parties of a matter. Kind is TypePerson or TypeOrg;
// empty means TypePerson.
type KnownName struct {
	Name string `json:"name"`
	Kind Type   `json:"kind,omitempty"`
}

// Options tunes detection.
type Options struct {
	// KnownNames are always found (confidence 1.0), the strongest signal.
	KnownNames []KnownName `json:"known_names,omitempty"`
	// MinConfidence drops findings below it; zero keeps everything.
	MinConfidence float64 `json:"min_confidence,omitempty"`
	// Own are the poster's own details (the lawyer's name, firm, office
	// phone, e-mail, WeChat id, the firm's address). A finding that is one
	// of them, or lies inside one, is marked Own and left in the text.
	Own []string `json:"own,omitempty"`
}

// Style selects how Redact rewrites a finding.
type Style int

// The redaction styles.
const (
	// StyleMask keeps a little of the value and stars the rest: 张**, 138****1234.
	StyleMask Style = iota
	// StylePseudonym replaces with a consistent stand-in: 张某, 张某甲, 某公司, 【手机号】.
	StylePseudonym
	// StyleRemove deletes the finding's text.
	StyleRemove
)

// ErrUnknownStyle is returned by ParseStyle for a name it does not know.
var ErrUnknownStyle = errors.New("未知的脱敏方式")

// ParseStyle reads "mask", "pseudonym" or "remove" (also the Chinese 遮盖,
// 化名, 删除); case and surrounding space are ignored.
func ParseStyle(s string) (Style, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "mask", "遮盖", "掩码":
		return StyleMask, nil
	case "pseudonym", "化名", "假名":
		return StylePseudonym, nil
	case "remove", "删除":
		return StyleRemove, nil
	}
	return 0, fmt.Errorf("%w：%q（可选 mask、pseudonym、remove）", ErrUnknownStyle, s)
}

// String returns the style's English name as ParseStyle accepts it.
func (s Style) String() string {
	switch s {
	case StyleMask:
		return "mask"
	case StylePseudonym:
		return "pseudonym"
	case StyleRemove:
		return "remove"
	}
	return fmt.Sprintf("Style(%d)", int(s))
}

// KnownOptions builds Options whose known names are the given persons and
// organisations (typically the firm's client book and matter parties).
func KnownOptions(persons, orgs []string) Options {
	var opts Options
	for _, n := range persons {
		opts.KnownNames = append(opts.KnownNames, KnownName{Name: n, Kind: TypePerson})
	}
	for _, n := range orgs {
		opts.KnownNames = append(opts.KnownNames, KnownName{Name: n, Kind: TypeOrg})
	}
	return opts
}
