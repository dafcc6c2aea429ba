package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/atomicfile"
	"github.com/lvxin/lvxin/internal/backup"
	"github.com/lvxin/lvxin/internal/store"
)

// commit and buildDate may be set with -ldflags "-X main.commit=… -X
// main.buildDate=…" (scripts/release.sh does); otherwise they come from the
// build info Go records for builds inside a git checkout.
var (
	commit    = ""
	buildDate = ""
)

// buildInfo is what `lvxin version` prints.
type buildInfo struct {
	Version, Commit, Date, GoVersion string
	Modified                         bool
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Date: buildDate, GoVersion: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
		if b.Version == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
	}
	return b
}

// releaseVersion is recorded in the database when this binary creates or
// upgrades its schema: the release, and the commit for development builds.
func releaseVersion() string {
	b := readBuildInfo()
	if b.Version == "dev" && b.Commit != "" {
		return "dev-" + short(b.Commit)
	}
	return b.Version
}

// webVersion is the footer's text (shown to admins only).
func webVersion() string {
	b := readBuildInfo()
	if b.Commit == "" {
		return b.Version
	}
	return b.Version + "（" + short(b.Commit) + "）"
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "显示版本：发行版本、提交、构建时间与数据库结构版本",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			b := readBuildInfo()
			fmt.Fprintf(w, "律信 lvxin %s\n", b.Version)
			c := b.Commit
			if c == "" {
				c = "未知"
			}
			if b.Modified {
				c += "（含未提交的修改）"
			}
			fmt.Fprintf(w, "提交：%s\n", c)
			date := b.Date
			if t, err := time.Parse(time.RFC3339, b.Date); err == nil {
				date = t.UTC().Format("2006-01-02 15:04:05 UTC")
			} else if date == "" {
				date = "未知"
			}
			fmt.Fprintf(w, "构建时间：%s\n", date)
			fmt.Fprintf(w, "Go：%s %s/%s\n", b.GoVersion, runtime.GOOS, runtime.GOARCH)
			latest, err := store.LatestSchemaVersion(store.SQLite)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "数据库结构版本：本程序 %d", latest)
			// The database's own version, when there is one; nothing is created.
			if _, err := os.Stat(g.dataDir); err == nil || g.databaseURL != "" {
				plan, err := store.Inspect(cmd.Context(), store.Options{DataDir: g.dataDir, URL: g.databaseURL})
				switch {
				case err != nil:
					fmt.Fprintf(w, "；数据库：%s", oneLine(err.Error()))
				case plan.From == 0:
					fmt.Fprint(w, "；数据库尚未创建")
				default:
					fmt.Fprintf(w, "；数据库 %d（%s", plan.From, plan.Dialect)
					if plan.Release != "" {
						fmt.Fprintf(w, "，由 %s 写入", plan.Release)
					}
					fmt.Fprint(w, "）")
					if len(plan.Pending) > 0 {
						fmt.Fprintf(w, "，待升级 %d 项（lvxin migrate）", len(plan.Pending))
					}
				}
			}
			fmt.Fprintln(w)
			return nil
		},
	}
}

func addNoBackupFlag(cmd *cobra.Command, g *globals) {
	cmd.Flags().BoolVar(&g.noBackup, "no-backup", false, "升级数据库结构前不自动备份（默认会先在数据目录的 backups/ 中备份）")
}

func newMigrateCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "创建或升级数据库结构：先列出将执行的变更并自动备份（serve 启动时也会执行）",
		Long: "创建或升级数据库结构。升级前先列出将执行的每一项变更，并把数据库、文件与密钥备份到数据目录的\n" +
			"backups/ 中（--no-backup 跳过）；全部变更在一个事务中进行，任何一项失败则数据库保持原样。",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			g.upgradeOut = cmd.OutOrStdout()
			ctx := cmd.Context()
			a, err := openApp(cmd, g)
			if err != nil {
				return err
			}
			defer a.Close()
			v, err := a.db.SchemaVersion(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "数据库结构为最新版本 %d（%s）\n", v, a.db.Dialect())
			return nil
		},
	}
	addNoBackupFlag(cmd, g)
	return cmd
}

// beforeUpgrade prints what the upgrade will change and, for an existing
// database, takes a backup first (unless --no-backup). An error here stops
// the upgrade before anything is changed.
func beforeUpgrade(g *globals) func(ctx context.Context, db *store.DB, plan store.UpgradePlan) error {
	return func(ctx context.Context, db *store.DB, plan store.UpgradePlan) error {
		w := g.upgradeOut
		if plan.Fresh() {
			// Nothing to lose in a new database; serve and migrate say so.
			if w != nil {
				fmt.Fprintf(w, "新建数据库结构（版本 %d，%s）\n", plan.To, plan.Dialect)
			}
			return nil
		}
		if w == nil {
			w = os.Stderr
		}
		from := ""
		if plan.Release != "" {
			from = "，由 " + plan.Release + " 写入"
		}
		fmt.Fprintf(w, "数据库结构将从版本 %d 升级到 %d（%s%s），共 %d 项变更：\n", plan.From, plan.To, plan.Dialect, from, len(plan.Pending))
		for _, m := range plan.Pending {
			fmt.Fprintf(w, "  %05d %s\n", m.Version, m.Summary)
		}
		if g.noBackup {
			fmt.Fprintln(w, "已指定 --no-backup：升级前不备份。")
			return nil
		}
		path, err := backupBeforeUpgrade(ctx, db, g.dataDir, plan, time.Now())
		if err != nil {
			return fmt.Errorf("升级前备份失败，数据库未作任何改动：%w（确认不需要备份时可加 --no-backup）", err)
		}
		fmt.Fprintf(w, "升级前已备份到 %s\n如需退回升级前的版本：换回旧程序，用 lvxin restore 恢复此备份（见 docs/UPGRADE.md）。\n", path)
		return nil
	}
}

// backupBeforeUpgrade writes a full backup to the data folder's backups/
// folder, named after the versions and the time.
func backupBeforeUpgrade(ctx context.Context, db *store.DB, dataDir string, plan store.UpgradePlan, now time.Time) (string, error) {
	dir := filepath.Join(dataDir, "backups")
	if err := atomicfile.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("before-upgrade-%d-to-%d-%s.tar", plan.From, plan.To, now.UTC().Format("20060102T150405Z")))
	if _, err := backup.Create(ctx, db, dataDir, path); err != nil {
		return "", err
	}
	return path, nil
}
