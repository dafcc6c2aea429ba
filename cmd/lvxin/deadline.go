package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/deadline"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
)

// firmCalendar is the calendar with the firm's imported years when a data
// folder or database is configured, or the embedded data alone when there
// is none yet (so `deadline compute` works on a fresh machine too).
func firmCalendar(cmd *cobra.Command, g *globals) (*calendar.Calendar, error) {
	if g.databaseURL == "" {
		if _, err := os.Stat(g.dataDir); errors.Is(err, os.ErrNotExist) {
			hooks, _ := loadedHooks()
			return hooks.defaultCalendar()
		}
	}
	a, err := openApp(cmd, g)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return a.svc.schedule.Calendar(cmd.Context())
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newDeadlineCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "deadline", Short: "法定期限：计算上诉期、诉讼时效、申请执行期限等"}
	var rule, from string
	var foreign, asJSON bool
	compute := &cobra.Command{
		Use:     "compute --rule 规则 --from YYYY-MM-DD",
		Short:   "按中国法定节假日与调休计算期限，并说明依据与每一步",
		Example: "  lvxin deadline compute --rule appeal-judgment --from 2026-09-25\n  lvxin deadline compute --rule defense --from 2026-01-30 --foreign --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if rule == "" {
				return usageErr("请用 --rule 指定期限规则（lvxin deadline rules 查看全部规则）")
			}
			cal, err := firmCalendar(cmd, g)
			if err != nil {
				return err
			}
			res, err := deadline.ComputeText(cal, rule, from, deadline.Options{Foreign: foreign})
			if errors.Is(err, deadline.ErrUnknownRule) || errors.Is(err, deadline.ErrInvalidStart) {
				return usageErr("%v", err)
			}
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprint(cmd.OutOrStdout(), deadline.Explain(res))
			return nil
		},
	}
	compute.Flags().StringVar(&rule, "rule", "", "期限规则编号，例如 appeal-judgment")
	compute.Flags().StringVar(&from, "from", "", "起算事件的日期（如判决书送达之日），格式 YYYY-MM-DD")
	compute.Flags().BoolVar(&foreign, "foreign", false, "涉外案件（在中华人民共和国领域内没有住所的当事人）")
	compute.Flags().BoolVar(&asJSON, "json", false, "输出 JSON")

	var rulesJSON bool
	rules := &cobra.Command{
		Use:   "rules",
		Short: "列出期限规则",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if rulesJSON {
				return printJSON(cmd.OutOrStdout(), deadline.Rules())
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "编号\t名称\t期间\t依据")
			for _, r := range deadline.Rules() {
				period := r.Period
				if r.HasForeignVariant {
					period += "（涉外 " + r.ForeignPeriod + "）"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Name, period, r.Statute)
			}
			return tw.Flush()
		},
	}
	rules.Flags().BoolVar(&rulesJSON, "json", false, "输出 JSON")
	cmd.AddCommand(compute, rules, newDeadlineChainCmd(g))
	return cmd
}

func newDeadlineChainCmd(g *globals) *cobra.Command {
	var trigger, from, procedure string
	var foreign, asJSON bool
	chain := &cobra.Command{
		Use:   "chain --trigger 事件 --from YYYY-MM-DD",
		Short: "由一个起算事件（判决书送达、裁定书送达、受理通知、结案）推出其后的全部期限",
		Example: "  lvxin deadline chain --trigger judgment-served --from 2026-09-25\n" +
			"  lvxin deadline chain --trigger complaint-served --from 2026-02-01 --foreign --json\n" +
			"  lvxin deadline chain --trigger judgment-served --procedure admin --from 2026-09-25",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if trigger == "" {
				var ids []string
				for _, t := range deadline.Triggers() {
					ids = append(ids, t.ID+"（"+t.Name+"）")
				}
				return usageErr("请用 --trigger 指定起算事件：%s", strings.Join(ids, "、"))
			}
			proc := deadline.Procedure(procedure)
			switch proc {
			case deadline.ProcedureCivil, deadline.ProcedureAdmin, deadline.ProcedureCriminal:
			default:
				return usageErr("--procedure 应为 civil（民事）、admin（行政）或 criminal（刑事），而不是 %q", procedure)
			}
			start, err := calendar.ParseDate(from)
			if err != nil {
				return usageErr("--from：%v", err)
			}
			cal, err := firmCalendar(cmd, g)
			if err != nil {
				return err
			}
			res, err := deadline.Chain(cal, trigger, proc, start, deadline.Options{Foreign: foreign})
			if errors.Is(err, deadline.ErrUnknownTrigger) || errors.Is(err, deadline.ErrInvalidStart) {
				return usageErr("%v", err)
			}
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), res)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "起算事件：%s（%s），%s，%s\n", res.TriggerName, res.Trigger, res.From, res.Procedure.Label())
			for i, it := range res.Items {
				fmt.Fprintf(out, "\n%d. %s：%s（%s）\n   %s\n", i+1, it.Title, it.Result.Due, it.Result.Due.WeekdayName(), it.Why)
				fmt.Fprint(out, indent(deadline.Explain(it.Result), "   "))
			}
			return nil
		},
	}
	chain.Flags().StringVar(&trigger, "trigger", "", "起算事件：judgment-served、ruling-served、complaint-served、case-closed")
	chain.Flags().StringVar(&from, "from", "", "事件发生的日期，格式 YYYY-MM-DD")
	chain.Flags().StringVar(&procedure, "procedure", string(deadline.ProcedureCivil), "程序：civil（民事，默认）、admin（行政）、criminal（刑事）")
	chain.Flags().BoolVar(&foreign, "foreign", false, "涉外案件（在中华人民共和国领域内没有住所的当事人）")
	chain.Flags().BoolVar(&asJSON, "json", false, "输出 JSON")
	return chain
}

func indent(text, prefix string) string {
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}

func newCalendarCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "calendar", Short: "中国工作日历：法定节假日与调休上班日"}
	var dayJSON bool
	day := &cobra.Command{
		Use:   "day YYYY-MM-DD",
		Short: "查询某天是工作日、周末、法定节假日还是调休上班日",
		Args:  exactArgs(1, "日期"),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := calendar.ParseDate(args[0])
			if err != nil {
				return usageErr("%v", err)
			}
			cal, err := firmCalendar(cmd, g)
			if err != nil {
				return err
			}
			info := cal.Day(d)
			if dayJSON {
				return printJSON(cmd.OutOrStdout(), info)
			}
			line := fmt.Sprintf("%s %s：%s", info.Date, d.WeekdayName(), info.Kind.Label())
			if info.Name != "" {
				line += "（" + info.Name + "）"
			}
			if info.Fixed {
				line += "，全国年节及纪念日放假办法第二条规定的放假日"
			}
			if info.Provisional {
				line += "。注意：该年度节假日安排尚未公布，结果为暂定（调休安排可能改变周末与工作日）"
			}
			fmt.Fprintln(cmd.OutOrStdout(), line)
			return nil
		},
	}
	day.Flags().BoolVar(&dayJSON, "json", false, "输出 JSON")

	var addJSON bool
	add := &cobra.Command{
		Use:   "add-workdays YYYY-MM-DD N",
		Short: "计算某日之后的第 N 个工作日",
		Args:  exactArgs(2, "日期与天数"),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := calendar.ParseDate(args[0])
			if err != nil {
				return usageErr("%v", err)
			}
			n, err := strconv.Atoi(args[1])
			if err != nil || n < -3650 || n > 3650 {
				return usageErr("工作日数应为 -3650 到 3650 之间的整数，而不是 %q", args[1])
			}
			cal, err := firmCalendar(cmd, g)
			if err != nil {
				return err
			}
			result := cal.AddWorkdays(d, n)
			provisional := cal.AnyProvisional(minDate(d, result), maxDate(d, result))
			if addJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"date": result.String(), "provisional": provisional})
			}
			line := fmt.Sprintf("%s 之后第 %d 个工作日：%s %s", d, n, result, result.WeekdayName())
			if provisional {
				line += "（所涉年份的节假日安排尚未公布，结果为暂定）"
			}
			fmt.Fprintln(cmd.OutOrStdout(), line)
			return nil
		},
	}
	add.Flags().BoolVar(&addJSON, "json", false, "输出 JSON")

	imp := &cobra.Command{
		Use:   "import 文件",
		Short: "导入 holiday-cn 格式的节假日数据（覆盖内置数据，例如国务院公布的新一年安排）",
		Args:  exactArgs(1, "文件"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("无法打开 %s：%v", args[0], err)
			}
			defer f.Close()
			a, err := openApp(cmd, g)
			if err != nil {
				return err
			}
			defer a.Close()
			y, changes, err := a.svc.schedule.ImportHolidays(ctx, f, args[0], model.ActorCLI)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已导入 %d 年的节假日安排（%d 个日期），今后计算将使用这些数据\n", y.Year, len(y.Days))
			if len(changes) > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%s：%d 个未完成的期限已重新计算，负责律师会在工作台看到提示\n", schedule.RecalculatedNotice, len(changes))
				for _, c := range changes {
					mark := ""
					if c.Earlier() {
						mark = "（提前！）"
					}
					fmt.Fprintf(cmd.OutOrStdout(), "  期限 #%d「%s」：%s → %s%s\n", c.DeadlineID, c.Title, c.OldDue, c.NewDue, mark)
				}
			}
			return nil
		},
	}

	var yearsJSON bool
	years := &cobra.Command{
		Use:   "years",
		Short: "列出已知年份及其依据的国务院通知",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cal, err := firmCalendar(cmd, g)
			if err != nil {
				return err
			}
			if yearsJSON {
				return printJSON(cmd.OutOrStdout(), cal.Years())
			}
			for _, y := range cal.Years() {
				fmt.Fprintf(cmd.OutOrStdout(), "%d\t%s\t", y.Year, y.Source)
				for _, n := range y.Notices {
					fmt.Fprintf(cmd.OutOrStdout(), "%s ", n.Title)
				}
				fmt.Fprintln(cmd.OutOrStdout())
			}
			return nil
		},
	}
	years.Flags().BoolVar(&yearsJSON, "json", false, "输出 JSON")
	cmd.AddCommand(day, add, imp, years)
	return cmd
}

func minDate(a, b calendar.Date) calendar.Date {
	if a.Before(b) {
		return a
	}
	return b
}

func maxDate(a, b calendar.Date) calendar.Date {
	if a.After(b) {
		return a
	}
	return b
}
