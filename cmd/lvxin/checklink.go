package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/phishing"
)

func init() {
	moduleCommands = append(moduleCommands, newLinksCmd, newCheckLinkCmd)
}

// newLinksCmd is `lvxin links`: `links check` is the link check;
// `check-link` stays as its older name.
func newLinksCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "links", Short: "钓鱼链接：检查短信、微信消息中的网址"}
	check := newCheckLinkCmd(g)
	check.Use = "check [网址或文本…]"
	check.Example = "  lvxin links check 'https://zxfw.court.gov.cn/ court-gov-cn.top/login'\n" +
		"  lvxin links check --json < 短信.txt\n  lvxin links check --protect lvshi.com.cn < 消息.txt"
	cmd.AddCommand(check)
	return cmd
}

// newCheckLinkCmd is the link check; as a top-level command it is the
// older name `check-link` of `links check`.
func newCheckLinkCmd(g *globals) *cobra.Command {
	var asJSON bool
	var protect []string
	cmd := &cobra.Command{
		Use:   "check-link [网址或文本…]",
		Short: "钓鱼链接检查：找出文本中的网址并逐个评分（同 links check；退出码：全部未见异常 0，有可疑或钓鱼链接 1，参数错误 2）",
		Long: "从参数或标准输入读取短信、微信消息等文本，找出其中的网址（带或不带 http://、短链接、IP 地址、\n" +
			"国际化域名），离线评分并说明理由：IP 地址、形近字母仿冒、仿冒法院/检察院/公安/政府/银行/支付宝/微信域名、\n" +
			"把官方域名放在开头冒充、网址中的 @、过多子域名、廉价顶级域名、免费建站平台、短链接。\n" +
			"官方域名（如 court.gov.cn、任何 .gov.cn）不会被标记。不联网，不打开任何链接。\n" +
			"退出码：0 全部未见异常（或没有网址），1 有可疑或钓鱼链接，2 参数错误。",
		Example: "  lvxin check-link 'https://zxfw.court.gov.cn/ court-gov-cn.top/login'\n" +
			"  lvxin check-link --json < 短信.txt\n  lvxin check-link --protect lvshi.com.cn < 消息.txt",
		RunE: func(cmd *cobra.Command, args []string) error {
			checker, err := phishing.New(protect...)
			if err != nil {
				return usageErr("--protect：%v", err)
			}
			var text string
			if len(args) > 0 {
				text = strings.Join(args, "\n")
			} else if text, err = readPost(cmd); err != nil {
				return err
			}
			results := checker.CheckText(text)
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetEscapeHTML(false)
				for _, r := range results {
					if err := enc.Encode(r); err != nil {
						return err
					}
				}
			} else if err := printLinkResults(out, results); err != nil {
				return err
			}
			for _, r := range results {
				if r.Verdict != phishing.Safe {
					return &exitError{code: 1, msg: ""}
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "输出 JSON：每个网址一行，含 url、verdict（phishing/suspicious/safe）、score、reasons")
	cmd.Flags().StringArrayVar(&protect, "protect", nil, "本所域名（如 lvshi.com.cn）：视为官方域名，仿冒它的网址会被标记，可重复")
	return cmd
}

func printLinkResults(w io.Writer, results []phishing.Result) error {
	if len(results) == 0 {
		_, err := fmt.Fprintln(w, "未发现网址。")
		return err
	}
	counts := map[phishing.Verdict]int{}
	var b strings.Builder
	for _, r := range results {
		counts[r.Verdict]++
		fmt.Fprintf(&b, "%s（%d 分）  %s\n", r.Verdict.Label(), r.Score, r.URL)
		if r.Display != "" {
			fmt.Fprintf(&b, "    实际域名：%s（显示为 %s）\n", r.Host, r.Display)
		}
		for _, x := range r.Reasons {
			if x.Points > 0 {
				fmt.Fprintf(&b, "    · %s（+%d）\n", x.Message, x.Points)
			} else {
				fmt.Fprintf(&b, "    · %s\n", x.Message)
			}
		}
	}
	fmt.Fprintf(&b, "共 %d 个网址：钓鱼 %d，可疑 %d，未见异常 %d。\n", len(results),
		counts[phishing.Phishing], counts[phishing.Suspicious], counts[phishing.Safe])
	_, err := io.WriteString(w, b.String())
	return err
}
