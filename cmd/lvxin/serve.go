package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/redact"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/web"
	"github.com/lvxin/lvxin/internal/wecom"
)

func newServeCmd(g *globals) *cobra.Command {
	var addr string
	var secure bool
	var tsaURL, tsaChain, firm string
	var demo bool
	var maxUpload, publicURL string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "启动网页工作台",
		Long:  "启动律信网页工作台。首次运行且尚无管理员时，终端会显示一次性初始化链接。",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			g.upgradeOut = cmd.OutOrStdout()
			limit, err := parseSize(maxUpload)
			if err != nil {
				return fmt.Errorf("--max-upload：%w", err)
			}
			public, err := schedule.NormalizePublicURL(publicURL)
			if err != nil {
				return fmt.Errorf("--public-url：%w", err)
			}
			return serve(cmd, g, serveOptions{addr: addr, secure: secure, tsaURL: tsaURL, tsaChain: tsaChain, firm: firm, demo: demo,
				maxUpload: limit, publicURL: public})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "监听地址 主机:端口")
	cmd.Flags().StringVar(&maxUpload, "max-upload", "4GiB", "每次上传（证据、聊天记录导入）的大小上限，例如 500MiB、4GiB；超出时返回 413（通讯录导入另限 64 MB）")
	cmd.Flags().StringVar(&tsaURL, "tsa-url", os.Getenv("LVXIN_TSA_URL"), "RFC 3161 可信时间戳服务地址，用于证据日志检查点；多个地址用逗号分隔，每家各盖一次（也可用环境变量 LVXIN_TSA_URL）")
	cmd.Flags().StringVar(&tsaChain, "tsa-chain", os.Getenv("LVXIN_TSA_CHAIN"), "时间戳服务的证书链（PEM），写入证据包供 openssl ts -verify 校验")
	cmd.Flags().StringVar(&firm, "firm", os.Getenv("LVXIN_FIRM"), "律所简称，用于证据日志名称（首次使用证据功能时确定）")
	cmd.Flags().BoolVar(&demo, "demo", false, "首次启动时载入虚构的演示律所数据（同 lvxin demo；已有数据时跳过）")
	addNoBackupFlag(cmd, g)
	cmd.Flags().StringVar(&publicURL, "public-url", os.Getenv("LVXIN_PUBLIC_URL"), "手机访问律信的公开地址，例如 https://lvxin.example.cn（日历订阅地址和二维码使用它；优先于全所设置中的公开地址）")
	cmd.Flags().BoolVar(&secure, "secure-cookies", false, "经 HTTPS（反向代理）访问时开启：Cookie 加 Secure 与 __Host- 前缀")
	return cmd
}

// blobGrace is how long an unreferenced blob is kept: longer than any
// import or evidence intake that may still be about to refer to it.
const blobGrace = 24 * time.Hour

// sweepBlobs removes, every few hours, the blobs that failed imports and
// intakes left behind (see blob.Store.Sweep).
func sweepBlobs(ctx context.Context, a *app, logger *slog.Logger) {
	tick := time.NewTicker(6 * time.Hour)
	defer tick.Stop()
	for {
		removed, err := a.blobs.Sweep(ctx, time.Now().Add(-blobGrace), a.db.BlobReferences)
		if err != nil && ctx.Err() == nil {
			logger.Error("blob sweep failed", "err", err)
		} else if len(removed) > 0 {
			logger.Info("unreferenced blobs removed", "count", len(removed))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// serveOptions are serve's flags.
type serveOptions struct {
	addr, tsaURL, tsaChain, firm string
	publicURL                    string
	secure, demo                 bool
	maxUpload                    int64
}

// parseSize reads a byte count: a number with an optional unit B, KiB,
// MiB, GiB or TiB (KB, MB, GB, TB and K, M, G, T count in 1024s as well).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	num := strings.TrimRightFunc(t, func(r rune) bool { return r < '0' || r > '9' })
	unit := strings.ToUpper(strings.TrimSpace(t[len(num):]))
	shift, ok := map[string]uint{"": 0, "B": 0, "K": 10, "KB": 10, "KIB": 10, "M": 20, "MB": 20, "MIB": 20,
		"G": 30, "GB": 30, "GIB": 30, "T": 40, "TB": 40, "TIB": 40}[unit]
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || n <= 0 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("%w：%q 应为正整数加可选单位，例如 500MiB、4GiB", errBadSize, s)
	}
	return n << shift, nil
}

// errBadSize: a size flag that is not a number with a unit.
var errBadSize = errors.New("大小无效")

func serve(cmd *cobra.Command, g *globals, o serveOptions) error {
	ev, err := tsaFlags{url: o.tsaURL, chain: o.tsaChain, firm: o.firm}.options()
	if err != nil {
		return err
	}
	g.evidence = ev
	// Ctrl-C and SIGTERM cancel cmd's context (see main): serve shuts down.
	ctx := cmd.Context()
	hooks, _ := loadedHooks()
	a, err := openApp(cmd, g)
	if err != nil {
		return err
	}
	defer a.Close()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// Deadlines saved on older holiday data (a previous binary's embedded
	// years) move now, each change kept and shown to its owner.
	// A failure changes nothing (one transaction) and must not keep the
	// workbench down; it is logged and retried at the next start.
	if changes, err := a.svc.schedule.Recompute(ctx, model.ActorSystem, "内置节假日数据更新"); err != nil {
		logger.Error("deadlines could not be recomputed on the current holiday data", "err", err)
		fmt.Fprintf(cmd.ErrOrStderr(), "警告：按当前节假日数据重新计算已保存的期限失败（未作任何修改，下次启动时重试）：%v\n", err)
	} else if len(changes) > 0 {
		logger.Info("deadlines recomputed on the current holiday data", "changed", len(changes))
	}
	// Parties saved before their contact (or by an older version) are
	// linked to the client-book contact with the same ID number, USCC or
	// phone; a failure only delays that to the next start.
	if n, err := a.svc.book.LinkParties(ctx); err != nil {
		logger.Error("parties could not be linked to contacts", "err", err)
	} else if n > 0 {
		logger.Info("parties linked to contacts", "linked", n)
	}
	srv, err := web.New(web.Config{DB: a.db, Auth: a.auth, Blobs: a.blobs, SecureCookies: o.secure, Logger: logger, Version: webVersion(), DataDir: g.dataDir,
		Schedule: a.svc.schedule, ClientBook: a.svc.book, Archive: a.svc.chats, Evidence: a.svc.evidence, Notify: a.svc.notify,
		Inbox: a.svc.inbox, WeCom: a.svc.wecom, Safety: a.svc.safety, Delivery: a.svc.delivery, MaxUpload: o.maxUpload,
		Now: hooks.now, PublicURL: o.publicURL})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s：%v（端口可能已被占用）", o.addr, err)
	}
	base := "http://" + ln.Addr().String()
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "律信已启动：%s（数据目录 %s，数据库 %s）\n", base, g.dataDir, a.db.Dialect())
	if o.demo {
		if err := loadDemoOnce(ctx, a, out); err != nil {
			return err
		}
	}
	if need, err := a.auth.NeedsSetup(ctx); err != nil {
		return err
	} else if need {
		token, err := a.auth.NewSetupToken(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "首次使用：请在浏览器中打开下面的一次性链接创建管理员账户（24 小时内有效）：\n%s/setup?token=%s\n", base, token)
		fmt.Fprintln(out, "也可以运行：lvxin user add --role admin 用户名")
	}
	httpSrv := srv.HTTPServer(web.DefaultTimeouts)
	// The previous month's chat archive is produced in the first days of
	// each month, to the recipients an admin configured.
	go a.svc.chats.RunAutoArchive(ctx, time.Hour, time.Now, func(ca *model.ChatArchive, err error) {
		if err != nil {
			logger.Error("monthly chat archive failed", "err", err)
			return
		}
		logger.Info("monthly chat archive produced", "month", ca.Month, "messages", ca.Messages, "sha256", ca.BlobSHA256)
	})
	// The post check's segmentation dictionary takes about 2 s to load:
	// load it now, not on the first check a lawyer runs.
	go func() {
		auth.PrepareLogin()
		if err := redact.Preload(); err != nil {
			logger.Error("segmentation dictionary failed to load", "err", err)
		}
	}()
	go sweepBlobs(ctx, a, logger)
	// WeCom callbacks are queued by the endpoint and handed to the message
	// centre here (at least once; a crash re-delivers after the lease).
	// Notifications reach phones as WeCom app messages (users with a
	// linked WeCom account, once the firm saved its WeCom settings).
	a.svc.notify.SetPusher(weComPusher{a.svc.wecom})
	go a.svc.notify.RunPusher(ctx, 30*time.Second)
	if a.svc.wecomSink != nil {
		go wecom.NewProcessor(a.svc.wecom, a.svc.wecomSink, wecom.ProcessorConfig{Logger: logger}).Run(ctx)
	}
	// Confidential documents still unconfirmed one working day after
	// sending are reminded of to their sender.
	go a.svc.delivery.RunReminders(ctx, 15*time.Minute, func(n int, err error) {
		if err != nil {
			logger.Error("delivery reminders failed", "err", err)
		} else if n > 0 {
			logger.Info("delivery reminders sent", "count", n)
		}
	})
	// Deadlines due today or tomorrow: one notification per deadline and day.
	go a.svc.schedule.RunDueNotices(ctx, 15*time.Minute, func(err error) { logger.Error("deadline due notices failed", "err", err) })
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		fmt.Fprintln(out, "正在停止……")
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return httpSrv.Shutdown(shutdownCtx)
	}
	return nil
}
