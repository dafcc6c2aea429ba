package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/lvxin/lvxin/internal/atomicfile"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/calendar"
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

// prepareDataDir checks (and with create, makes) the data folder.
func prepareDataDir(dir string, create bool) error {
	st, err := os.Stat(dir)
	switch {
	case err == nil && !st.IsDir():
		return fmt.Errorf("数据目录不可用：%s 是一个文件，不是目录", dir)
	case errors.Is(err, os.ErrNotExist) && create:
		if err := atomicfile.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("无法创建数据目录 %s：%v", dir, err)
		}
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("数据目录 %s 不存在（请先运行 lvxin serve，或用 --data 指定）", dir)
	case err != nil:
		return fmt.Errorf("数据目录不可用：%s：%v", dir, err)
	}
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("数据目录不可读：%s：%v", dir, err)
	}
	defer f.Close()
	if _, err := f.Readdirnames(1); err != nil && err.Error() != "EOF" {
		return fmt.Errorf("数据目录不可读：%s：%v", dir, err)
	}
	return nil
}

// openApp opens the data folder and the database. create makes a missing
// data folder (serve, user add); migrate applies pending migrations.
func openApp(ctx context.Context, g *globals, create bool) (*app, error) {
	if err := prepareDataDir(g.dataDir, create); err != nil {
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
	a.svc = newServices(a, g.dataDir, g.evidence)
	return a, nil
}

func shanghai() *time.Location { return calendar.Shanghai }

// withApp opens the data folder and database, runs fn, and closes them.
func withApp(g *globals, create bool, fn func(ctx context.Context, a *app) error) error {
	ctx := context.Background()
	a, err := openApp(ctx, g, create)
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(ctx, a)
}

// userNamed finds a user by username with a Chinese error when missing.
func (a *app) userNamed(ctx context.Context, username string) (*model.User, error) {
	u, err := a.db.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("用户 %q 不存在（lvxin user list 查看全部用户）", username)
	}
	return u, err
}
