// Package casenum owns the people's courts' case numbers (案号): parsing,
// validation and the one normalised spelling lvxin stores, following
// 最高人民法院关于人民法院案件案号的若干规定 (法〔2015〕137号, revised 2018):
// "(" + 收案年度 + ")" + 法院代字 + 类型代字 + 案件编号 + "号",
// for example (2024)京0105民初12345号.
package casenum

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Sentinel errors; Parse wraps one of them with a message saying what is wrong.
var (
	ErrEmpty       = errors.New("案号为空")
	ErrSyntax      = errors.New("案号格式不正确")
	ErrYear        = errors.New("收案年度不正确")
	ErrCourt       = errors.New("法院代字不正确")
	ErrUnknownType = errors.New("类型代字不在《人民法院案件类型及其代字标准》中")
	ErrSeq         = errors.New("案件编号不正确")
	ErrOldFormat   = errors.New("旧式案号")
)

// First and last year a new-style case number can carry: the rules apply to
// cases received from 2016-01-01 on.
const (
	firstYear = 2016
	lastYear  = 2099
)

// CaseNumber is a parsed case number.
type CaseNumber struct {
	Year     int    // 收案年度, e.g. 2024
	Court    string // 法院代字, e.g. 京0105, 京, 最高法
	TypeCode string // 类型代字, e.g. 民初
	Seq      int    // 案件编号
	Suffix   string // "之一", "之二" ... for further rulings under one number; usually ""
}

// provinces maps the first character of a court code to its region. 军 is the
// PLA military courts, 兵 the 生产建设兵团 courts of the Xinjiang high court.
var provinces = map[rune]string{
	'京': "北京", '津': "天津", '冀': "河北", '晋': "山西", '内': "内蒙古",
	'辽': "辽宁", '吉': "吉林", '黑': "黑龙江", '沪': "上海", '苏': "江苏",
	'浙': "浙江", '皖': "安徽", '闽': "福建", '赣': "江西", '鲁': "山东",
	'豫': "河南", '鄂': "湖北", '湘': "湖南", '粤': "广东", '桂': "广西",
	'琼': "海南", '渝': "重庆", '川': "四川", '黔': "贵州",
	'云': "云南", '藏': "西藏", '陕': "陕西", '甘': "甘肃",
	'青': "青海", '宁': "宁夏", '新': "新疆", '兵': "新疆生产建设兵团", '军': "军事法院",
}

const supremeCourt = "最高法"

// Parse reads a case number written with half-width ( ), full-width （ ）
// or 〔 〕 brackets, full-width digits and stray spaces, and checks each
// element against the rules. The error says, in Chinese, what is wrong.
func Parse(s string) (CaseNumber, error) {
	var cn CaseNumber
	rs := []rune(clean(s))
	if len(rs) == 0 {
		return cn, ErrEmpty
	}
	if strings.Contains(string(rs), "字第") {
		return cn, fmt.Errorf("%w：%q 含“字第”，是2016年以前的旧式写法，请填写新式案号，如(2024)京0105民初12345号", ErrOldFormat, s)
	}
	i := 0
	if rs[0] != '(' && rs[0] != '〔' {
		return cn, fmt.Errorf("%w：应以括号和收案年度开头，如(2024)京0105民初12345号", ErrSyntax)
	}
	i++
	start := i
	for i < len(rs) && isDigit(rs[i]) {
		i++
	}
	if i-start != 4 {
		return cn, fmt.Errorf("%w：括号内应为四位数字的年份，如(2024)", ErrYear)
	}
	cn.Year, _ = strconv.Atoi(string(rs[start:i]))
	if cn.Year < firstYear || cn.Year > lastYear {
		return cn, fmt.Errorf("%w：%d 不在 %d–%d 之间（新式案号自2016年起使用）", ErrYear, cn.Year, firstYear, lastYear)
	}
	if i >= len(rs) || (rs[i] != ')' && rs[i] != '〕') {
		return cn, fmt.Errorf("%w：年份后缺少右括号", ErrSyntax)
	}
	i++

	court, n, err := parseCourt(rs[i:])
	if err != nil {
		return cn, err
	}
	cn.Court = court
	i += n

	start = i
	for i < len(rs) && unicode.Is(unicode.Han, rs[i]) && rs[i] != '号' {
		i++
	}
	if i == start {
		return cn, fmt.Errorf("%w：法院代字 %s 后缺少类型代字（如民初、民终、执）", ErrSyntax, court)
	}
	cn.TypeCode = string(rs[start:i])
	if !KnownType(cn.TypeCode) {
		return cn, fmt.Errorf("%w：%q", ErrUnknownType, cn.TypeCode)
	}

	start = i
	for i < len(rs) && isDigit(rs[i]) {
		i++
	}
	digits := string(rs[start:i])
	switch {
	case digits == "":
		return cn, fmt.Errorf("%w：类型代字 %s 后缺少数字编号", ErrSeq, cn.TypeCode)
	case len(digits) > 9:
		return cn, fmt.Errorf("%w：编号 %s 过长", ErrSeq, digits)
	case cn.TypeCode == "刑核" && len(digits) != 8:
		return cn, fmt.Errorf("%w：死刑复核案件编号应为8位数字，实为 %d 位", ErrSeq, len(digits))
	case cn.TypeCode != "刑核" && digits[0] == '0':
		return cn, fmt.Errorf("%w：编号 %s 不应以0开头", ErrSeq, digits)
	}
	cn.Seq, _ = strconv.Atoi(digits)
	if cn.Seq == 0 {
		return cn, fmt.Errorf("%w：编号不能为0", ErrSeq)
	}
	if i >= len(rs) || rs[i] != '号' {
		return cn, fmt.Errorf("%w：编号后应以“号”结尾", ErrSyntax)
	}
	i++
	if i < len(rs) {
		rest := string(rs[i:])
		if !validSuffix(rest) {
			return cn, fmt.Errorf("%w：“号”后多出 %q（只允许“之一”“之二”等）", ErrSyntax, rest)
		}
		cn.Suffix = rest
	}
	return cn, nil
}

// parseCourt reads the court code at the start of rs and returns it with the
// number of runes it took.
func parseCourt(rs []rune) (string, int, error) {
	if strings.HasPrefix(string(rs), supremeCourt) {
		return supremeCourt, len([]rune(supremeCourt)), nil
	}
	if len(rs) == 0 {
		return "", 0, fmt.Errorf("%w：年份后缺少法院代字", ErrCourt)
	}
	if _, ok := provinces[rs[0]]; !ok {
		return "", 0, fmt.Errorf("%w：%q 不是省级简称（如京、沪、粤）或“最高法”", ErrCourt, string(rs[0]))
	}
	i := 1
	for i < len(rs) && isDigit(rs[i]) {
		i++
	}
	// Rule 5: high courts have no digits, intermediate and specialised
	// courts two, basic courts four.
	if d := i - 1; d != 0 && d != 2 && d != 4 {
		return "", 0, fmt.Errorf("%w：%s 的数字部分应为2位（中级法院）或4位（基层法院），实为 %d 位", ErrCourt, string(rs[:i]), d)
	}
	return string(rs[:i]), i, nil
}

var chineseNumerals = "一二三四五六七八九十百"

func validSuffix(s string) bool {
	rest, ok := strings.CutPrefix(s, "之")
	if !ok || rest == "" || len([]rune(rest)) > 4 {
		return false
	}
	for _, r := range rest {
		if !strings.ContainsRune(chineseNumerals, r) {
			return false
		}
	}
	return true
}

// clean folds full-width characters to half-width (golang.org/x/text/width)
// and drops all white space, which people paste in from documents.
func clean(s string) string {
	s = width.Narrow.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// String is the normalised spelling: half-width brackets, no spaces.
func (c CaseNumber) String() string {
	seq := strconv.Itoa(c.Seq)
	if c.TypeCode == "刑核" {
		seq = fmt.Sprintf("%08d", c.Seq)
	}
	return "(" + strconv.Itoa(c.Year) + ")" + c.Court + c.TypeCode + seq + "号" + c.Suffix
}

// Normalize parses s and returns its normalised spelling, e.g.
// "（2024）京0105民初12345号" → "(2024)京0105民初12345号".
func Normalize(s string) (string, error) {
	c, err := Parse(s)
	if err != nil {
		return "", err
	}
	return c.String(), nil
}

// Region is the province-level region of the court, e.g. "北京", or "" for the
// Supreme People's Court.
func (c CaseNumber) Region() string {
	r := []rune(c.Court)
	if len(r) == 0 || c.Court == supremeCourt {
		return ""
	}
	return provinces[r[0]]
}

// CourtLevel describes the court's level from the shape of its code.
// Specialised intermediate courts have fixed numbers: 71 railway transport,
// 72 maritime, 73 intellectual property, 74 financial.
func (c CaseNumber) CourtLevel() string {
	if c.Court == supremeCourt {
		return "最高人民法院"
	}
	r := []rune(c.Court)
	digits := string(r[1:])
	switch len(digits) {
	case 0:
		if r[0] == '军' {
			return "中国人民解放军军事法院"
		}
		return "高级人民法院"
	case 2:
		switch digits {
		case "71":
			return "铁路运输中级法院"
		case "72":
			return "海事法院"
		case "73":
			return "知识产权法院"
		case "74":
			return "金融法院"
		}
		return "中级人民法院"
	}
	if strings.HasPrefix(digits, "71") {
		return "铁路运输基层法院"
	}
	return "基层人民法院"
}
