package redact

import (
	"strings"
	"unicode/utf8"
)

// commonSurnames are the about 120 most frequent single-character surnames
// (公安部《二〇二〇年全国姓名报告》 and the 百家姓 ranking); a two-character
// dictionary name starting with one of them is trusted without context.
const commonSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾萧肖田董潘袁蔡蒋余杜叶程魏苏吕丁沈任姚卢傅钟姜崔谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤高郑胡"

// otherSurnames completes the list of single-character surnames accepted
// when context (a role word or a title) marks a person.
const otherSurnames = "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇于栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由贝习秋阎洪扶郦濮寿宦庾暨弘禄蔚訾竺蒯"

// compoundSurnames are two-character surnames (复姓).
var compoundSurnames = []string{
	"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
	"宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "西门", "南宫", "独孤", "百里",
	"呼延", "万俟", "澹台", "公冶", "太史", "申屠", "钟离", "闻人", "赫连", "濮阳",
	"宗政", "拓跋", "淳于", "单于", "司空", "亓官", "仲孙", "东郭", "左丘", "第五",
}

// Surname classes of the characters in the CJK Unified Ideographs block.
const (
	classCommon        = 1 << iota // in commonSurnames
	classOther                     // in otherSurnames
	classCompoundFirst             // first character of a compound surname
	classStop                      // in stopRunes
	classNounFinal                 // in nounFinals
)

const hanFirst, hanLast = 0x4E00, 0x9FFF

var surnameClass = func() *[hanLast - hanFirst + 1]uint8 {
	var c [hanLast - hanFirst + 1]uint8
	for _, r := range commonSurnames {
		c[r-hanFirst] |= classCommon
	}
	for _, r := range otherSurnames {
		c[r-hanFirst] |= classOther
	}
	for _, s := range compoundSurnames {
		r, _ := utf8.DecodeRuneInString(s)
		c[r-hanFirst] |= classCompoundFirst
	}
	for _, r := range stopRunes {
		c[r-hanFirst] |= classStop
	}
	for _, r := range nounFinals {
		c[r-hanFirst] |= classNounFinal
	}
	return &c
}()

func classOf(r rune) uint8 {
	if r < hanFirst || r > hanLast {
		return 0
	}
	return surnameClass[r-hanFirst]
}

// mayStartName reports whether a name may start with r.
func mayStartName(r rune) bool {
	return classOf(r)&(classCommon|classOther|classCompoundFirst) != 0
}

// surnameLen returns the byte length of the surname s starts with, 0 if none.
// strict limits single-character surnames to the common list.
func surnameLen(s string, strict bool) int {
	r, size := utf8.DecodeRuneInString(s)
	class := classOf(r)
	if class&classCompoundFirst != 0 {
		for _, c := range compoundSurnames {
			if strings.HasPrefix(s, c) {
				return len(c)
			}
		}
	}
	if class&classCommon != 0 || !strict && class&classOther != 0 {
		return size
	}
	return 0
}
