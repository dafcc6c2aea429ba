package lawref

import (
	"regexp"
	"strings"
)

// Rules of substance that were replaced, recognised from the words of the
// text whether or not it cites anything. Stating them as the law today is
// wrong, so they must be fixed.

var (
	interestCap  = regexp.MustCompile(`24\s?[%％]|百分之二十四|36\s?[%％]|百分之三十六|两线三区`)
	interestWord = regexp.MustCompile(`利率|利息|年息|年化|借贷|借款|高利|司法保护|受法律保护`)
	lprWord      = regexp.MustCompile(`LPR|贷款市场报价利率|四倍`)
	ruralRate    = regexp.MustCompile(`农村居民人均纯收入|农村居民人均可支配收入|农村居民人均年生活消费支出|农村居民标准|按农村标准`)
	injuryWord   = regexp.MustCompile(`死亡赔偿金|残疾赔偿金|被扶养人生活费|人身损害|赔偿`)
)

// CheckObsoleteRules flags the 24%/36% interest rule (replaced by four
// times the one-year LPR from 2020-08-20) and the urban/rural split of
// personal-injury compensation (replaced by the urban standard from
// 2022-05-01).
func CheckObsoleteRules(text string) []Issue {
	var out []Issue
	for _, m := range interestCap.FindAllStringIndex(text, -1) {
		s, e := sentenceBounds(text, m[0], m[1])
		sentence := text[s:e]
		if !interestWord.MatchString(sentence) || lprWord.MatchString(sentence) {
			continue
		}
		if len(out) > 0 && out[len(out)-1].Kind == KindObsoleteRule && out[len(out)-1].Start >= s {
			continue // one issue per sentence
		}
		out = append(out, Issue{
			Kind: KindObsoleteRule, Start: m[0], End: m[1], Text: text[m[0]:m[1]], MustFix: true,
			Message: "“年利率24%以内受保护、24%至36%为自然债务、超过36%无效”是2015年《民间借贷规定》第二十六条的规则，" +
				"2020年8月20日起已改为以合同成立时一年期贷款市场报价利率（LPR）的四倍为上限（现行第二十五条）。" +
				"旧规则只适用于依当时规定审理的早期借贷；请修改，或写明适用的时间范围。",
			Suggestion: "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条：利率超过合同成立时一年期贷款市场报价利率四倍的部分不予支持",
			Source:     srcPrivateLending,
		})
	}
	for _, m := range ruralRate.FindAllStringIndex(text, -1) {
		s, e := sentenceBounds(text, m[0], m[1])
		if !injuryWord.MatchString(text[s:e]) || strings.Contains(text[s:e], "城镇居民") && strings.Contains(text[s:e], "统一") {
			continue
		}
		out = append(out, Issue{
			Kind: KindObsoleteRule, Start: m[0], End: m[1], Text: text[m[0]:m[1]], MustFix: true,
			Message: "人身损害赔偿中按农村居民标准计算残疾赔偿金、死亡赔偿金、被扶养人生活费的规则，" +
				"已由2022年修正的《人身损害赔偿解释》（2022年5月1日起施行）改为统一按城镇居民标准计算（第十二条、第十五条、第十七条）。请修改，或写明适用的时间范围。",
			Suggestion: "按受诉法院所在地上一年度城镇居民人均可支配收入（人均消费支出）计算",
			Source:     srcPersonalInjury,
		})
	}
	return out
}
