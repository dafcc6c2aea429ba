package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

func newAuditCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "审计日志"}
	verify := &cobra.Command{
		Use:   "verify",
		Short: "校验审计日志的哈希链：发现被修改或删除的记录",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, func(ctx context.Context, a *app) error {
				rep, err := a.db.VerifyAudit(ctx)
				if err != nil {
					return err
				}
				w := cmd.OutOrStdout()
				if rep.OK() {
					fmt.Fprintf(w, "审计日志完好：共 %d 条记录，哈希链连续\n", rep.Rows)
					return nil
				}
				for _, p := range rep.Problems {
					fmt.Fprintf(w, "第 %d 条：%s\n", p.ID, p.Reason)
				}
				return &exitError{code: 1, msg: fmt.Sprintf("审计日志校验失败：发现 %d 处问题", len(rep.Problems))}
			})
		},
	}
	cmd.AddCommand(verify)
	return cmd
}
