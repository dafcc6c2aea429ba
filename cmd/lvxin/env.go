package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/atomicfile"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/evidence"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// app is what a subcommand works on.
type app struct {
	db    *store.DB
	blobs *blob.Store
	auth  *auth.Service
	svc   *services
}

func (a *app) Close() { a.db.Close() }

// prepareDataDir checks the data folder and creates it when it is missing,
// saying so in one line on notice. Every command that works on the data
// folder follows this one rule (serve, import, search, audit verify, …);
// only the commands that merely read the firm's data when there is some
// (deadline, calendar day, redact, check-post, version) leave a missing
// folder alone.
func prepareDataDir(dir string, notice io.Writer) error {
	st, err := os.Stat(dir)
	switch {
	case err == nil && !st.IsDir():
		return fmt.Errorf("数据目录不可用：%s 是一个文件，不是目录", dir)
	case errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("数据目录不可用：%s 的上级路径中有文件，不是目录", dir)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("数据目录不可用：没有访问 %s 的权限", dir)
	case errors.Is(err, os.ErrNotExist):
		if err := atomicfile.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("无法创建数据目录 %s：%v", dir, err)
		}
		fmt.Fprintf(notice, "已创建数据目录 %s\n", dir)
	case err != nil:
		return fmt.Errorf("数据目录不可用：%s：%v", dir, err)
	}
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("数据目录不可读：%s：%v", dir, err)
	}
	defer f.Close()
	if _, err := f.Readdirnames(1); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("数据目录不可读：%s：%v", dir, err)
	}
	return nil
}

// openApp opens (creating it if missing, see prepareDataDir) the data
// folder and the database, with pending migrations applied, for cmd: its
// context is cancelled by Ctrl-C or SIGTERM, and notices go to its stderr.
func openApp(cmd *cobra.Command, g *globals) (*app, error) {
	ctx := cmd.Context()
	if err := prepareDataDir(g.dataDir, cmd.ErrOrStderr()); err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, store.Options{DataDir: g.dataDir, URL: g.databaseURL, Migrate: true,
		Release: releaseVersion(), BeforeUpgrade: beforeUpgrade(g)})
	if err != nil {
		return nil, err
	}
	blobs, err := blob.Open(g.dataDir)
	if err != nil {
		db.Close()
		return nil, err
	}
	a := &app{db: db, blobs: blobs, auth: auth.New(db, nil)}
	hooks, _ := loadedHooks() // checked in the root's PersistentPreRunE
	a.svc = newServices(a, g.dataDir, g.evidence, hooks)
	return a, nil
}

func shanghai() *time.Location { return calendar.Shanghai }

// withApp opens the data folder and database for cmd, runs fn with cmd's
// context, and closes them.
func withApp(cmd *cobra.Command, g *globals, fn func(ctx context.Context, a *app) error) error {
	a, err := openApp(cmd, g)
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(cmd.Context(), a)
}

// withEvidence is withApp for the evidence commands: the time-stamping
// flags f configure the evidence log, and fn gets its service.
func withEvidence(cmd *cobra.Command, g *globals, f tsaFlags, fn func(ctx context.Context, a *app, svc *evidence.Service) error) error {
	opts, err := f.options()
	if err != nil {
		return err
	}
	g.evidence = opts
	return withApp(cmd, g, func(ctx context.Context, a *app) error {
		return fn(ctx, a, a.svc.evidence)
	})
}

// userNamed finds a user by username with a Chinese error when missing.
func (a *app) userNamed(ctx context.Context, username string) (*model.User, error) {
	u, err := a.db.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("用户 %q 不存在（lvxin user list 查看全部用户）", username)
	}
	return u, err
}
