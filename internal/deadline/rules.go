package deadline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lvxin/lvxin/internal/calendar"
)

// Unit is the unit a period is counted in.
type Unit string

const (
	UnitDay     Unit = "day"
	UnitMonth   Unit = "month"
	UnitYear    Unit = "year"
	UnitWorkday Unit = "workday" // working days of the calendar; no roll-forward needed
)

// Period is a length of time such as 15 days or 6 months.
type Period struct {
	N    int  `json:"n"`
	Unit Unit `json:"unit"`
}

// String gives the Chinese form: 15日, 6个月, 2年, 15个工作日.
func (p Period) String() string {
	switch p.Unit {
	case UnitMonth:
		return fmt.Sprintf("%d个月", p.N)
	case UnitYear:
		return fmt.Sprintf("%d年", p.N)
	case UnitWorkday:
		return fmt.Sprintf("%d个工作日", p.N)
	}
	return fmt.Sprintf("%d日", p.N)
}

// Rule is one entry of the catalogue as shown to users.
type Rule struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Category          string `json:"category"` // 民事诉讼, 刑事诉讼, 行政, 劳动争议, 仲裁, 实体法时效, 律所规范
	Period            string `json:"period"`
	Statute           string `json:"statute"`
	From              string `json:"from"` // what the start date must be, e.g. 判决书送达之日
	Description       string `json:"description"`
	HasForeignVariant bool   `json:"has_foreign_variant"`
	ForeignPeriod     string `json:"foreign_period,omitempty"`
	ForeignStatute    string `json:"foreign_statute,omitempty"`
}

// regime is the counting law a rule follows: which statute says the start day
// is not counted and that a last day on a rest day moves forward.
type regime struct {
	startNotCounted string // citation
	rollForward     string // citation
	monthEnd        string // citation for month/year periods without a corresponding day
	restDayWord     string // the statute's own word for the rest day
	// custodyProviso, when set, is the citation of a rule that a period
	// running while a person is in custody is not extended by holidays.
	custodyProviso string
}

var (
	civilProcedure = regime{
		startNotCounted: "民事诉讼法第八十五条第二款",
		rollForward:     "民事诉讼法第八十五条第三款",
		monthEnd:        "民法典第二百零二条",
		restDayWord:     "法定休假日",
	}
	civilCode = regime{
		startNotCounted: "民法典第二百零一条第一款",
		rollForward:     "民法典第二百零三条第一款",
		monthEnd:        "民法典第二百零二条",
		restDayWord:     "法定休假日",
	}
	criminalProcedure = regime{
		startNotCounted: "刑事诉讼法第一百零五条第二款",
		rollForward:     "刑事诉讼法第一百零五条第四款",
		monthEnd:        "民法典第二百零二条",
		restDayWord:     "节假日",
		custodyProviso:  "刑事诉讼法第一百零五条第四款但书",
	}
	// adminLitigation: 行政诉讼法第一百零一条 refers to the civil procedure
	// law where the act is silent, but the Supreme People's Court's
	// interpretation (法释〔2018〕1号) art 48 states the counting rules for
	// administrative cases itself, so it is cited first.
	adminLitigation = regime{
		startNotCounted: "最高人民法院关于适用《中华人民共和国行政诉讼法》的解释第四十八条第二款（行政诉讼法第一百零一条）",
		rollForward:     "最高人民法院关于适用《中华人民共和国行政诉讼法》的解释第四十八条第三款（行政诉讼法第一百零一条）",
		monthEnd:        "民法典第二百零二条",
		restDayWord:     "节假日",
	}
	adminReconsideration = regime{
		startNotCounted: "行政复议法第八十八条、民事诉讼法第八十五条第二款",
		rollForward:     "行政复议法第八十八条、民事诉讼法第八十五条第三款",
		monthEnd:        "民法典第二百零二条",
		restDayWord:     "法定休假日",
	}
	firmPractice = regime{startNotCounted: "本所执业规范"}
)

// spec is a catalogue entry with what Compute needs.
type spec struct {
	Rule
	period  Period
	foreign *Period
	regime  regime
	notes   []string
	// variant, when set, picks the period and statute from the start date
	// (for a law that changed); it may add steps and warnings.
	variant func(from calendar.Date) (p Period, statute string, steps, warnings []string)
}

func (s spec) public() Rule {
	r := s.Rule
	r.Period = s.period.String()
	if s.foreign != nil {
		r.HasForeignVariant = true
		r.ForeignPeriod = s.foreign.String()
	}
	return r
}

// Rules returns the catalogue in a stable order.
func Rules() []Rule {
	out := make([]Rule, len(catalogue))
	for i, s := range catalogue {
		out[i] = s.public()
	}
	return out
}

// RuleIDs returns the ids of all rules in catalogue order.
func RuleIDs() []string {
	ids := make([]string, len(catalogue))
	for i, s := range catalogue {
		ids[i] = s.ID
	}
	return ids
}

// Lookup returns the rule with the given id.
func Lookup(id string) (Rule, bool) {
	s, ok := lookupSpec(id)
	if !ok {
		return Rule{}, false
	}
	return s.public(), true
}

func lookupSpec(id string) (spec, bool) {
	i := slices.IndexFunc(catalogue, func(s spec) bool { return s.ID == id })
	if i < 0 {
		return spec{}, false
	}
	return catalogue[i], true
}

func validIDs() string { return strings.Join(RuleIDs(), "、") }
