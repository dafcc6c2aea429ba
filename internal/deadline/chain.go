package deadline

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lvxin/lvxin/internal/calendar"
)

// ErrUnknownTrigger is wrapped when a chain is asked for a trigger event or
// procedure the catalogue does not know.
var ErrUnknownTrigger = errors.New("未知的起算事件")

// Procedure is the kind of proceedings a matter is in; it decides which
// rule a trigger event sets off (a judgment served in an administrative case
// runs the 行政诉讼法 appeal period, not the civil one).
type Procedure string

// Procedures.
const (
	ProcedureCivil    Procedure = "civil"    // 民事（含商事、劳动争议诉讼）
	ProcedureAdmin    Procedure = "admin"    // 行政诉讼
	ProcedureCriminal Procedure = "criminal" // 刑事诉讼
)

// Label is the Chinese name of the procedure.
func (p Procedure) Label() string {
	switch p {
	case ProcedureAdmin:
		return "行政诉讼"
	case ProcedureCriminal:
		return "刑事诉讼"
	}
	return "民事诉讼"
}

// ChainLink is one deadline a trigger event sets off.
type ChainLink struct {
	Rule  string `json:"rule"`
	Title string `json:"title"` // shown for the saved deadline
	Why   string `json:"why"`   // how it follows from the event, with its statute
}

// Trigger is an event on a matter from which a chain of deadlines follows.
type Trigger struct {
	ID          string                    `json:"id"`
	Name        string                    `json:"name"`
	Description string                    `json:"description"`
	links       map[Procedure][]ChainLink // per procedure; a missing procedure has no chain
}

// Procedures lists the procedures the trigger has a chain for.
func (t Trigger) Procedures() []Procedure {
	var out []Procedure
	for _, p := range []Procedure{ProcedureCivil, ProcedureAdmin, ProcedureCriminal} {
		if len(t.links[p]) > 0 {
			out = append(out, p)
		}
	}
	return out
}

var triggers = []Trigger{
	{ID: "judgment-served", Name: "判决书送达", Description: "第一审判决书送达本方当事人之日",
		links: map[Procedure][]ChainLink{
			ProcedureCivil:    {{Rule: "appeal-judgment", Title: "上诉期届满", Why: "判决书送达后十五日内可以提起上诉（民事诉讼法第一百七十一条第一款）；逾期不上诉，判决发生法律效力。"}},
			ProcedureAdmin:    {{Rule: "admin-appeal-judgment", Title: "上诉期届满", Why: "判决书送达后十五日内可以提起上诉（行政诉讼法第八十五条）；逾期不上诉，判决发生法律效力。"}},
			ProcedureCriminal: {{Rule: "criminal-appeal-judgment", Title: "上诉、抗诉期届满", Why: "不服判决的上诉期限为十日，从接到判决书的第二日起算（刑事诉讼法第二百三十条）。"}},
		}},
	{ID: "ruling-served", Name: "裁定书送达", Description: "第一审裁定书送达本方当事人之日",
		links: map[Procedure][]ChainLink{
			ProcedureCivil:    {{Rule: "appeal-ruling", Title: "裁定上诉期届满", Why: "可以上诉的裁定送达后十日内可以提起上诉（民事诉讼法第一百七十一条第二款）。"}},
			ProcedureAdmin:    {{Rule: "admin-appeal-ruling", Title: "裁定上诉期届满", Why: "裁定书送达后十日内可以提起上诉（行政诉讼法第八十五条）。"}},
			ProcedureCriminal: {{Rule: "criminal-appeal-ruling", Title: "裁定上诉、抗诉期届满", Why: "不服裁定的上诉期限为五日，从接到裁定书的第二日起算（刑事诉讼法第二百三十条）。"}},
		}},
	{ID: "complaint-served", Name: "受理通知（收到起诉状副本）", Description: "被告收到起诉状副本、应诉通知书与举证通知书之日",
		links: map[Procedure][]ChainLink{
			ProcedureCivil: {
				{Rule: "defense", Title: "答辩期届满", Why: "被告应当在收到起诉状副本之日起十五日内提出答辩状（民事诉讼法第一百二十八条第一款）。"},
				{Rule: "defense", Title: "管辖权异议期限（答辩期内）", Why: "当事人对管辖权有异议的，应当在提交答辩状期间提出（民事诉讼法第一百三十条第一款），与答辩期同日届满。"},
				{Rule: "evidence-period", Title: "举证期限（最短期限，以举证通知书为准）", Why: "一审普通程序的举证期限不得少于十五日（民诉法解释第九十九条第二款）；实际期限以人民法院举证通知书载明的为准。"},
			},
		}},
	{ID: "case-closed", Name: "结案", Description: "案件结案之日",
		links: map[Procedure][]ChainLink{
			ProcedureCivil:    {{Rule: "group-dissolution", Title: "解散案件群", Why: "本所执业规范：结案后十五个工作日内解散案件群。"}},
			ProcedureAdmin:    {{Rule: "group-dissolution", Title: "解散案件群", Why: "本所执业规范：结案后十五个工作日内解散案件群。"}},
			ProcedureCriminal: {{Rule: "group-dissolution", Title: "解散案件群", Why: "本所执业规范：结案后十五个工作日内解散案件群。"}},
		}},
}

// Triggers returns the trigger events in a stable order.
func Triggers() []Trigger { return slices.Clone(triggers) }

// LookupTrigger returns the trigger event with the given id.
func LookupTrigger(id string) (Trigger, bool) {
	i := slices.IndexFunc(triggers, func(t Trigger) bool { return t.ID == id })
	if i < 0 {
		return Trigger{}, false
	}
	return triggers[i], true
}

// ChainItem is one computed deadline of a chain.
type ChainItem struct {
	ChainLink
	Result Result `json:"result"`
}

// ChainResult is every deadline that follows from one trigger event.
type ChainResult struct {
	Trigger     string        `json:"trigger"`
	TriggerName string        `json:"trigger_name"`
	Procedure   Procedure     `json:"procedure"`
	From        calendar.Date `json:"from"`
	Foreign     bool          `json:"foreign"`
	Items       []ChainItem   `json:"items"`
}

// Links returns the links a trigger sets off in a procedure. An unknown
// trigger, or one without a chain in that procedure, wraps
// ErrUnknownTrigger and says what is known.
func Links(triggerID string, proc Procedure) (Trigger, []ChainLink, error) {
	t, ok := LookupTrigger(triggerID)
	if !ok {
		ids := make([]string, len(triggers))
		for i, t := range triggers {
			ids[i] = t.ID + "（" + t.Name + "）"
		}
		return Trigger{}, nil, fmt.Errorf("%w「%s」，可用的事件：%s", ErrUnknownTrigger, triggerID, strings.Join(ids, "、"))
	}
	links := t.links[proc]
	if len(links) == 0 {
		var known []string
		for _, p := range t.Procedures() {
			known = append(known, p.Label())
		}
		return Trigger{}, nil, fmt.Errorf("%w：「%s」在%s中没有引出的期限规则（只适用于%s）", ErrUnknownTrigger, t.Name, proc.Label(), strings.Join(known, "、"))
	}
	return t, slices.Clone(links), nil
}

// Chain computes every deadline the trigger event sets off in a procedure
// (empty means civil), each explained with its statute. A nil cal means
// calendar.Default().
func Chain(cal *calendar.Calendar, triggerID string, proc Procedure, from calendar.Date, opts Options) (ChainResult, error) {
	if proc == "" {
		proc = ProcedureCivil
	}
	t, links, err := Links(triggerID, proc)
	if err != nil {
		return ChainResult{}, err
	}
	out := ChainResult{Trigger: t.ID, TriggerName: t.Name, Procedure: proc, From: from, Foreign: opts.Foreign, Items: []ChainItem{}}
	for _, l := range links {
		res, err := Compute(cal, l.Rule, from, opts)
		if err != nil {
			return ChainResult{}, err
		}
		out.Items = append(out.Items, ChainItem{ChainLink: l, Result: res})
	}
	return out, nil
}
