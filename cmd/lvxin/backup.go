package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/backup"
)

func newBackupCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup --out 文件",
		Short: "备份数据库、文件存储与密钥到一个归档文件（服务运行中也可执行）",
		Long: "备份数据库（SQLite 在线备份或 pg_dump）、文件存储与密钥到一个 tar 归档，附每个文件的 SHA-256 清单。\n" +
			"归档中含有解密文件所需的密钥：请像保管原始数据一样保管备份文件。",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageErr("请用 --out 指定备份文件路径")
			}
			return withApp(cmd, g, func(ctx context.Context, a *app) error {
				m, err := backup.Create(ctx, a.db, g.dataDir, out)
				if err != nil {
					return err
				}
				var total int64
				for _, f := range m.Files {
					total += f.Size
				}
				fmt.Fprintf(cmd.OutOrStdout(), "备份完成：%s（%d 个文件，共 %.1f MB，数据库 %s，结构版本 %d）\n", out, len(m.Files), float64(total)/1e6, m.Dialect, m.SchemaVersion)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "备份文件路径（.tar）")
	return cmd
}

func newRestoreCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "restore 备份文件",
		Short: "从备份恢复到一个空的数据目录（PostgreSQL 备份需用 --database-url 指定空数据库）",
		Args:  exactArgs(1, "备份文件"),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := backup.Restore(cmd.Context(), args[0], g.dataDir, g.databaseURL)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "恢复完成：%d 个文件已校验无误，数据目录 %s（备份时间 %s）\n", len(m.Files), g.dataDir, m.CreatedAt.In(shanghai()).Format("2006-01-02 15:04"))
			return nil
		},
	}
}
