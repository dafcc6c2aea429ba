package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

func newUserCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "管理用户（添加、列出、重设密码、全部下线、重置动态验证码、紧急冻结与解冻）"}
	var role, name string
	var passwordStdin bool
	add := &cobra.Command{
		Use:   "add 用户名",
		Short: "添加用户",
		Example: "  lvxin user add --role admin --name 王主任 wang\n" +
			"  echo '一个足够长的密码' | lvxin user add --role lawyer --name 张律师 --password-stdin zhang",
		Args: exactArgs(1, "用户名"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			a, err := openApp(cmd, g)
			if err != nil {
				return err
			}
			defer a.Close()
			password, err := readPassword(cmd, passwordStdin)
			if err != nil {
				return err
			}
			if name == "" {
				name = args[0]
			}
			u, err := a.auth.CreateUser(ctx, nil, auth.NewUser{Username: args[0], DisplayName: name, Role: model.Role(role), Password: password}, auth.Client{IP: "cli"})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已添加用户 %s（%s，%s）\n", u.Username, u.DisplayName, u.Role.Label())
			return nil
		},
	}
	add.Flags().StringVar(&role, "role", "lawyer", "角色：admin（管理员）、lawyer（律师）、assistant（助理）")
	add.Flags().StringVar(&name, "name", "", "姓名（默认同用户名）")
	add.Flags().BoolVar(&passwordStdin, "password-stdin", false, "从标准输入读取密码（用于脚本）")

	list := &cobra.Command{
		Use:   "list",
		Short: "列出用户",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, func(ctx context.Context, a *app) error {
				users, err := a.db.FindUsers(ctx, store.UserFilter{})
				if err != nil {
					return err
				}
				w := cmd.OutOrStdout()
				for _, u := range users {
					totp := "未启用动态验证码"
					if u.TOTPEnabled {
						totp = "已启用动态验证码"
					}
					if u.Frozen() {
						totp += "\t已紧急冻结"
					}
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Username, u.DisplayName, u.Role.Label(), totp)
				}
				return nil
			})
		},
	}

	var pwStdin bool
	passwd := &cobra.Command{
		Use:   "passwd 用户名",
		Short: "重设密码（该用户所有设备随之下线）",
		Args:  exactArgs(1, "用户名"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, func(ctx context.Context, a *app) error {
				u, err := a.userNamed(ctx, args[0])
				if err != nil {
					return err
				}
				password, err := readPassword(cmd, pwStdin)
				if err != nil {
					return err
				}
				if err := a.auth.SetPassword(ctx, nil, u.ID, password, auth.Client{IP: "cli"}); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "已重设 %s 的密码，其所有设备已下线\n", u.Username)
				return nil
			})
		},
	}
	passwd.Flags().BoolVar(&pwStdin, "password-stdin", false, "从标准输入读取密码")

	freeze := userAction(g, "revoke-all 用户名", "全部下线：立即结束该用户在所有设备上的登录",
		func(ctx context.Context, a *app, u *model.User) (string, error) {
			n, err := a.auth.RevokeAll(ctx, nil, u.ID, auth.Client{IP: "cli"})
			return fmt.Sprintf("已下线 %s 的 %d 个会话", u.Username, n), err
		})
	resetTOTP := userAction(g, "reset-totp 用户名", "重置动态验证码：手机丢失且没有恢复码时使用（恢复码作废，该用户所有设备下线）",
		func(ctx context.Context, a *app, u *model.User) (string, error) {
			n, err := a.auth.ResetTOTP(ctx, nil, u.ID, auth.Client{IP: "cli"})
			return fmt.Sprintf("已重置 %s 的动态验证码，恢复码已作废，%d 个会话已下线；该用户下次登录后可重新设置", u.Username, n), err
		})
	emergency := userAction(g, "freeze 用户名", "紧急冻结（手机丢失应急）：全部下线、撤销日历订阅等令牌、暂停代发企业微信消息；解冻前不能登录",
		func(ctx context.Context, a *app, u *model.User) (string, error) {
			res, err := a.svc.safety.Freeze(ctx, nil, u.ID, auth.Client{IP: "cli"})
			if err != nil {
				return "", err
			}
			msg := fmt.Sprintf("已紧急冻结 %s：%d 个会话已下线，日历订阅链接已撤销，企业微信代发已暂停；解冻：lvxin user unfreeze %s", u.Username, res.Sessions, u.Username)
			for _, e := range res.RevokerErrors {
				msg += "\n警告：有一项撤销未完成：" + e.Error()
			}
			msg += "\n请本人处理微信账号本身（用另一部手机在微信安全中心 weixin110.qq.com 冻结账号、检查登录设备、请管理员重置企业微信应用 Secret、提醒案件群中的客户、如遭冒用拨打 110 或向 12321 举报）。"
			return msg, nil
		})
	unfreeze := userAction(g, "unfreeze 用户名", "解除紧急冻结：该用户可以重新登录",
		func(ctx context.Context, a *app, u *model.User) (string, error) {
			if _, err := a.svc.safety.Unfreeze(ctx, nil, u.ID, auth.Client{IP: "cli"}); err != nil {
				return "", err
			}
			return fmt.Sprintf("已解除 %s 的紧急冻结，该用户可以重新登录", u.Username), nil
		})
	cmd.AddCommand(add, list, passwd, freeze, resetTOTP, emergency, unfreeze)
	return cmd
}

// readPassword reads a password from stdin (--password-stdin) or asks
// twice on the terminal without echo.
func readPassword(cmd *cobra.Command, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", usageErr("标准输入不是终端：请使用 --password-stdin 从标准输入提供密码")
	}
	fmt.Fprint(os.Stderr, "密码（至少 12 个字符）：")
	p1, err := term.ReadPassword(fd)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(os.Stderr, "再次输入密码：")
	p2, err := term.ReadPassword(fd)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", err
	}
	if string(p1) != string(p2) {
		return "", fmt.Errorf("两次输入的密码不一致")
	}
	return string(p1), nil
}

// exactArgs is cobra.ExactArgs with a Chinese message.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErr("%s 需要 %d 个参数（%s），实际给了 %d 个", cmd.CommandPath(), n, what, len(args))
		}
		return nil
	}
}

// userAction is a subcommand that does one thing to the user named by its
// argument and prints what it did.
func userAction(g *globals, use, short string, do func(ctx context.Context, a *app, u *model.User) (string, error)) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  exactArgs(1, "用户名"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, func(ctx context.Context, a *app) error {
				u, err := a.userNamed(ctx, args[0])
				if err != nil {
					return err
				}
				done, err := do(ctx, a, u)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), done)
				return nil
			})
		},
	}
}
