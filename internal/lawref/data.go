package lawref

// Status says what happened to a cited law or interpretation.
type Status string

const (
	StatusRepealed   Status = "repealed"   // 已废止
	StatusRenumbered Status = "renumbered" // 条文序号已调整
	StatusRevised    Status = "revised"    // 已修订
	StatusVersioned  Status = "versioned"  // 修正后条文序号有调整
)

// Rule is one row of the validity dataset.
type Rule struct {
	Keys        []string // normalised titles (see normalizeTitle)
	Status      Status   // what happened
	Since       string   // date the change took effect, YYYY-MM-DD
	Replacement string   // what to cite instead
	Source      string   // where the row comes from
	Table       string   // name in the article table's versions, when not the key
}

const (
	srcCivilCode = "《中华人民共和国民法典》第一千二百六十条（2020年5月28日通过，2021年1月1日起施行）"
	srcSPC2020   = "《最高人民法院关于废止部分司法解释及相关规范性文件的决定》（法释〔2020〕16号，2021年1月1日起施行）"
	// The document numbers of the 2020 replacement interpretations are the
	// ones published by the Supreme People's Court on 2020-12-29; they could
	// not be re-checked against the source with the tools available while
	// this table was written.
	srcNewInterp = "最高人民法院2020年12月29日发布的民法典配套司法解释"
	srcCPL2023   = "《全国人民代表大会常务委员会关于修改〈中华人民共和国民事诉讼法〉的决定》（2023年9月1日通过，2024年1月1日起施行）"
	srcCompany   = "《中华人民共和国公司法》（2023年12月29日修订，2024年7月1日起施行）"
	// Dates from the texts' own headers; the document numbers (法释〔…〕)
	// could not be re-checked against the source.
	srcPrivateLending = "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》（2015年6月23日通过；2020年8月18日修正，2020年8月20日起施行；2020年12月23日再次修正，2021年1月1日起施行）"
	srcPersonalInjury = "《最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释》（2003年12月4日通过；2020年12月23日修正；2022年4月24日修正，2022年5月1日起施行）"
)

// rules is the embedded validity dataset.
var rules = []Rule{
	{Keys: []string{"婚姻法"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《民法典》第五编 婚姻家庭", Source: srcCivilCode},
	{Keys: []string{"继承法"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《民法典》第六编 继承", Source: srcCivilCode},
	{Keys: []string{"民法通则"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《民法典》第一编 总则", Source: srcCivilCode},
	{Keys: []string{"收养法"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《民法典》第五编第五章 收养", Source: srcCivilCode},
	{Keys: []string{"担保法"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《民法典》物权编担保物权分编及合同编保证合同章", Source: srcCivilCode},
	{Keys: []string{"合同法"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《民法典》第三编 合同", Source: srcCivilCode},
	{Keys: []string{"物权法"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《民法典》第二编 物权", Source: srcCivilCode},
	{Keys: []string{"侵权责任法"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《民法典》第七编 侵权责任", Source: srcCivilCode},
	{Keys: []string{"民法总则"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《民法典》第一编 总则", Source: srcCivilCode},

	{Keys: []string{"合同法解释（一）", "合同法解释一"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《最高人民法院关于适用〈中华人民共和国民法典〉合同编通则若干问题的解释》（法释〔2023〕13号）", Source: srcSPC2020},
	{Keys: []string{"合同法解释（二）", "合同法解释二"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《最高人民法院关于适用〈中华人民共和国民法典〉合同编通则若干问题的解释》（法释〔2023〕13号）", Source: srcSPC2020},
	{Keys: []string{"担保法解释"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《最高人民法院关于适用〈中华人民共和国民法典〉有关担保制度的解释》（法释〔2020〕28号）", Source: srcSPC2020 + "；" + srcNewInterp},
	{Keys: []string{"婚姻法解释（一）", "婚姻法解释一", "婚姻法解释（二）", "婚姻法解释二", "婚姻法解释（三）", "婚姻法解释三"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》（法释〔2020〕22号）", Source: srcSPC2020 + "；" + srcNewInterp},
	{Keys: []string{"劳动争议若干解释", "劳动争议若干解释（一）", "劳动争议若干解释（二）", "劳动争议若干解释（三）", "劳动争议若干解释（四）", "劳动争议解释（三）", "劳动争议解释三", "劳动争议解释（四）", "劳动争议解释四"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》（法释〔2020〕26号）", Source: srcSPC2020 + "；" + srcNewInterp},
	{Keys: []string{"建设工程施工合同解释", "建设工程施工合同解释（二）", "建设工程施工合同解释二"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）》（法释〔2020〕25号）", Source: srcSPC2020 + "；" + srcNewInterp},
	{Keys: []string{"物权法解释（一）", "物权法解释一"}, Status: StatusRepealed, Since: "2021-01-01", Replacement: "《最高人民法院关于适用〈中华人民共和国民法典〉物权编的解释（一）》（法释〔2020〕24号）", Source: srcSPC2020 + "；" + srcNewInterp},

	{Keys: []string{"民事诉讼法"}, Status: StatusRenumbered, Since: "2024-01-01", Replacement: "2023年修正的《民事诉讼法》", Source: srcCPL2023},
	{Keys: []string{"公司法"}, Status: StatusRevised, Since: "2024-07-01", Replacement: "2023年修订的《公司法》（条文序号多有调整，请按新法核对）", Source: srcCompany},
	{Keys: []string{"民间借贷规定", "民间借贷解释"}, Table: "民间借贷规定", Status: StatusVersioned, Since: "2021-01-01", Replacement: "2020年12月修正的《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》", Source: srcPrivateLending},
	{Keys: []string{"人身损害赔偿解释"}, Status: StatusVersioned, Since: "2022-05-01", Replacement: "2022年修正的《最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释》", Source: srcPersonalInjury},
	{Keys: []string{"民通意见", "贯彻执行民法通则意见（试行）", "贯彻执行民法通则意见"}, Status: StatusRepealed, Since: "2021-01-01", Table: "民通意见", Replacement: "《民法典》总则编及《最高人民法院关于适用〈中华人民共和国民法典〉总则编若干问题的解释》（法释〔2022〕6号）", Source: srcSPC2020 + "（民通意见列入该决定的废止目录，未能对照原文核实）"},
}
