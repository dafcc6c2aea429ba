package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/web"
)

func newServeCmd(g *globals) *cobra.Command {
	var addr string
	var secure bool
	var tsaURL, tsaChain, firm string
	var demo bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "启动网页工作台",
		Long:  "启动律信网页工作台。首次运行且尚无管理员时，终端会显示一次性初始化链接。",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			g.upgradeOut = cmd.OutOrStdout()
			return serve(cmd, g, serveOptions{addr: addr, secure: secure, tsaURL: tsaURL, tsaChain: tsaChain, firm: firm, demo: demo})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "监听地址 主机:端口")
	cmd.Flags().StringVar(&tsaURL, "tsa-url", os.Getenv("LVXIN_TSA_URL"), "RFC 3161 可信时间戳服务地址，用于证据日志检查点；多个地址用逗号分隔，每家各盖一次（也可用环境变量 LVXIN_TSA_URL）")
	cmd.Flags().StringVar(&tsaChain, "tsa-chain", os.Getenv("LVXIN_TSA_CHAIN"), "时间戳服务的证书链（PEM），写入证据包供 openssl ts -verify 校验")
	cmd.Flags().StringVar(&firm, "firm", os.Getenv("LVXIN_FIRM"), "律所简称，用于证据日志名称（首次使用证据功能时确定）")
	cmd.Flags().BoolVar(&demo, "demo", false, "首次启动时载入虚构的演示律所数据（同 lvxin demo；已有数据时跳过）")
	addNoBackupFlag(cmd, g)
	cmd.Flags().BoolVar(&secure, "secure-cookies", false, "经 HTTPS（反向代理）访问时开启：Cookie 加 Secure 与 __Host- 前缀")
	return cmd
}

// serveOptions are serve's flags.
type serveOptions struct {
	addr, tsaURL, tsaChain, firm string
	secure, demo                 bool
}

func serve(cmd *cobra.Command, g *globals, o serveOptions) error {
	var chain []byte
	if o.tsaChain != "" {
		data, err := os.ReadFile(o.tsaChain)
		if err != nil {
			return fmt.Errorf("无法读取时间戳证书链 %s：%v", o.tsaChain, err)
		}
		chain = data
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := openApp(ctx, g, true)
	if err != nil {
		return err
	}
	defer a.Close()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// Deadlines saved on older holiday data (a previous binary's embedded
	// years) move now, each change kept and shown to its owner.
	// A failure changes nothing (one transaction) and must not keep the
	// workbench down; it is logged and retried at the next start.
	if changes, err := schedule.New(a.db, nil).Recompute(ctx, model.ActorSystem, "内置节假日数据更新"); err != nil {
		logger.Error("deadlines could not be recomputed on the current holiday data", "err", err)
		fmt.Fprintf(cmd.ErrOrStderr(), "警告：按当前节假日数据重新计算已保存的期限失败（未作任何修改，下次启动时重试）：%v\n", err)
	} else if len(changes) > 0 {
		logger.Info("deadlines recomputed on the current holiday data", "changed", len(changes))
	}
	srv, err := web.New(web.Config{DB: a.db, Auth: a.auth, Blobs: a.blobs, SecureCookies: o.secure, Logger: logger, Version: webVersion(), DataDir: g.dataDir,
		TSAURL: o.tsaURL, TSAChainPEM: chain, Firm: o.firm})
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
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	// The previous month's chat archive is produced in the first days of
	// each month, to the recipients an admin configured.
	chats := &archive.Service{DB: a.db, Blobs: a.blobs}
	go chats.RunAutoArchive(ctx, time.Hour, time.Now, func(ca *model.ChatArchive, err error) {
		if err != nil {
			logger.Error("monthly chat archive failed", "err", err)
			return
		}
		logger.Info("monthly chat archive produced", "month", ca.Month, "messages", ca.Messages, "sha256", ca.BlobSHA256)
	})
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
