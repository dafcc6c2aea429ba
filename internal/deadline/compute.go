package deadline

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lvxin/lvxin/internal/calendar"
)

var (
	// ErrUnknownRule is wrapped when Compute gets a rule id not in the catalogue.
	ErrUnknownRule = errors.New("未知的期限规则")
	// ErrInvalidStart is wrapped when the start date is missing or invalid.
	ErrInvalidStart = errors.New("起算日期无效")
)

// Options adjusts a computation.
type Options struct {
	// Foreign selects the period for a party without a domicile in the PRC
	// (涉外), for rules that have one.
	Foreign bool `json:"foreign"`
}

// Result is a computed deadline with everything needed to explain it.
type Result struct {
	Rule     string `json:"rule"`
	RuleName string `json:"rule_name"`
	// From is the event date the period runs from (送达之日 etc.); it is not
	// counted itself.
	From    calendar.Date `json:"from"`
	Foreign bool          `json:"foreign"`
	Period  string        `json:"period"`
	// Statute is the article that sets the period, e.g. 民事诉讼法第一百七十一条第一款.
	Statute string `json:"statute"`
	// CountingStatute is the article with the counting rules applied.
	CountingStatute string `json:"counting_statute"`
	// RawEnd is the last day of the period before any roll-forward.
	RawEnd calendar.Date `json:"raw_end"`
	// Due is the final due date: the act must be done on or before it.
	Due calendar.Date `json:"due"`
	// Steps explain the computation in order (Chinese).
	Steps []string `json:"steps"`
	// Warnings are uncertainties of this result: provisional holiday data,
	// an adjusted working day, a change of law. Never nil.
	Warnings []string `json:"warnings"`
	// Notes are the rule's standing legal caveats (interruption of
	// limitation periods, long-stop periods ...). Never nil.
	Notes []string `json:"notes"`
	// Provisional is true when a day the result depends on lies in a year
	// whose holiday arrangement has not been published.
	Provisional bool `json:"provisional"`
}

// Compute applies rule ruleID to the event date from on cal. An unknown rule
// id is an error wrapping ErrUnknownRule that lists the valid ids; a zero or
// invalid from wraps ErrInvalidStart. A nil cal means calendar.Default().
func Compute(cal *calendar.Calendar, ruleID string, from calendar.Date, opts Options) (Result, error) {
	s, ok := lookupSpec(ruleID)
	if !ok {
		return Result{}, fmt.Errorf("%w「%s」，可用的规则：%s", ErrUnknownRule, ruleID, validIDs())
	}
	if !from.Valid() {
		return Result{}, fmt.Errorf("%w：起算日期为空或不存在，应为 YYYY-MM-DD 格式的有效日期，例如 2026-03-01", ErrInvalidStart)
	}
	if from.Year < calendar.MinYear || from.Year > calendar.MaxYear {
		return Result{}, fmt.Errorf("%w：起算日期 %s 超出支持范围（%d—%d 年）", ErrInvalidStart, from, calendar.MinYear, calendar.MaxYear)
	}
	if cal == nil {
		cal = calendar.Default()
	}
	res := Result{
		Rule: s.ID, RuleName: s.Name, From: from, Statute: s.Statute,
		Steps: []string{}, Warnings: []string{}, Notes: append([]string{}, s.notes...),
	}
	period := s.period
	if s.variant != nil {
		var steps, warnings []string
		period, res.Statute, steps, warnings = s.variant(from)
		res.Steps = append(res.Steps, steps...)
		res.Warnings = append(res.Warnings, warnings...)
	}
	if opts.Foreign {
		if s.foreign != nil {
			period, res.Foreign = *s.foreign, true
			res.Statute = s.ForeignStatute
			res.Steps = append(res.Steps, fmt.Sprintf("当事人在中华人民共和国领域内没有住所，适用涉外期间 %s（%s）。", period, s.ForeignStatute))
		} else {
			res.Warnings = append(res.Warnings, "该规则没有涉外特别期间，已按一般期间计算。")
		}
	}
	res.Period = period.String()
	res.CountingStatute = s.regime.startNotCounted
	if s.regime.rollForward != "" {
		res.CountingStatute += "；" + s.regime.rollForward
	}

	res.Steps = append(res.Steps,
		fmt.Sprintf("起算：%s（%s）为%s；%s，期间开始的当日不计入，自次日 %s 起算。",
			from, from.WeekdayName(), s.From, cite(s.regime.startNotCounted), from.AddDays(1)),
		fmt.Sprintf("期间：%s（%s）。", period, res.Statute))

	if period.Unit == UnitWorkday {
		res.RawEnd = cal.AddWorkdays(from, period.N)
		res.Due = res.RawEnd
		res.Steps = append(res.Steps, fmt.Sprintf(
			"按工作日计算：自 %s 起第 %d 个工作日为 %s（%s）；周末和法定节假日不计入，调休上班日计入，因此无需顺延。",
			from.AddDays(1), period.N, res.Due, res.Due.WeekdayName()))
		res.Provisional = cal.AnyProvisional(from.AddDays(1), res.Due)
	} else {
		res.RawEnd = rawEnd(&res, from, period, s.regime)
		res.Due = rollForward(&res, cal, s.regime)
		res.Provisional = cal.AnyProvisional(res.RawEnd, res.Due)
		if s.regime.custodyProviso != "" && res.Due != res.RawEnd {
			res.Warnings = append(res.Warnings, fmt.Sprintf(
				"被告人在押的，请注意%s：犯罪嫌疑人、被告人或者罪犯在押期间，应当至期满之日为止，不得因节假日而延长。该但书是否及于在押被告人的上诉期限，本系统未能核实权威解释；稳妥起见，请在未顺延的期间最后一日 %s（%s）或之前提交上诉状。",
				s.regime.custodyProviso, res.RawEnd, res.RawEnd.WeekdayName()))
		}
	}
	if res.Provisional {
		first := res.RawEnd
		if period.Unit == UnitWorkday {
			first = from.AddDays(1)
		}
		res.Warnings = append(res.Warnings, provisionalWarning(cal, first, res.Due))
	}
	res.Steps = append(res.Steps, fmt.Sprintf("届满日：%s（%s），应在当日或之前完成。", res.Due, res.Due.WeekdayName()))
	return res, nil
}

// ComputeText is Compute for user input: it parses from (YYYY-MM-DD) first,
// and a bad date is an error wrapping both ErrInvalidStart and
// calendar.ErrInvalidDate.
func ComputeText(cal *calendar.Calendar, ruleID, from string, opts Options) (Result, error) {
	if _, ok := lookupSpec(ruleID); !ok {
		return Compute(cal, ruleID, calendar.Date{}, opts) // reports the unknown rule
	}
	start, err := calendar.ParseDate(from)
	if err != nil {
		return Result{}, fmt.Errorf("%w：%w", ErrInvalidStart, err)
	}
	return Compute(cal, ruleID, start, opts)
}

// rawEnd counts the period without any rest-day adjustment.
func rawEnd(res *Result, from calendar.Date, p Period, r regime) calendar.Date {
	switch p.Unit {
	case UnitMonth, UnitYear:
		n := p.N
		if p.Unit == UnitYear {
			n *= 12
		}
		end, clamped := from.AddMonths(n)
		if clamped {
			res.Steps = append(res.Steps, fmt.Sprintf(
				"按%s计算：到期月 %d年%d月 没有与起算日对应的 %d 日，以该月末日 %s 为期间的最后一日（%s）。",
				unitWord(p.Unit), end.Year, int(end.Month), from.Day, end, r.monthEnd))
		} else {
			res.Steps = append(res.Steps, fmt.Sprintf(
				"按%s计算：到期月的对应日 %s（%s）为期间的最后一日（%s）。",
				unitWord(p.Unit), end, end.WeekdayName(), r.monthEnd))
		}
		return end
	default:
		end := from.AddDays(p.N)
		res.Steps = append(res.Steps, fmt.Sprintf("按日计算：%s 之后第 %d 日，即 %s（%s），为期间的最后一日。", from, p.N, end, end.WeekdayName()))
		return end
	}
}

// rollForward moves a last day that is a rest day to the first day after the
// rest days, and flags adjusted working days, which the law does not address.
func rollForward(res *Result, cal *calendar.Calendar, r regime) calendar.Date {
	last := cal.Day(res.RawEnd)
	switch last.Kind {
	case calendar.KindAdjustedWorkday:
		res.Steps = append(res.Steps, fmt.Sprintf("%s 是调休上班日（%s，%s安排），按工作日对待，不依%s顺延。", res.RawEnd, last.Weekday, last.Name, r.rollForward))
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"期间最后一日 %s 是调休上班的%s。法律对调休上班的周末是否属于%s没有明确规定；本结果按较早的 %s 作为届满日，稳妥起见请在该日或之前完成，并事先确认法院或仲裁机构当日是否办公。",
			res.RawEnd, last.Weekday, r.restDayWord, res.RawEnd))
		return res.RawEnd
	case calendar.KindWorkday:
		res.Steps = append(res.Steps, fmt.Sprintf("%s 是工作日，不是%s，无需顺延（%s）。", res.RawEnd, r.restDayWord, r.rollForward))
		return res.RawEnd
	}
	due := cal.NextWorkday(res.RawEnd)
	next := cal.Day(due)
	res.Steps = append(res.Steps, fmt.Sprintf(
		"%s（%s）是%s，属于%s；依%s，以%s后的第一日 %s（%s%s）为期间届满的日期。",
		res.RawEnd, last.Weekday, restDescription(last), r.restDayWord, r.rollForward, r.restDayWord, due, next.Weekday, kindSuffix(next)))
	if skipped := restStretch(cal, res.RawEnd, due); skipped != "" {
		res.Steps = append(res.Steps, skipped)
	}
	if next.Kind == calendar.KindAdjustedWorkday {
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"顺延后的届满日 %s 是调休上班的%s。法律未明确调休上班日的地位；本结果按该日（较早的日期）届满计算，请事先确认法院或仲裁机构当日是否办公。",
			due, next.Weekday))
	}
	return due
}

// restStretch describes the rest days skipped by a roll-forward of more than one day.
func restStretch(cal *calendar.Calendar, rawEnd, due calendar.Date) string {
	lastRest := due.AddDays(-1)
	if lastRest == rawEnd {
		return ""
	}
	var names []string
	for d := rawEnd; !d.After(lastRest); d = d.AddDays(1) {
		if n := cal.Day(d).Name; n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	what := "周末"
	if len(names) > 0 {
		what = strings.Join(names, "、") + "假期"
	}
	return fmt.Sprintf("%s 至 %s 连续为休假日（%s），均不作为届满日。", rawEnd, lastRest, what)
}

// provisionalWarning names the unpublished years that make days in
// [first, last] provisional.
func provisionalWarning(cal *calendar.Calendar, first, last calendar.Date) string {
	var missing []string
	for d := first; !d.After(last); d = d.AddDays(1) {
		if !cal.Day(d).Provisional {
			continue
		}
		y := d.Year
		if cal.HasYear(y) { // late December waiting for next year's New Year arrangement
			y++
		}
		if label := fmt.Sprint(y); !slices.Contains(missing, label) {
			missing = append(missing, label)
		}
	}
	basis := "周末"
	if rule, ok := calendar.FixedHolidayRuleFor(first.Year); ok {
		basis = "周末和" + rule.Citation + "固定的节日（元旦、春节、清明节、劳动节、端午节、中秋节、国庆节）"
	}
	return fmt.Sprintf("暂定结果：%s 年的放假安排尚未公布，相关日期按%s推算；国务院办公厅公布的调休安排可能使届满日提前或推后。公布的安排导入后，已保存的期限会自动重新计算。",
		strings.Join(missing, "、"), basis)
}

func restDescription(info calendar.DayInfo) string {
	if info.Kind == calendar.KindHoliday && info.Fixed {
		return "法定节假日（" + info.Name + "，全国年节及纪念日放假办法第二条规定的放假日，当年放假安排尚未公布）"
	}
	if info.Kind == calendar.KindHoliday {
		return "法定节假日（" + info.Name + "）"
	}
	return "周末"
}

func kindSuffix(info calendar.DayInfo) string {
	if info.Kind == calendar.KindAdjustedWorkday {
		return "，调休上班日"
	}
	return ""
}

func unitWord(u Unit) string {
	if u == UnitYear {
		return "年"
	}
	return "月"
}

func cite(statute string) string { return "依" + statute }
