package deadline

import (
	"fmt"

	"github.com/lvxin/lvxin/internal/calendar"
)

// ArbitrationLawRevisionEffective is when the revised 仲裁法 (adopted
// 2025-09-12) takes effect and the period to apply to set aside an award
// shrinks from six months to three.
var ArbitrationLawRevisionEffective = calendar.MustDate(2026, 3, 1)

func days(n int) Period    { return Period{N: n, Unit: UnitDay} }
func months(n int) Period  { return Period{N: n, Unit: UnitMonth} }
func years(n int) Period   { return Period{N: n, Unit: UnitYear} }
func ptr(p Period) *Period { return &p }

// catalogue is the rule table. Statutes use the numbering in force: 民事诉讼法
// as amended 2023 (in force 2024-01-01), 行政复议法 as revised 2023 (in force
// 2024-01-01), 刑事诉讼法 as amended 2018, 行政诉讼法 as amended 2017.
var catalogue = []spec{
	{
		Rule: Rule{ID: "appeal-judgment", Name: "民事一审判决上诉期", Category: "民事诉讼",
			Statute: "民事诉讼法第一百七十一条第一款", From: "判决书送达之日",
			Description:    "当事人不服地方人民法院第一审判决的，有权在判决书送达之日起十五日内向上一级人民法院提起上诉。在中华人民共和国领域内没有住所的当事人为三十日。",
			ForeignStatute: "民事诉讼法第二百八十六条"},
		period: days(15), foreign: ptr(days(30)), regime: civilProcedure,
		notes: []string{"各方当事人收到判决书的日期不同的，上诉期分别计算。"},
	},
	{
		Rule: Rule{ID: "appeal-ruling", Name: "民事一审裁定上诉期", Category: "民事诉讼",
			Statute: "民事诉讼法第一百七十一条第二款", From: "裁定书送达之日",
			Description:    "当事人不服地方人民法院第一审裁定的，有权在裁定书送达之日起十日内向上一级人民法院提起上诉。在中华人民共和国领域内没有住所的当事人为三十日。",
			ForeignStatute: "民事诉讼法第二百八十六条"},
		period: days(10), foreign: ptr(days(30)), regime: civilProcedure,
		notes: []string{"只有法律规定可以上诉的裁定（不予受理、对管辖权有异议、驳回起诉）才能上诉。"},
	},
	{
		Rule: Rule{ID: "defense", Name: "民事答辩期", Category: "民事诉讼",
			Statute: "民事诉讼法第一百二十八条第一款", From: "收到起诉状副本之日",
			Description:    "被告应当在收到起诉状副本之日起十五日内提出答辩状；在中华人民共和国领域内没有住所的被告为三十日。",
			ForeignStatute: "民事诉讼法第二百八十五条"},
		period: days(15), foreign: ptr(days(30)), regime: civilProcedure,
		notes: []string{"被告不提出答辩状的，不影响人民法院审理。"},
	},
	{
		Rule: Rule{ID: "evidence-period", Name: "举证期限（一审普通程序最短期限）", Category: "民事诉讼",
			Statute: "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释第九十九条第二款", From: "收到举证通知书之日",
			Description: "人民法院确定举证期限，第一审普通程序案件不得少于十五日；当事人提供新的证据的第二审案件不得少于十日。"},
		period: days(15), regime: civilProcedure,
		notes: []string{"举证期限以人民法院举证通知书载明的日期为准；本结果只是一审普通程序的最短期限，简易程序、小额诉讼另有规定（民事证据规定第五十一条）。"},
	},
	{
		Rule: Rule{ID: "enforcement-application", Name: "申请执行期间", Category: "民事诉讼",
			Statute: "民事诉讼法第二百五十条", From: "法律文书规定履行期间的最后一日",
			Description: "申请执行的期间为二年，从法律文书规定履行期间的最后一日起计算；规定分期履行的，从最后一期履行期限届满之日起计算；未规定履行期间的，从法律文书生效之日起计算。"},
		period: years(2), regime: civilProcedure,
		notes: []string{"申请执行时效的中止、中断适用诉讼时效中止、中断的规定，本计算未考虑。"},
	},
	{
		Rule: Rule{ID: "retrial-application", Name: "申请再审期限", Category: "民事诉讼",
			Statute: "民事诉讼法第二百一十六条", From: "判决、裁定发生法律效力之日",
			Description: "当事人申请再审，应当在判决、裁定发生法律效力后六个月内提出；有第二百一十一条第一项、第三项、第十二项、第十三项规定情形的，自知道或者应当知道之日起六个月内提出。"},
		period: months(6), regime: civilProcedure,
	},
	{
		Rule: Rule{ID: "preservation-lawsuit", Name: "诉前保全后起诉期限", Category: "民事诉讼",
			Statute: "民事诉讼法第一百零四条第三款", From: "人民法院采取保全措施之日",
			Description: "申请人在人民法院采取保全措施后三十日内不依法提起诉讼或者申请仲裁的，人民法院应当解除保全。"},
		period: days(30), regime: civilProcedure,
	},
	{
		Rule: Rule{ID: "payment-order-objection", Name: "支付令异议期", Category: "民事诉讼",
			Statute: "民事诉讼法第二百二十七条第二款", From: "收到支付令之日",
			Description: "债务人应当自收到支付令之日起十五日内清偿债务，或者向人民法院提出书面异议。"},
		period: days(15), regime: civilProcedure,
	},
	{
		Rule: Rule{ID: "limitation-general", Name: "普通诉讼时效", Category: "实体法时效",
			Statute: "民法典第一百八十八条第一款", From: "知道或者应当知道权利受到损害以及义务人之日",
			Description: "向人民法院请求保护民事权利的诉讼时效期间为三年；自权利受到损害之日起超过二十年的，人民法院不予保护（最长保护期间，见 limitation-longstop）。"},
		period: years(3), regime: civilCode,
		notes: []string{
			"诉讼时效可因中止、中断而变化（民法典第一百九十四条、第一百九十五条），本计算未考虑。",
			"自权利受到损害之日起超过二十年的，人民法院不予保护；有特殊情况的，人民法院可以根据权利人的申请决定延长（民法典第一百八十八条第二款）。",
		},
	},
	{
		Rule: Rule{ID: "limitation-longstop", Name: "最长权利保护期间（二十年）", Category: "实体法时效",
			Statute: "民法典第一百八十八条第二款", From: "权利受到损害之日",
			Description: "自权利受到损害之日起超过二十年的，人民法院不予保护；有特殊情况的，人民法院可以根据权利人的申请决定延长。"},
		period: years(20), regime: civilCode,
		notes: []string{"二十年期间不适用中止、中断。"},
	},
	{
		Rule: Rule{ID: "limitation-intl-sale", Name: "国际货物买卖、技术进出口合同诉讼时效", Category: "实体法时效",
			Statute: "民法典第五百九十四条", From: "知道或者应当知道其权利受到损害之日",
			Description: "因国际货物买卖合同和技术进出口合同争议提起诉讼或者申请仲裁的时效期间为四年。"},
		period: years(4), regime: civilCode,
		notes: []string{"诉讼时效可因中止、中断而变化（民法典第一百九十四条、第一百九十五条），本计算未考虑。"},
	},
	{
		Rule: Rule{ID: "labor-arbitration-limitation", Name: "劳动争议仲裁时效", Category: "劳动争议",
			Statute: "劳动争议调解仲裁法第二十七条第一款", From: "知道或者应当知道其权利被侵害之日",
			Description: "劳动争议申请仲裁的时效期间为一年，从当事人知道或者应当知道其权利被侵害之日起计算。"},
		period: years(1), regime: civilCode,
		notes: []string{
			"仲裁时效可因中断、中止而变化（劳动争议调解仲裁法第二十七条第二款、第三款），本计算未考虑。",
			"劳动关系存续期间因拖欠劳动报酬发生争议的，不受一年限制；劳动关系终止的，应当自终止之日起一年内提出（第二十七条第四款）。",
		},
	},
	{
		Rule: Rule{ID: "labor-award-lawsuit", Name: "不服劳动仲裁裁决起诉期", Category: "劳动争议",
			Statute: "劳动争议调解仲裁法第四十八条、第五十条", From: "收到仲裁裁决书之日",
			Description: "劳动者对终局裁决不服的（第四十八条），或当事人对非终局裁决不服的（第五十条），可以自收到仲裁裁决书之日起十五日内向人民法院提起诉讼；期满不起诉的，裁决书发生法律效力。"},
		period: days(15), regime: civilProcedure,
		notes: []string{"用人单位对终局裁决申请撤销的期限为三十日，见 labor-award-set-aside。"},
	},
	{
		Rule: Rule{ID: "labor-award-set-aside", Name: "用人单位申请撤销劳动仲裁终局裁决期限", Category: "劳动争议",
			Statute: "劳动争议调解仲裁法第四十九条", From: "收到仲裁裁决书之日",
			Description: "用人单位有证据证明终局裁决有法定情形之一的，可以自收到仲裁裁决书之日起三十日内向仲裁委员会所在地的中级人民法院申请撤销裁决。"},
		period: days(30), regime: civilProcedure,
	},
	{
		Rule: Rule{ID: "admin-reconsideration", Name: "行政复议申请期限", Category: "行政",
			Statute: "行政复议法第二十条第一款", From: "知道或者应当知道该行政行为之日",
			Description: "认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请；法律规定的申请期限超过六十日的除外。"},
		period: days(60), regime: adminReconsideration,
		notes: []string{"行政机关未告知申请行政复议的权利、机关和期限的，申请期限自知道或者应当知道之日起计算，但最长不超过一年（行政复议法第二十条第三款）。"},
	},
	{
		Rule: Rule{ID: "admin-lawsuit", Name: "行政诉讼起诉期限", Category: "行政",
			Statute: "行政诉讼法第四十六条第一款", From: "知道或者应当知道作出行政行为之日",
			Description: "直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出；法律另有规定的除外。"},
		period: months(6), regime: adminLitigation,
		notes: []string{"因不动产提起诉讼的案件自行政行为作出之日起超过二十年，其他案件自行政行为作出之日起超过五年提起诉讼的，人民法院不予受理（行政诉讼法第四十六条第二款）。"},
	},
	{
		Rule: Rule{ID: "admin-lawsuit-after-reconsideration", Name: "复议后行政诉讼起诉期限", Category: "行政",
			Statute: "行政诉讼法第四十五条", From: "收到复议决定书之日",
			Description: "不服复议决定的，可以在收到复议决定书之日起十五日内向人民法院提起诉讼；复议机关逾期不作决定的，可以在复议期满之日起十五日内起诉。"},
		period: days(15), regime: adminLitigation,
	},
	{
		Rule: Rule{ID: "criminal-appeal-judgment", Name: "刑事判决上诉、抗诉期限", Category: "刑事诉讼",
			Statute: "刑事诉讼法第二百三十条", From: "接到判决书之日",
			Description: "不服判决的上诉和抗诉的期限为十日，从接到判决书的第二日起算。"},
		period: days(10), regime: criminalProcedure,
		notes: []string{"附带民事诉讼部分的上诉期限与刑事部分一致。", "被告人在押的，可以通过看守所提交上诉状。"},
	},
	{
		Rule: Rule{ID: "criminal-appeal-ruling", Name: "刑事裁定上诉、抗诉期限", Category: "刑事诉讼",
			Statute: "刑事诉讼法第二百三十条", From: "接到裁定书之日",
			Description: "不服裁定的上诉和抗诉的期限为五日，从接到裁定书的第二日起算。"},
		period: days(5), regime: criminalProcedure,
	},
	{
		Rule: Rule{ID: "arbitral-award-set-aside", Name: "申请撤销仲裁裁决期限", Category: "仲裁",
			Statute: "仲裁法（2017年修正）第五十九条；仲裁法（2025年修订）第七十二条", From: "收到裁决书之日",
			Description: "2026年3月1日前收到裁决书的，应当自收到之日起六个月内申请撤销（仲裁法（2017年修正）第五十九条）；自2026年3月1日起收到的，适用修订后的仲裁法，期限为三个月（第七十二条）。"},
		period: months(6), regime: civilProcedure, variant: arbitralSetAside,
	},
	{
		Rule: Rule{ID: "admin-appeal-judgment", Name: "行政一审判决上诉期", Category: "行政",
			Statute: "行政诉讼法第八十五条", From: "判决书送达之日",
			Description: "当事人不服人民法院第一审判决的，有权在判决书送达之日起十五日内向上一级人民法院提起上诉；逾期不提起上诉的，第一审判决发生法律效力。"},
		period: days(15), regime: adminLitigation,
		notes: []string{"行政诉讼法对涉外当事人的上诉期没有特别规定；是否参照民事诉讼法第二百八十六条适用三十日，本系统未能核实，稳妥起见按十五日准备。"},
	},
	{
		Rule: Rule{ID: "admin-appeal-ruling", Name: "行政一审裁定上诉期", Category: "行政",
			Statute: "行政诉讼法第八十五条", From: "裁定书送达之日",
			Description: "当事人不服人民法院第一审裁定的，有权在裁定书送达之日起十日内向上一级人民法院提起上诉；逾期不提起上诉的，第一审裁定发生法律效力。"},
		period: days(10), regime: adminLitigation,
		notes: []string{"行政诉讼法对涉外当事人的上诉期没有特别规定；是否参照民事诉讼法第二百八十六条适用三十日，本系统未能核实，稳妥起见按十日准备。"},
	},
	{
		Rule: Rule{ID: "third-party-revocation", Name: "第三人撤销之诉起诉期限", Category: "民事诉讼",
			Statute: "民事诉讼法第五十九条第三款", From: "知道或者应当知道其民事权益受到损害之日",
			Description: "第三人因不能归责于本人的事由未参加诉讼，但有证据证明发生法律效力的判决、裁定、调解书的部分或者全部内容错误，损害其民事权益的，可以自知道或者应当知道其民事权益受到损害之日起六个月内，向作出该判决、裁定、调解书的人民法院提起诉讼。"},
		period: months(6), regime: civilProcedure,
		notes: []string{"起算日是第三人知道或者应当知道其民事权益受到损害之日，不是生效裁判的送达日；请保留能证明知道时间的材料。"},
	},
	{
		Rule: Rule{ID: "execution-objection-lawsuit", Name: "案外人执行异议之诉起诉期限", Category: "民事诉讼",
			Statute: "民事诉讼法第二百三十八条", From: "执行异议裁定送达之日",
			Description: "案外人对执行标的提出书面异议被裁定驳回（或当事人对中止执行裁定不服），与原判决、裁定无关的，可以自裁定送达之日起十五日内向人民法院提起诉讼。"},
		period: days(15), regime: civilProcedure,
		notes: []string{"认为原判决、裁定错误的，应当依照审判监督程序办理，不适用本期限（民事诉讼法第二百三十八条）。"},
	},
	{
		Rule: Rule{ID: "execution-review", Name: "执行异议裁定申请复议期限", Category: "民事诉讼",
			Statute: "民事诉讼法第二百三十六条", From: "执行异议裁定送达之日",
			Description: "当事人、利害关系人认为执行行为违反法律规定，提出书面异议后对人民法院的裁定不服的，可以自裁定送达之日起十日内向上一级人民法院申请复议。"},
		period: days(10), regime: civilProcedure,
		notes: []string{"本期限针对执行行为异议（第二百三十六条）；案外人对执行标的的异议适用第二百三十八条，见 execution-objection-lawsuit。"},
	},
	{
		Rule: Rule{ID: "extension-application", Name: "申请顺延期限", Category: "民事诉讼",
			Statute: "民事诉讼法第八十六条", From: "障碍消除之日",
			Description: "当事人因不可抗拒的事由或者其他正当理由耽误期限的，在障碍消除后的十日内，可以申请顺延期限，是否准许，由人民法院决定。"},
		period: days(10), regime: civilProcedure,
		notes: []string{"是否准许顺延由人民法院决定；请同时准备耽误期限的事由与障碍消除时间的证据。"},
	},
	{
		Rule: Rule{ID: "guarantee-period", Name: "保证期间（未约定或约定不明）", Category: "实体法期间",
			Statute: "民法典第六百九十二条第二款", From: "主债务履行期限届满之日",
			Description: "债权人与保证人没有约定保证期间或者约定不明确的，保证期间为主债务履行期限届满之日起六个月；约定的保证期间早于主债务履行期限或者与其同时届满的，视为没有约定。"},
		period: months(6), regime: civilCode,
		notes: []string{
			"保证期间不发生中止、中断和延长（民法典第六百九十二条第一款）。",
			"有效约定的保证期间优先；主债务履行期限没有约定或者约定不明确的，保证期间自债权人请求债务人履行债务的宽限期届满之日起计算（第六百九十二条第三款）。",
		},
	},
	{
		Rule: Rule{ID: "rescission", Name: "撤销权行使期间（一般）", Category: "实体法期间",
			Statute: "民法典第一百五十二条第一款第一项", From: "知道或者应当知道撤销事由之日",
			Description: "当事人自知道或者应当知道撤销事由之日起一年内没有行使撤销权的，撤销权消灭；受胁迫的，自胁迫行为终止之日起一年内（第一百五十二条第一款第二项）。"},
		period: years(1), regime: civilCode,
		notes: []string{
			"重大误解的撤销期间为九十日，见 rescission-misunderstanding；受胁迫的，以胁迫行为终止之日为起算日。",
			"自民事法律行为发生之日起五年内没有行使撤销权的，撤销权消灭（第一百五十二条第二款），见 rescission-longstop。",
			"撤销权期间为除斥期间，不适用诉讼时效中止、中断的规定。",
		},
	},
	{
		Rule: Rule{ID: "rescission-misunderstanding", Name: "撤销权行使期间（重大误解）", Category: "实体法期间",
			Statute: "民法典第一百五十二条第一款第一项", From: "知道或者应当知道撤销事由之日",
			Description: "重大误解的当事人自知道或者应当知道撤销事由之日起九十日内没有行使撤销权的，撤销权消灭。"},
		period: days(90), regime: civilCode,
		notes: []string{"自民事法律行为发生之日起五年内没有行使撤销权的，撤销权消灭（第一百五十二条第二款），见 rescission-longstop。"},
	},
	{
		Rule: Rule{ID: "rescission-longstop", Name: "撤销权最长期间（五年）", Category: "实体法期间",
			Statute: "民法典第一百五十二条第二款", From: "民事法律行为发生之日",
			Description: "当事人自民事法律行为发生之日起五年内没有行使撤销权的，撤销权消灭。"},
		period: years(5), regime: civilCode,
		notes: []string{"五年期间自民事法律行为发生之日起算，不论当事人何时知道撤销事由。"},
	},
	{
		Rule: Rule{ID: "group-dissolution", Name: "结案后解散案件群", Category: "律所规范",
			Statute: "本所执业规范（内部规则，非法定期间）", From: "案件结案之日",
			Description: "案件结案后十五个工作日内解散案件群（企业微信群），按工作日计算，调休上班日计入，周末和法定节假日不计入。"},
		period: Period{N: 15, Unit: UnitWorkday}, regime: firmPractice,
	},
}

// arbitralSetAside picks the law in force when the award was received.
func arbitralSetAside(from calendar.Date) (Period, string, []string, []string) {
	if !from.Before(ArbitrationLawRevisionEffective) {
		return months(3), "仲裁法（2025年修订）第七十二条",
			[]string{fmt.Sprintf("裁决书于 %s 收到，在修订后的仲裁法施行（%s）之后，适用三个月的撤裁期限。", from, ArbitrationLawRevisionEffective)},
			nil
	}
	steps := []string{fmt.Sprintf("裁决书于 %s 收到，在修订后的仲裁法施行（%s）之前，适用修订前仲裁法的六个月期限。", from, ArbitrationLawRevisionEffective)}
	var warnings []string
	if sixMonths, _ := from.AddMonths(6); !sixMonths.Before(ArbitrationLawRevisionEffective) {
		threeMonths, _ := from.AddMonths(3)
		warnings = append(warnings, fmt.Sprintf(
			"六个月期间跨越修订后仲裁法的施行日 %s（新法撤裁期限为三个月）。新旧法如何衔接，本系统未能核实明确规定；稳妥起见，建议按收到裁决书之日起三个月（%s，未作节假日顺延）准备申请。",
			ArbitrationLawRevisionEffective, threeMonths))
	}
	return months(6), "仲裁法（2017年修正）第五十九条", steps, warnings
}
