package main

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/evidence"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
)

func newVerifyCmd(g *globals) *cobra.Command {
	var vkey, roots string
	cmd := &cobra.Command{
		Use:   "verify 证据包.zip [--vkey 日志公钥] [--tsa-roots 根证书.pem]",
		Short: "离线核验证据包：文件摘要、包含证明、检查点签名、时间戳，逐项输出通过或失败",
		Args:  exactArgs(1, "证据包文件"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := ledger.VerifyOptions{}
			if vkey != "" {
				if data, err := os.ReadFile(vkey); err == nil {
					vkey = strings.TrimSpace(string(data))
				}
				opts.TrustedVKey = vkey
			}
			if roots != "" {
				data, err := os.ReadFile(roots)
				if err != nil {
					return usageErr("无法读取根证书 %s：%v", roots, err)
				}
				opts.TSARoots = x509.NewCertPool()
				if !opts.TSARoots.AppendCertsFromPEM(data) {
					return usageErr("%s 中没有 PEM 格式的证书", roots)
				}
			}
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("无法打开证据包 %s：%v", args[0], err)
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			rep, err := ledger.VerifyBundle(f, st.Size(), opts)
			if err != nil {
				return err
			}
			fmt.Fprint(cmd.OutOrStdout(), rep.String())
			if !rep.OK() {
				return &exitError{code: 1, msg: fmt.Sprintf("证据包 %s 校验未通过（%d 项失败）", args[0], len(rep.Failures()))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&vkey, "vkey", "", "经可信渠道取得的日志公钥（或保存公钥的文件）；不指定则使用包内的 log.vkey")
	cmd.Flags().StringVar(&roots, "tsa-roots", "", "受信任的时间戳服务根证书 PEM 文件；不指定则使用包内的 tsa-chain.pem")
	return cmd
}

func newLedgerCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "ledger", Short: "证据日志：完整校验、查看检查点与公钥"}
	var skipFiles bool
	verify := &cobra.Command{
		Use:   "verify",
		Short: "按条目原文重算整棵树、核对每个检查点，并重新计算每个证据文件的摘要",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withEvidence(cmd, g, tsaFlags{}, func(ctx context.Context, a *app, svc *evidence.Service) error {
				rep, err := svc.VerifyAll(ctx, evidence.VerifyOptions{SkipFiles: skipFiles})
				if err != nil {
					return err
				}
				fmt.Fprint(cmd.OutOrStdout(), rep.String())
				if len(rep.Failures()) > 0 {
					return &exitError{code: 1, msg: fmt.Sprintf("证据日志校验未通过（%d 项失败），已停止追加新条目", len(rep.Failures()))}
				}
				return nil
			})
		},
	}
	verify.Flags().BoolVar(&skipFiles, "skip-files", false, "不重新读取证据文件（只校验日志）")
	show := &cobra.Command{
		Use:   "checkpoint",
		Short: "输出最新的签名检查点，以及日志公钥（标准错误输出）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withEvidence(cmd, g, tsaFlags{}, func(ctx context.Context, a *app, svc *evidence.Service) error {
				st, err := svc.State(ctx)
				if err != nil {
					return err
				}
				if st.Latest == nil {
					return errors.New("证据日志尚无检查点")
				}
				fmt.Fprint(cmd.OutOrStdout(), string(st.Latest.Note))
				fmt.Fprintln(cmd.ErrOrStderr(), "日志公钥："+st.VKey)
				if len(st.Latest.TSR) == 0 {
					fmt.Fprintln(cmd.ErrOrStderr(), "该检查点没有可信时间戳。")
				}
				return nil
			})
		},
	}
	cmd.AddCommand(verify, show, newLedgerConsistencyCmd(g))
	return cmd
}

func newLedgerConsistencyCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "consistency 大小N 大小M",
		Short: "输出日志大小 N 与 M 两个检查点之间的一致性证明（RFC 6962，每行一个 base64 哈希）",
		Long: "输出一致性证明：大小为 M 的日志是大小为 N 的日志的延续（此前的条目没有被改动、删除或调换）。\n" +
			"标准输出每行一个 base64 哈希，与 /ledger/consistency?from=N&to=M 相同；标准错误输出说明是否已用\n" +
			"存储的两个签名检查点核验通过。",
		Example: "  lvxin ledger consistency 3 8",
		Args:    exactArgs(2, "两个检查点的日志大小"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var sizes [2]uint64
			for i, arg := range args {
				n, err := strconv.ParseUint(arg, 10, 64)
				if err != nil {
					return usageErr("日志大小 %q 不是正整数", arg)
				}
				sizes[i] = n
			}
			return withEvidence(cmd, g, tsaFlags{}, func(ctx context.Context, a *app, svc *evidence.Service) error {
				hashes, err := svc.Consistency(ctx, sizes[0], sizes[1])
				if errors.Is(err, model.ErrInvalidInput) {
					return usageErr("%v", err)
				}
				if err != nil {
					return err
				}
				for _, h := range hashes {
					fmt.Fprintln(cmd.OutOrStdout(), base64.StdEncoding.EncodeToString(h))
				}
				cps, err := svc.Checkpoints(ctx)
				if err != nil {
					return err
				}
				var from, to *ledger.Checkpoint
				for i := range cps {
					if cps[i].Size == sizes[0] {
						from = &cps[i]
					}
					if cps[i].Size == sizes[1] {
						to = &cps[i]
					}
				}
				errOut := cmd.ErrOrStderr()
				if from == nil || to == nil {
					fmt.Fprintf(errOut, "没有大小恰为 %d 和 %d 的两个签名检查点，未在本地核验；核验者需用这两个大小的检查点中的根哈希核验。\n", sizes[0], sizes[1])
					return nil
				}
				if err := ledger.VerifyConsistency(from.Size, to.Size, hashes, from.Root, to.Root); err != nil {
					return fmt.Errorf("一致性证明与存储的检查点不符：%v；请立即运行 lvxin ledger verify", err)
				}
				fmt.Fprintf(errOut, "已用存储的签名检查点（%d 条与 %d 条）核验通过：后者是前者的延续。\n", from.Size, to.Size)
				return nil
			})
		},
	}
}
