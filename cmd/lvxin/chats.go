package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/atomicfile"
	"github.com/lvxin/lvxin/internal/chatexport"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

func init() {
	moduleCommands = append(moduleCommands, newImportCmd, newSearchCmd, newArchiveCmd)
}

func chatService(a *app) *archive.Service { return a.svc.chats }

var cliActor = archive.Actor{Name: model.ActorCLI}

func newImportCmd(g *globals) *cobra.Command {
	var format, selfWxID, selfName string
	var clientID, matterID int64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import 文件|导出文件夹.zip [--format 格式] [--client ID] [--matter ID]",
		Short: "导入聊天记录导出文件（自动识别格式，重复导入不产生重复消息）",
		Example: "  lvxin import 王五.csv --matter 12\n  lvxin import chatlog.json --json\n" +
			"  支持的格式：" + strings.Join(formatNames(), "、"),
		Args: exactArgs(1, "一个导出文件"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if format != "" && !knownFormat(format) {
				return usageErr("不支持的格式 %q（支持：%s）", format, strings.Join(formatNames(), "、"))
			}
			st, err := os.Stat(args[0])
			if err != nil || !st.Mode().IsRegular() {
				return fmt.Errorf("无法读取文件 %s", args[0])
			}
			a, err := openApp(cmd, g)
			if err != nil {
				return err
			}
			defer a.Close()
			opts := archive.ImportOptions{Format: chatexport.Format(format), ClientID: clientID, MatterID: matterID,
				Parse: chatexport.Options{SelfWxID: selfWxID, SelfName: selfName}}
			var bar *progressbar.ProgressBar
			if term.IsTerminal(int(os.Stderr.Fd())) {
				bar = progressbar.NewOptions64(st.Size(), progressbar.OptionSetWriter(os.Stderr),
					progressbar.OptionSetDescription("导入 "+filepath.Base(args[0])), progressbar.OptionShowBytes(true),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
				opts.Progress = func(n int64) { _ = bar.Set64(n) }
			}
			importFn := chatService(a).ImportFile
			if archive.IsZip(args[0]) { // an export folder as a ZIP: export file and media
				importFn = chatService(a).ImportZip
			}
			res, err := importFn(ctx, args[0], opts, cliActor)
			if bar != nil {
				_ = bar.Finish()
			}
			if err != nil && ctx.Err() != nil {
				// The import is one transaction: cancelled, it left nothing.
				return &exitError{code: exitInterrupted, msg: fmt.Sprintf(
					"导入已中断：%s 的消息一条也没有写入，数据库保持原样；可随时重新导入", filepath.Base(args[0]))}
			}
			if errors.Is(err, chatexport.ErrUnknownFormat) {
				return fmt.Errorf("%w；请用 --format 指定", err)
			}
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if asJSON {
				return printJSON(w, map[string]any{"import_id": res.Import.ID, "file": res.Import.FileName,
					"format": res.Format, "sha256": res.Import.SHA256, "conversations": res.Conversations,
					"new": res.Import.New, "duplicate": res.Import.Duplicate, "skipped": res.Import.Skipped,
					"skips": res.Skips, "kinds": res.Kinds, "media_stored": res.MediaStored})
			}
			fmt.Fprintf(w, "已导入 %s（%s，%d 个会话）：新增 %d 条，重复 %d 条，跳过 %d 条\n", res.Import.FileName,
				res.Format, res.Conversations, res.Import.New, res.Import.Duplicate, res.Import.Skipped)
			for _, s := range res.Skips {
				fmt.Fprintf(w, "  跳过 第 %d 行：%s\n", s.Line, s.Reason)
			}
			if res.MediaStored > 0 {
				fmt.Fprintf(w, "已保存附件 %d 个\n", res.MediaStored)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "文件格式（默认自动识别）")
	cmd.Flags().Int64Var(&clientID, "client", 0, "归入的客户 ID")
	cmd.Flags().Int64Var(&matterID, "matter", 0, "归入的案件 ID")
	cmd.Flags().StringVar(&selfWxID, "self-wxid", "", "导出账号的微信号（文件未标明本人消息时使用）")
	cmd.Flags().StringVar(&selfName, "self-name", "", "导出账号的昵称")
	cmd.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出结果")
	return cmd
}

func formatNames() []string {
	var out []string
	for _, f := range chatexport.Formats() {
		out = append(out, string(f))
	}
	return out
}

func knownFormat(s string) bool {
	for _, f := range chatexport.Formats() {
		if string(f) == s {
			return true
		}
	}
	return false
}

// parseDay reads YYYY-MM-DD as the start of that day in Asia/Shanghai.
func parseDay(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, archive.Shanghai)
	if err != nil {
		return time.Time{}, usageErr("--%s 应为 YYYY-MM-DD：%q", flag, s)
	}
	return t, nil
}

func newSearchCmd(g *globals) *cobra.Command {
	var q store.SearchQuery
	var from, to, sortBy string
	var asJSON, all bool
	cmd := &cobra.Command{
		Use:   "search 查询词…",
		Short: "全文检索聊天记录（一两个字也能查；多个词须同时出现，\"引号\"内为短语）",
		Long: "全文检索聊天记录，最新的在前。与网页相同，每次最多检索最近约 100 万条消息；没有找满时会说明检索到哪一天，\n" +
			"并给出继续检索更早消息的 --before 参数。--all 一次检索全部消息（档案很大时可能较慢）。",
		Example: "  lvxin search 合同\n  lvxin search 违约 押金 --from 2024-03-01 --to 2024-03-31\n" +
			"  lvxin search '\"违约金 约定\"' --sender wxid_wangwu123 --json\n" +
			"  lvxin search 押金 --before 1719795600000000   # 继续检索更早的消息",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			q.Terms = archive.ParseQuery(strings.Join(args, " "))
			var err error
			if q.From, err = parseDay("from", from); err != nil {
				return err
			}
			if q.To, err = parseDay("to", to); err != nil {
				return err
			}
			if !q.To.IsZero() {
				q.To = q.To.AddDate(0, 0, 1) // --to is inclusive
			}
			if sortBy != archive.SortNewest && sortBy != archive.SortRelevance {
				return usageErr("--sort 应为 newest 或 relevance")
			}
			if q.BeforeID < 0 {
				return usageErr("--before 应为上一次检索给出的正整数：%d", q.BeforeID)
			}
			if q.Budget < 0 {
				return usageErr("--budget 应为正整数（消息条数）：%d", q.Budget)
			}
			if all {
				q.Budget = -1 // the whole range, however long it takes
			}
			a, err := openApp(cmd, g)
			if err != nil {
				return err
			}
			defer a.Close()
			page, err := chatService(a).SearchPage(ctx, q, sortBy)
			if errors.Is(err, store.ErrEmptyQuery) {
				return usageErr("%v", err)
			}
			if err != nil {
				return err
			}
			results := page.Results
			w := cmd.OutOrStdout()
			// Where the search stopped at its budget: how far it went and
			// how to go on. With --json it goes to stderr, so that stdout
			// stays the array of results it has always been.
			note := ""
			if page.More != 0 {
				what := "已检索最近约 "
				if q.BeforeID != 0 {
					what = "已继续检索更早的约 "
				}
				note = fmt.Sprintf("%s%s条消息（至 %s），未找到更多结果。继续检索更早的消息：加上 --before %d（或用 --all 一次检索全部）",
					what, page.SearchedCount(), page.SearchedBack.In(archive.Shanghai).Format("2006年1月2日"), page.More)
			}
			if asJSON {
				if results == nil {
					results = []archive.Result{}
				}
				if note != "" {
					fmt.Fprintln(cmd.ErrOrStderr(), note)
				}
				return printJSON(w, results)
			}
			if len(results) == 0 {
				if note != "" {
					fmt.Fprintln(w, note)
					return nil
				}
				fmt.Fprintln(w, "没有找到匹配的消息")
				return nil
			}
			defer func() {
				if note != "" {
					fmt.Fprintln(w, note)
				}
			}()
			for _, r := range results {
				var b strings.Builder
				for _, f := range r.Fragments {
					if f.Hit {
						b.WriteString("【" + f.Text + "】")
					} else {
						b.WriteString(f.Text)
					}
				}
				sender := r.Message.SenderName
				if r.Message.SenderWxID != "" {
					sender += "（" + r.Message.SenderWxID + "）"
				}
				fmt.Fprintf(w, "%s  %s  %s：%s\n", r.Message.SentAt.In(archive.Shanghai).Format("2006-01-02 15:04:05"),
					r.ConversationTitle, sender, strings.ReplaceAll(b.String(), "\n", " ⏎ "))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.Int64Var(&q.ConversationID, "conversation", 0, "只查这个会话（群聊或单聊）的 ID")
	f.Int64Var(&q.ClientID, "client", 0, "只查归入该客户的会话")
	f.Int64Var(&q.MatterID, "matter", 0, "只查归入该案件的会话")
	f.StringVar(&q.Contact, "contact", "", "只查有此联系人（微信号、昵称或备注名）参与的会话")
	f.StringVar(&q.Sender, "sender", "", "只查此人（微信号或昵称）发送的消息")
	f.StringVar(&from, "from", "", "起始日期 YYYY-MM-DD（含）")
	f.StringVar(&to, "to", "", "截止日期 YYYY-MM-DD（含）")
	f.IntVar(&q.Limit, "limit", 50, "最多显示条数")
	f.StringVar(&sortBy, "sort", archive.SortNewest, "排序：newest（最新在前）或 relevance（相关度）")
	f.BoolVar(&asJSON, "json", false, "以 JSON 输出")
	f.Int64Var(&q.BeforeID, "before", 0, "只查比这条消息更早的（上一次检索未找满时给出的编号）")
	f.BoolVar(&all, "all", false, "检索全部消息，不受每次约 100 万条的限制")
	f.IntVar(&q.Budget, "budget", 0, "每次最多检索约多少条消息（默认约 100 万）")
	return cmd
}

func newArchiveCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "archive", Short: "聊天记录归档：按月导出加密归档"}
	var month, out string
	var recipients []string
	export := &cobra.Command{
		Use:   "export --month YYYY-MM --recipient AGE公钥… --out 文件",
		Short: "导出一个月的聊天记录为 age 加密归档（消息 JSON、可读 HTML、附件、SHA-256 清单）",
		Example: "  lvxin archive export --month 2024-03 --recipient age1… --out 2024-03.tar.age\n" +
			"  解密：age -d -i key.txt 2024-03.tar.age | tar x",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if month == "" || out == "" {
				return usageErr("请用 --month 指定月份、--out 指定输出文件")
			}
			if _, _, err := archive.MonthRange(month); err != nil {
				return usageErr("%v", err)
			}
			recips, err := archive.ParseRecipients(recipients)
			if err != nil {
				return usageErr("%v", err)
			}
			a, err := openApp(cmd, g)
			if err != nil {
				return err
			}
			defer a.Close()
			f, err := os.CreateTemp(filepath.Dir(out), ".archive-*")
			if err != nil {
				return fmt.Errorf("无法写入 %s：%v", out, err)
			}
			defer os.Remove(f.Name())
			sum := sha256.New()
			counter := &countingWriter{}
			m, err := chatService(a).ExportMonth(ctx, month, recips, io.MultiWriter(f, sum, counter), time.Now())
			if err != nil {
				f.Close()
				return err
			}
			if err := atomicfile.Commit(f, out); err != nil {
				return fmt.Errorf("无法写入 %s：%v", out, err)
			}
			err = a.db.Update(ctx, func(tx *store.Tx) error {
				rec := &model.ChatArchive{Month: month, Recipients: recipients, BlobSHA256: hex.EncodeToString(sum.Sum(nil)),
					Size: counter.n, Messages: m.Messages, CreatedBy: cliActor.Name}
				if err := tx.AddChatArchive(ctx, rec); err != nil {
					return err
				}
				return tx.AppendAudit(ctx, &model.AuditEvent{Actor: cliActor.Name, Action: "chat.archive.export",
					Target: "month:" + month, Detail: fmt.Sprintf("%s：%d 个会话，%d 条消息，接收方 %s", out, m.Conversations,
						m.Messages, strings.Join(recipients, ","))})
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已导出 %s 归档到 %s：%d 个会话，%d 条消息，%d 个文件\n", month, out,
				m.Conversations, m.Messages, len(m.Files)+1)
			return nil
		},
	}
	export.Flags().StringVar(&month, "month", "", "月份 YYYY-MM（按北京时间）")
	export.Flags().StringArrayVar(&recipients, "recipient", nil, "接收方 age 公钥（可多次指定）")
	export.Flags().StringVar(&out, "out", "", "输出文件")
	cmd.AddCommand(export)
	return cmd
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
