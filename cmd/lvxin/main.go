// Command lvxin is the 律信 workbench: `lvxin serve` runs the web workbench,
// the other subcommands work directly on the data folder or database. This
// package is wiring only: flags, configuration and subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// moduleCommands are subcommands that feature files register from init.
var moduleCommands []func(g *globals) *cobra.Command

// globals are the flags every subcommand has.
type globals struct {
	dataDir     string
	databaseURL string
	// noBackup skips the backup before a schema upgrade (serve, migrate).
	noBackup bool
	// upgradeOut receives the upgrade plan; stderr when nil, so that
	// --json output stays clean.
	upgradeOut io.Writer
	// evidence configures the evidence log of the services openApp builds
	// (set by the commands that take --tsa-url, --tsa-chain, --firm).
	evidence evidenceOptions
}

// exitError carries an exit code; its message is already user-facing.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// usageErr is a wrong invocation: exit 2.
func usageErr(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// exitInterrupted is the exit code after Ctrl-C or SIGTERM (128 + SIGINT).
const exitInterrupted = 130

// interruptedMsg is said when a signal stopped a command that had no more
// precise words for it.
const interruptedMsg = "已中断（收到 Ctrl-C 或终止信号）：正在进行的操作已取消，未完成的写入已撤销"

func main() {
	// Ctrl-C and SIGTERM cancel every command's context (cmd.Context()): a
	// long import stops at once and its transaction is rolled back. After
	// the first signal the default behaviour is back, so a second Ctrl-C
	// ends the process immediately.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	stopProfile := startProfile(os.Getenv("LVXIN_CPUPROFILE"))
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	stopProfile()
	os.Exit(code)
}

// startProfile writes a CPU profile of the whole command to path (for
// performance work: LVXIN_CPUPROFILE=import.prof lvxin import …; read with
// go tool pprof), and returns what stops it. An empty path does nothing.
func startProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "错误：无法写入 CPU 剖析文件 %s：%v\n", path, err)
		os.Exit(1)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// run executes the command line args with ctx and returns the exit code;
// errors end as one Chinese line on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	code := 1
	var ee *exitError
	switch {
	case ctx.Err() != nil:
		// Whatever the layer that noticed it said (context canceled, a
		// driver's cancellation error), the user pressed Ctrl-C.
		code = exitInterrupted
		if !errors.As(err, &ee) {
			err = errors.New(interruptedMsg)
		}
	case errors.As(err, &ee):
		code = ee.code
	}
	if msg := oneLine(err.Error()); msg != "" {
		fmt.Fprintln(stderr, "错误："+msg)
	}
	return code
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "lvxin",
		Short: "律信：法律顾问的微信工作台",
		Long: "律信（lvxin）是为法律顾问、律师及其助理设计的自托管工作台：客户与案件、工作时间与期限、\n" +
			"聊天记录归档、证据保全、发布检查与账户安全。\n\n" +
			"直接运行 lvxin serve 即可在 http://127.0.0.1:8080 使用（数据保存在 ./lvxin-data）。",
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.PersistentFlags().StringVar(&g.dataDir, "data", "./lvxin-data", "数据目录（SQLite 数据库、文件存储、密钥）")
	root.PersistentFlags().StringVar(&g.databaseURL, "database-url", os.Getenv("LVXIN_DATABASE_URL"),
		"数据库地址：留空使用数据目录中的 SQLite；postgres://… 使用 PostgreSQL（也可用环境变量 LVXIN_DATABASE_URL）")
	localize(root)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%v（运行 %s --help 查看用法）", translateFlagError(err), c.CommandPath())
	})
	root.AddCommand(newServeCmd(g), newVersionCmd(g), newUserCmd(g), newAuditCmd(g), newBackupCmd(g), newRestoreCmd(g), newMigrateCmd(g),
		newDeadlineCmd(g), newCalendarCmd(g))
	for _, c := range moduleCommands {
		root.AddCommand(c(g))
	}
	for _, c := range root.Commands() {
		localize(c)
		for _, sub := range c.Commands() {
			localize(sub)
		}
	}
	root.PersistentPreRunE = func(c *cobra.Command, args []string) error {
		hooks, err := loadedHooks()
		if err != nil {
			return usageErr("%v", err)
		}
		if hooks.active() {
			fmt.Fprintln(c.ErrOrStderr(), hooks.notice())
		}
		return nil
	}
	root.Args = cobra.ArbitraryArgs
	root.RunE = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usageErr("未知命令 %q（运行 lvxin --help 查看可用命令）", args[0])
		}
		return c.Help()
	}
	return root
}

// usageTemplate is cobra's usage text in Chinese.
const usageTemplate = `用法：{{if .Runnable}}
  {{zhUse .UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [命令]{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

命令：{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

运行 "{{.CommandPath}} [命令] --help" 查看某个命令的详细用法。{{end}}
`

func init() {
	cobra.AddTemplateFunc("zhUse", func(s string) string { return strings.Replace(s, "[flags]", "[选项]", 1) })
}

func localize(c *cobra.Command) {
	c.SetUsageTemplate(usageTemplate)
	c.InitDefaultHelpFlag()
	if f := c.Flags().Lookup("help"); f != nil {
		f.Usage = "显示帮助"
	}
	// pflag prints "(default …)" in English; say it in Chinese instead.
	for _, fs := range []*pflag.FlagSet{c.LocalNonPersistentFlags(), c.PersistentFlags()} {
		fs.VisitAll(func(f *pflag.Flag) {
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
				if !strings.Contains(f.Usage, "默认") {
					f.Usage += "（默认 " + f.DefValue + "）"
				}
				// What pflag takes for "no default" depends on the
				// flag's type: "" alone printed "(default )" after an
				// int flag.
				switch t := f.Value.Type(); {
				case t == "string":
					f.DefValue = ""
				case t == "bool":
					f.DefValue = "false"
				case strings.HasSuffix(t, "Slice") || strings.HasSuffix(t, "Array"):
					f.DefValue = "[]"
				default:
					f.DefValue = "0"
				}
			}
		})
	}
	c.SetHelpCommand(&cobra.Command{
		Use:   "help [命令]",
		Short: "显示某个命令的帮助",
		Run: func(cmd *cobra.Command, args []string) {
			target, _, err := cmd.Root().Find(args)
			if target == nil || err != nil {
				cmd.Root().Help()
				return
			}
			target.Help()
		},
	})
	c.SilenceErrors, c.SilenceUsage = true, true
}

func translateFlagError(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "unknown flag: "):
		return "未知选项 " + strings.TrimPrefix(msg, "unknown flag: ")
	case strings.HasPrefix(msg, "unknown shorthand flag: "):
		return "未知选项 " + strings.TrimPrefix(msg, "unknown shorthand flag: ")
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return "选项缺少参数：" + strings.TrimPrefix(msg, "flag needs an argument: ")
	case strings.HasPrefix(msg, "invalid argument "):
		return "选项参数无效：" + strings.TrimPrefix(msg, "invalid argument ")
	}
	return msg
}
