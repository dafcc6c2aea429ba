package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/postcheck"
	"github.com/lvxin/lvxin/internal/redact"
	"github.com/lvxin/lvxin/internal/store"
)

func init() {
	moduleCommands = append(moduleCommands, newRedactCmd, newCheckPostCmd)
}

// maxPostBytes bounds what redact and check-post read from stdin.
const maxPostBytes = 16 << 20

// firmNames loads the client book's names when a data folder or database
// is configured (none on a fresh machine), and with --user the lawyer's own
// details from the 专业形象 profile, which are 本人信息 and stay in the text.
func firmNames(cmd *cobra.Command, g *globals, username string, own []string) (redact.Options, error) {
	opts, err := firmNamesAndProfile(cmd, g, username)
	opts.Own = append(opts.Own, own...)
	return opts, err
}

func firmNamesAndProfile(cmd *cobra.Command, g *globals, username string) (redact.Options, error) {
	var opts redact.Options
	if g.databaseURL == "" {
		if _, err := os.Stat(g.dataDir); errors.Is(err, os.ErrNotExist) {
			if username != "" {
				return opts, usageErr("没有数据目录，无法读取用户 %s 的专业形象资料", username)
			}
			return opts, nil
		}
	}
	err := withApp(cmd, g, func(ctx context.Context, a *app) error {
		persons, orgs, err := a.db.KnownNames(ctx)
		if err != nil {
			return err
		}
		opts = redact.KnownOptions(persons, orgs)
		if username == "" {
			return nil
		}
		u, err := a.db.UserByUsername(ctx, username)
		if errors.Is(err, store.ErrNotFound) {
			return usageErr("--user：没有用户 %s", username)
		}
		if err != nil {
			return err
		}
		prof, err := a.db.LawyerProfile(ctx, u.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return usageErr("--user：用户 %s 还没有保存专业形象资料（网页“专业形象”页）", username)
		case err != nil:
			return err
		}
		opts.Own = postcheck.OwnDetails(*prof)
		return nil
	})
	return opts, err
}

func readPost(cmd *cobra.Command) (string, error) {
	data, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), maxPostBytes+1))
	if err != nil {
		return "", fmt.Errorf("读取标准输入失败：%v", err)
	}
	if len(data) > maxPostBytes {
		return "", usageErr("输入超过 %d MB，请分段检查", maxPostBytes>>20)
	}
	if !utf8.Valid(data) {
		return "", usageErr("输入不是有效的 UTF-8 文本（如为 GBK 编码，请先转换为 UTF-8）")
	}
	return string(data), nil
}

func newRedactCmd(g *globals) *cobra.Command {
	var style, user string
	var own []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "redact",
		Short: "脱敏：从标准输入读取文本，输出去除客户个人信息后的文本",
		Long: "识别身份证号、统一社会信用代码、银行卡号、手机号、座机、邮箱、案号、车牌、护照、港澳台证件、\n" +
			"微信号、QQ号、社保号、人名（含亲属称谓、李总等称呼、孩子小名）、单位名称与地址，以及与具体人相关的\n" +
			"健康状况、未成年人年龄学校班级、行踪，按所选方式脱敏。法规、法院、公共机构、金额与日期不作处理。",
		Example: "  echo '当事人张三，电话 138 0013 8000。' | lvxin redact --style mask\n  lvxin redact --json < 文稿.txt",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := redact.ParseStyle(style)
			if err != nil {
				return usageErr("%v", err)
			}
			text, err := readPost(cmd)
			if err != nil {
				return err
			}
			opts, err := firmNames(cmd, g, user, own)
			if err != nil {
				return err
			}
			out, findings := redact.Redact(text, st, opts)
			if asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"style": st.String(), "findings": redactJSON(findings), "redacted": out})
			}
			_, err = io.WriteString(cmd.OutOrStdout(), out)
			return err
		},
	}
	cmd.Flags().StringVar(&style, "style", "mask", "脱敏方式：mask（遮盖，如 张**、138****1234）、pseudonym（化名，如 张某、某公司）、remove（删除）")
	cmd.Flags().BoolVar(&asJSON, "json", false, "输出 JSON：每处个人信息的类型、类别（如 敏感个人信息·医疗健康）、法律依据、位置与可信度")
	cmd.Flags().StringVar(&user, "user", "", "用户名：其专业形象资料中的姓名、律所、电话、邮箱、微信号视为本人信息，不脱敏")
	cmd.Flags().StringArrayVar(&own, "own", nil, "其他可公开的本人信息（如律所地址、公众号名称），可重复")
	return cmd
}

// redactFinding is one finding of redact --json: what it is for users (the
// category, such as 敏感个人信息·医疗健康, and the legal reason), as in
// check-post --json, besides the type, span and confidence.
type redactFinding struct {
	Type       redact.Type `json:"type"`
	Label      string      `json:"label"`
	Category   string      `json:"category"`
	LegalBasis string      `json:"legal_basis,omitempty"`
	Sensitive  bool        `json:"sensitive"`
	Start      int         `json:"start"`
	End        int         `json:"end"`
	Text       string      `json:"text"`
	Confidence float64     `json:"confidence"`
	Own        bool        `json:"own,omitempty"`
}

func redactJSON(findings []redact.Finding) []redactFinding {
	out := make([]redactFinding, 0, len(findings))
	for _, f := range findings {
		rf := redactFinding{Type: f.Type, Label: f.Type.Label(), Category: f.Type.Category(), LegalBasis: f.Type.LegalBasis(),
			Sensitive: f.Type.Sensitive(), Start: f.Start, End: f.End, Text: f.Text, Confidence: f.Confidence, Own: f.Own}
		if f.Own {
			rf.Category, rf.LegalBasis = "本人信息·"+f.Type.Label(), "" // as check-post --json
		}
		out = append(out, rf)
	}
	return out
}

func newCheckPostCmd(g *globals) *cobra.Command {
	var asJSON bool
	var user string
	var own []string
	cmd := &cobra.Command{
		Use:   "check-post",
		Short: "发布前检查：个人信息、免责声明、失效或改号的法规引用（有必须修改的问题时退出码为 1）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := readPost(cmd)
			if err != nil {
				return err
			}
			opts, err := firmNames(cmd, g, user, own)
			if err != nil {
				return err
			}
			rep := postcheck.Check(text, opts)
			if asJSON {
				if err := printJSON(cmd.OutOrStdout(), map[string]any{"must_fix": rep.MustFix(), "findings": rep.Findings, "redacted": rep.Redacted}); err != nil {
					return err
				}
			} else {
				fmt.Fprint(cmd.OutOrStdout(), postcheck.FormatText(rep))
			}
			if rep.MustFix() {
				return &exitError{code: 1, msg: ""}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "输出 JSON：每项问题的严重程度、类别（如 敏感个人信息·医疗健康）、法律依据与位置")
	cmd.Flags().StringVar(&user, "user", "", "用户名：其专业形象资料中的姓名、律所、电话、邮箱、微信号视为本人信息")
	cmd.Flags().StringArrayVar(&own, "own", nil, "其他可公开的本人信息（如律所地址、公众号名称），可重复")
	return cmd
}
