package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/atomicfile"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/evidence"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

func init() {
	moduleCommands = append(moduleCommands, newEvidenceCmd, newVerifyCmd, newLedgerCmd)
}

// noTSANote is said whenever a checkpoint or bundle carries no timestamp.
const noTSANote = "未配置可信时间戳服务（--tsa-url 或环境变量 LVXIN_TSA_URL）：本次检查点没有可信时间戳，保全时间只由本所自己记载。"

// tsaFlags are the time-stamping options of the evidence commands.
type tsaFlags struct {
	url, chain, firm string
}

func (f *tsaFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.url, "tsa-url", os.Getenv("LVXIN_TSA_URL"), "RFC 3161 可信时间戳服务地址；多个地址用逗号分隔，每个检查点由每一家加盖时间戳（也可用环境变量 LVXIN_TSA_URL）")
	c.Flags().StringVar(&f.chain, "tsa-chain", os.Getenv("LVXIN_TSA_CHAIN"),
		"时间戳服务的证书链 PEM 文件（签发证书与根证书），写入证据包的 tsa-chain.pem（也可用 LVXIN_TSA_CHAIN）")
	c.Flags().StringVar(&f.firm, "firm", "", "首次使用时日志名称中的律所标识（字母、数字），如 zhonglun")
}

func newEvidenceCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "evidence", Short: "证据保全：保全文件、列出证据、导出可离线核验的证据包"}
	cmd.AddCommand(newEvidenceAddCmd(g), newEvidenceListCmd(g), newEvidenceAssignCmd(g), newEvidenceExportCmd(g))
	return cmd
}

// addedJSON is one line of `evidence add --json`.
type addedJSON struct {
	Index    int64    `json:"index"`
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Matter   string   `json:"matter"`
	MatterID int64    `json:"matter_id"` // 0: not linked to a matter
	SHA256   string   `json:"sha256"`
	SM3      string   `json:"sm3"`
	Size     int64    `json:"size"`
	Warnings []string `json:"warnings"`
}

func itemJSON(it *model.EvidenceItem) addedJSON {
	w := it.Warnings
	if w == nil {
		w = []string{}
	}
	return addedJSON{Index: it.LogIndex, ID: it.ID, Name: it.FileName, Title: it.Title, Matter: it.MatterRef,
		MatterID: it.MatterID, SHA256: it.SHA256, SM3: it.SM3, Size: it.Size, Warnings: w}
}

func newEvidenceAddCmd(g *globals) *cobra.Command {
	var tf tsaFlags
	var in evidence.AddInput
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "add 文件... [--title 证据名称] [--matter 案件] [--source 来源]",
		Short:   "保全文件：计算 SHA-256 与 SM3，加密存储，登记到防篡改日志并签署检查点",
		Example: "  lvxin evidence add 借条.jpg --title 借条 --matter （2026）京0105民初1号 --source 委托人王某微信发送\n  lvxin evidence add *.png --json --tsa-url http://tsa.example/tsr",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr("请指定要保全的文件（运行 %s --help 查看用法）", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, p := range args {
				if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
					return usageErr("不是可读的文件：%s", p)
				}
			}
			return withEvidence(cmd, g, tf, func(ctx context.Context, a *app, svc *evidence.Service) error {
				var err error
				if in.MatterID, in.MatterRef, err = resolveMatter(ctx, svc, in.MatterRef); err != nil {
					return err
				}
				out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
				added, duplicates, refused := 0, 0, 0
				for _, p := range args {
					if ctx.Err() != nil {
						break // Ctrl-C: the files not yet begun are left alone
					}
					item, err := addFile(ctx, svc, p, in)
					var dup *evidence.DuplicateError
					switch {
					case errors.As(err, &dup):
						// Refused, not fatal: the other files are still preserved,
						// so that rerunning a half-done batch adds only the rest.
						duplicates++
						fmt.Fprintf(errOut, "未保全 %s：%v。\n", p, dup)
						continue
					case errors.Is(err, model.ErrInvalidInput):
						refused++
						fmt.Fprintf(errOut, "未保全 %s：%v\n", p, err)
						continue
					case err != nil && ctx.Err() != nil:
						continue // interrupted: this file's intake was rolled back
					case err != nil:
						return err
					}
					added++
					if asJSON {
						line, _ := json.Marshal(itemJSON(item))
						fmt.Fprintf(out, "%s\n", line)
					} else {
						printAdded(out, item)
					}
				}
				if ctx.Err() != nil {
					return &exitError{code: exitInterrupted, msg: fmt.Sprintf(
						"已中断：%d 个文件已保全并登记到日志，%d 个未保全（中断时正在保全的文件已撤销）；检查点将在下次保全时一并签署",
						added, len(args)-added)}
				}
				if added > 0 {
					cp, err := svc.Checkpoint(ctx)
					if err != nil {
						return fmt.Errorf("文件已保全并登记，但签署检查点失败：%w", err)
					}
					report := out
					if asJSON {
						report = errOut
					}
					fmt.Fprintf(report, "检查点：日志共 %d 条，已用日志密钥签名。\n", cp.Size)
					if len(cp.TSR) > 0 {
						fmt.Fprintln(report, "检查点已加盖可信时间戳（"+tf.url+"）。")
					} else {
						fmt.Fprintln(report, noTSANote)
					}
				}
				if duplicates+refused > 0 {
					msg := fmt.Sprintf("%d 个文件已保全，%d 个未保全（原因见上文）", added, duplicates+refused)
					if duplicates > 0 {
						msg += fmt.Sprintf("；其中 %d 个与已保全的证据内容相同，确需再次保全请加 --allow-duplicate", duplicates)
					}
					return &exitError{code: 1, msg: msg}
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&in.Title, "title", "", "证据名称（默认为文件名）")
	cmd.Flags().StringVar(&in.MatterRef, "matter", "", matterFlagHelp)
	cmd.Flags().StringVar(&in.SourceProvider, "source", "", "来源：由谁提供")
	cmd.Flags().StringVar(&in.SourceMethod, "method", "", "收集方式，例如“委托人微信发送原图”")
	cmd.Flags().StringVar(&in.CollectedAt, "collected", "", "收集时间")
	cmd.Flags().StringVar(&in.SourceDevice, "device", "", "收集或形成证据的设备")
	cmd.Flags().StringVar(&in.Purpose, "purpose", "", "证明目的")
	cmd.Flags().StringVar(&in.FormedAt, "formed", "", "形成时间")
	cmd.Flags().BoolVar(&asJSON, "json", false, "每个文件输出一行 JSON（index、sha256、sm3 等）")
	cmd.Flags().BoolVar(&in.AllowDuplicate, "allow-duplicate", false, "内容与已保全的证据相同时仍然保全（新证据带有重复警告）")
	tf.register(cmd)
	return cmd
}

func addFile(ctx context.Context, svc *evidence.Service, path string, in evidence.AddInput) (*model.EvidenceItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("无法读取 %s：%v", path, err)
	}
	defer f.Close()
	in.FileName = filepath.Base(path)
	return svc.Add(ctx, nil, auth.Client{}, in, f)
}

func printAdded(w io.Writer, it *model.EvidenceItem) {
	fmt.Fprintf(w, "已保全 %s（证据编号 %d，日志序号 %d，%d 字节）\n  SHA-256 %s\n  SM3     %s\n", it.FileName, it.ID, it.LogIndex, it.Size, it.SHA256, it.SM3)
	for _, warn := range it.Warnings {
		fmt.Fprintf(w, "  ⚠ %s\n", warn)
	}
}

func newEvidenceListCmd(g *globals) *cobra.Command {
	var matter string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--matter 案件] [--json]",
		Short: "列出已保全的证据及其摘要",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withEvidence(cmd, g, tsaFlags{}, func(ctx context.Context, a *app, svc *evidence.Service) error {
				matterID, matterRef, err := resolveMatter(ctx, svc, matter)
				if err != nil {
					return err
				}
				items, err := a.db.FindEvidence(ctx, store.EvidenceFilter{MatterID: matterID, MatterRef: matterRef})
				if err != nil {
					return err
				}
				if asJSON {
					out := make([]addedJSON, len(items))
					for i, it := range items {
						out[i] = itemJSON(it)
					}
					return printJSON(cmd.OutOrStdout(), out)
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "编号\t日志序号\t证据名称\t案件\t保全时间\tSHA-256\t警告")
				for _, it := range items {
					fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%d\n", it.ID, it.LogIndex, it.Title, it.MatterRef,
						it.AddedAt.In(shanghai()).Format("2006-01-02 15:04"), it.SHA256, len(it.Warnings))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&matter, "matter", "", "只列出该案件的证据（#编号、案号或案件名称，或未关联案件的证据所填的文字）")
	cmd.Flags().BoolVar(&asJSON, "json", false, "输出 JSON")
	return cmd
}

func newEvidenceAssignCmd(g *globals) *cobra.Command {
	var matter string
	cmd := &cobra.Command{
		Use:   "assign 证据编号 --matter 案件",
		Short: "为已保全的证据指定或更改案件（日志条目不可更改，仍记载保全时的案件；更改记入审计日志）",
		Example: "  lvxin evidence assign 3 --matter （2026）京0105民初1号\n" +
			"  lvxin evidence assign 3 --matter \"\"     # 取消指定",
		Args: exactArgs(1, "证据编号"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ids, err := evidence.ParseIDs(args[0])
			if err != nil || len(ids) != 1 {
				return usageErr("证据编号 %q 无效（lvxin evidence list 查看编号）", args[0])
			}
			if !cmd.Flags().Changed("matter") {
				return usageErr("请用 --matter 指定案件（留空 --matter \"\" 表示取消指定）")
			}
			return withEvidence(cmd, g, tsaFlags{}, func(ctx context.Context, a *app, svc *evidence.Service) error {
				before, err := a.db.EvidenceItem(ctx, ids[0])
				if errors.Is(err, store.ErrNotFound) {
					return usageErr("证据 %d 不存在（lvxin evidence list 查看编号）", ids[0])
				}
				if err != nil {
					return err
				}
				matterID, matterRef, err := resolveMatter(ctx, svc, matter)
				if err != nil {
					return err
				}
				item, err := svc.Assign(ctx, nil, auth.Client{}, ids[0], matterID, matterRef)
				if errors.Is(err, model.ErrInvalidInput) {
					return usageErr("%v", err)
				}
				if err != nil {
					return err
				}
				w := cmd.OutOrStdout()
				if before.MatterRef == item.MatterRef && before.MatterID == item.MatterID {
					fmt.Fprintf(w, "证据 %d（%s）的案件已是“%s”，未作更改。\n", item.ID, item.Title, matterName(item.MatterRef))
				} else {
					fmt.Fprintf(w, "证据 %d（%s）的案件：由“%s”改为“%s”，已记入审计日志。\n", item.ID, item.Title,
						matterName(before.MatterRef), matterName(item.MatterRef))
					fmt.Fprintf(w, "日志条目 %d 不可更改，仍记载保全时的案件；按案件导出（evidence export --matter）以新的案件为准。\n", item.LogIndex)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&matter, "matter", "", matterFlagHelp+"；空字符串表示取消指定")
	return cmd
}

// matterFlagHelp describes --matter of add and assign.
const matterFlagHelp = "案件：#编号，或恰好一个案件的案号或案件名称（关联该案件，证据随案件的权限可见）；" +
	"其他文字作为尚未登记的案件（案号或客户名称），可稍后再指定"

// resolveMatter reads --matter: a matter id, or free text (see
// evidence.Service.ResolveMatter); bad or ambiguous text is a usage error.
func resolveMatter(ctx context.Context, svc *evidence.Service, ref string) (int64, string, error) {
	id, text, err := svc.ResolveMatter(ctx, ref)
	if errors.Is(err, model.ErrInvalidInput) {
		return 0, "", usageErr("%v", err)
	}
	return id, text, err
}

func matterName(m string) string {
	if m == "" {
		return "未指定"
	}
	return m
}

func newEvidenceExportCmd(g *globals) *cobra.Command {
	var tf tsaFlags
	var out, matter, items string
	cmd := &cobra.Command{
		Use:   "export --out 证据包.zip [--matter 案件] [--items 编号,编号,...]",
		Short: "导出可离线核验的证据包（文件、SHA256SUMS、日志条目、包含证明、签名检查点、时间戳、证据目录）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageErr("请用 --out 指定证据包文件名")
			}
			ids, err := evidence.ParseIDs(items)
			if err != nil {
				return usageErr("%v", err)
			}
			return withEvidence(cmd, g, tf, func(ctx context.Context, a *app, svc *evidence.Service) error {
				f := evidence.ExportFilter{IDs: ids}
				if f.MatterID, f.MatterRef, err = resolveMatter(ctx, svc, matter); err != nil {
					return err
				}
				var sum evidence.ExportSummary
				err = atomicfile.Write(out, 0o600, func(w io.Writer) error {
					sum, err = svc.Export(ctx, nil, auth.Client{}, f, w)
					return err
				})
				if errors.Is(err, model.ErrInvalidInput) {
					return usageErr("%v", err)
				}
				if err != nil {
					return err
				}
				w := cmd.OutOrStdout()
				fmt.Fprintf(w, "已导出证据包 %s：%d 项证据，检查点覆盖日志前 %d 条。\n", out, sum.Items, sum.Checkpoint.Size)
				switch {
				case !sum.Timestamped:
					fmt.Fprintln(w, "本证据包不含可信时间戳。"+noTSANote)
				case !sum.ChainComplete:
					fmt.Fprintln(w, "证据包含可信时间戳；未配置时间戳服务的证书链（--tsa-chain），tsa-chain.pem 只含时间戳自带的签发证书，核验时需另行取得其根证书。")
				default:
					fmt.Fprintln(w, "证据包含可信时间戳及时间戳服务的证书链。")
				}
				fmt.Fprintf(w, "核验：lvxin verify %s（或解压后 sha256sum -c SHA256SUMS）\n", out)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "证据包文件名（.zip）")
	cmd.Flags().StringVar(&matter, "matter", "", "只导出该案件的证据（#编号、案号或案件名称，或未关联案件的证据所填的文字）")
	cmd.Flags().StringVar(&items, "items", "", "只导出这些证据编号，逗号分隔（lvxin evidence list 查看编号）")
	tf.register(cmd)
	return cmd
}
