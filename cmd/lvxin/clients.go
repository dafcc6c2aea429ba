package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/profile"
)

func init() {
	moduleCommands = append(moduleCommands, newClientsCmd, newConflictsCmd, newProfileCmd, newDemoCmd)
}

// book opens the client book workflows on an app; the CLI acts with the
// machine's full trust (nil principal), audited as 命令行.
func (a *app) book() *clientbook.Service { return a.svc.book }

func newClientsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "clients", Short: "客户通讯录：导入、导出、列表"}
	cmd.AddCommand(&cobra.Command{
		Use:   "import FILE",
		Short: "从 CSV 或 XLSX 文件导入联系人（表头：" + strings.Join([]string{"名称", "类型", "微信号", "手机", "邮箱", "单位", "统一社会信用代码", "标签"}, ",") + "）；有一行出错则整个文件不导入",
		Args:  exactArgs(1, "文件"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("无法打开 %s：%v", args[0], err)
			}
			defer f.Close()
			return withApp(cmd, g, func(ctx context.Context, a *app) error {
				n, err := a.book().ImportContacts(ctx, nil, f, args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "已导入 %d 个联系人。\n", n)
				return nil
			})
		},
	})
	var format, output string
	export := &cobra.Command{
		Use:   "export",
		Short: "导出全部联系人（csv、xlsx 或 vcf；默认 csv，输出到标准输出）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "" && format == "" {
				format = strings.TrimPrefix(strings.ToLower(filepath.Ext(output)), ".")
			}
			if format == "" {
				format = clientbook.FormatCSV
			}
			if format != clientbook.FormatCSV && format != clientbook.FormatXLSX && format != clientbook.FormatVCard {
				return usageErr("--format 应为 csv、xlsx 或 vcf，而不是 %q", format)
			}
			return withApp(cmd, g, func(ctx context.Context, a *app) error {
				var w io.Writer = cmd.OutOrStdout()
				var f *os.File
				if output != "" {
					var err error
					if f, err = os.OpenFile(output, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err != nil {
						return fmt.Errorf("无法创建 %s：%v（不会覆盖已有文件）", output, err)
					}
					w = f
				}
				n, err := a.book().ExportContacts(ctx, nil, w, format)
				if f != nil {
					if cerr := f.Close(); err == nil {
						err = cerr
					}
					if err != nil {
						os.Remove(output)
						return err
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "已导出 %d 个联系人到 %s。\n", n, output)
				}
				return err
			})
		},
	}
	export.Flags().StringVar(&format, "format", "", "格式：csv、xlsx 或 vcf")
	export.Flags().StringVarP(&output, "output", "o", "", "输出文件（不覆盖已有文件）；默认标准输出")
	cmd.AddCommand(export)
	return cmd
}

func newConflictsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "conflicts", Short: "利益冲突检索"}
	var asJSON bool
	check := &cobra.Command{
		Use:   "check NAME...",
		Short: "检索名称与全部联系人、全部案件当事人是否冲突（兼容全角半角、繁简、空格、公司后缀和括号中的地区）",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr("请给出至少一个要检索的名称，例如 lvxin conflicts check 北京某某科技有限公司")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, func(ctx context.Context, a *app) error {
				rep, err := a.book().CheckNames(ctx, nil, args)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if asJSON {
					return printJSON(out, rep.Names)
				}
				for _, nr := range rep.Names {
					if len(nr.Hits) == 0 {
						fmt.Fprintf(out, "%s：未发现冲突\n", nr.Name)
						continue
					}
					fmt.Fprintf(out, "%s：%d 处命中\n", nr.Name, len(nr.Hits))
					for _, h := range nr.Hits {
						where := fmt.Sprintf("通讯录联系人 #%d %s", h.ContactID, h.Name)
						if h.Source == "matter" {
							where = fmt.Sprintf("案件 #%d《%s》的%s %s", h.MatterID, h.Matter, h.Role, h.Name)
						}
						fmt.Fprintf(out, "  - %s：%s（%s）\n", where, h.Reason, h.Strength)
					}
				}
				fmt.Fprintf(out, "检索记录 #%d 已保存；请在案件页记录结论。\n", rep.CheckID)
				return nil
			})
		},
	}
	check.Flags().BoolVar(&asJSON, "json", false, "输出 JSON：每个名称一个对象，含 hits 列表")
	cmd.AddCommand(check)
	return cmd
}

func newProfileCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "profile", Short: "专业形象：检查微信昵称和签名"}
	var nickname, signature, firm string
	var asJSON bool
	check := &cobra.Command{
		Use:   "check",
		Short: "按本所规范（昵称 = 真实姓名 + 律所简称，签名写明执业领域）和律师宣传规则检查昵称与签名；有违规时退出码为 1",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if nickname == "" && signature == "" {
				return usageErr("请用 --nickname 和/或 --signature 给出要检查的内容")
			}
			findings := profile.Check(nickname, signature, firm)
			out := cmd.OutOrStdout()
			violation := false
			type row struct {
				Field   string `json:"field"`
				Level   string `json:"level"`
				Message string `json:"message"`
				Rule    string `json:"rule"`
			}
			rows := []row{}
			for _, f := range findings {
				violation = violation || f.Level == profile.LevelViolation
				rows = append(rows, row{f.Field, string(f.Level), f.Message, f.Rule})
			}
			if asJSON {
				if err := printJSON(out, map[string]any{"ok": len(findings) == 0, "findings": rows}); err != nil {
					return err
				}
			} else if len(findings) == 0 {
				fmt.Fprintln(out, "昵称和签名符合规范。")
			} else {
				for _, f := range findings {
					fmt.Fprintf(out, "[%s] %s：%s（依据：%s）\n", f.Level.Label(), f.Field, f.Message, f.Rule)
				}
			}
			if violation {
				return &exitError{code: 1, msg: ""}
			}
			return nil
		},
	}
	check.Flags().StringVar(&nickname, "nickname", "", "微信昵称，如“张三-某某律所”")
	check.Flags().StringVar(&signature, "signature", "", "个性签名")
	check.Flags().StringVar(&firm, "firm", "", "律所简称（留空则只检查昵称的格式）")
	check.Flags().BoolVar(&asJSON, "json", false, "输出 JSON")
	cmd.AddCommand(check)
	return cmd
}

func newDemoCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "载入一个虚构的小型律所（律师、助理、带标签的客户、各状态的案件、咨询），供新用户体验",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, func(ctx context.Context, a *app) error {
				return loadDemo(ctx, a, cmd.OutOrStdout())
			})
		},
	}
}

// loadDemo seeds the demo firm and prints its one-time passwords.
func loadDemo(ctx context.Context, a *app, out io.Writer) error {
	users, err := createDemoUsers(ctx, a)
	if err != nil {
		return err
	}
	sum, err := a.book().SeedDemo(ctx, users)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "已载入演示数据：%d 个联系人、%d 个案件、%d 次咨询。\n", sum.Contacts, sum.Matters, sum.Consultations)
	fmt.Fprintln(out, "演示账号（密码只显示这一次）：")
	for _, u := range users {
		fmt.Fprintf(out, "  %s（%s，%s）密码：%s\n", u.User.Username, u.User.DisplayName, u.User.Role.Label(), u.Password)
	}
	return nil
}

// loadDemoOnce is serve --demo: it seeds the demo firm unless its people
// are already there.
func loadDemoOnce(ctx context.Context, a *app, out io.Writer) error {
	if _, err := a.db.UserByUsername(ctx, clientbook.DemoPeople[0].Username); err == nil {
		fmt.Fprintln(out, "演示数据已存在，跳过载入。")
		return nil
	}
	return loadDemo(ctx, a, out)
}

// createDemoUsers adds the demo firm's people with random passwords.
func createDemoUsers(ctx context.Context, a *app) ([]clientbook.DemoUser, error) {
	var out []clientbook.DemoUser
	for _, p := range clientbook.DemoPeople {
		pw := "Demo-" + randomPassword()
		u, err := a.auth.CreateUser(ctx, nil, auth.NewUser{Username: p.Username, DisplayName: p.DisplayName, Role: p.Role, Password: pw},
			auth.Client{IP: "127.0.0.1", UserAgent: "lvxin demo"})
		if err != nil {
			return nil, fmt.Errorf("创建演示账号 %s 失败：%w（演示数据只能载入一次）", p.Username, err)
		}
		out = append(out, clientbook.DemoUser{User: u, Password: pw})
	}
	return out, nil
}

func randomPassword() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
