package wecom_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/lvxin/lvxin/internal/wecom"
	"github.com/lvxin/lvxin/internal/wecom/wecomtest"
)

func newClient(t *testing.T) (*wecom.Client, *wecomtest.Server) {
	t.Helper()
	fake := wecomtest.New("ww1234", "s3cret")
	t.Cleanup(fake.Close)
	c, err := wecom.NewClient(wecom.ClientConfig{BaseURL: fake.URL, CorpID: "ww1234", Secret: "s3cret", AgentID: 1000002})
	if err != nil {
		t.Fatal(err)
	}
	return c, fake
}

func TestClientTokenSharedAndRefreshed(t *testing.T) {
	c, fake := newClient(t)
	ctx := context.Background()
	// Fifty concurrent callers share one gettoken.
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs <- c.SendAppText(ctx, []string{"zhangsan"}, "消息")
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.TokenCalls(); n != 1 {
		t.Fatalf("gettoken called %d times for 50 concurrent callers, want 1", n)
	}
	if n := len(fake.Sent()); n != 50 {
		t.Fatalf("%d messages sent, want 50", n)
	}
	// Expired (42001) and invalid (40014) tokens: fetched again, call retried once.
	fake.ExpireTokens()
	if err := c.SendKFText(ctx, "wkKF", "wmClient", "您好"); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	fake.RevokeTokens()
	if err := c.SendKFText(ctx, "wkKF", "wmClient", "您好"); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if n := fake.TokenCalls(); n != 3 {
		t.Fatalf("gettoken called %d times, want 3", n)
	}
	sent := fake.Sent()
	last := sent[len(sent)-1]
	if last.API != "kf" || last.OpenKFID != "wkKF" || last.To != "wmClient" || last.Text != "您好" {
		t.Fatalf("kf message: %+v", last)
	}
}

func TestClientErrorsInChinese(t *testing.T) {
	fake := wecomtest.New("ww1234", "s3cret")
	defer fake.Close()
	ctx := context.Background()
	bad, _ := wecom.NewClient(wecom.ClientConfig{BaseURL: fake.URL, CorpID: "ww1234", Secret: "wrong"})
	_, err := bad.Token(ctx)
	var apiErr *wecom.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 40001 || !strings.Contains(err.Error(), "应用 Secret 不正确") {
		t.Fatalf("wrong secret: %v", err)
	}
	c, _ := wecom.NewClient(wecom.ClientConfig{BaseURL: fake.URL, CorpID: "ww1234", Secret: "s3cret", AgentID: 1})
	fake.FailNext(48002)
	err = c.SendAppText(ctx, []string{"a"}, "x")
	if !errors.As(err, &apiErr) || apiErr.Code != 48002 || !strings.Contains(err.Error(), "没有调用该接口的权限") {
		t.Fatalf("no permission: %v", err)
	}
	// Welcome codes work once.
	if err := c.SendWelcome(ctx, "WC1", "欢迎"); err != nil {
		t.Fatal(err)
	}
	if err := c.SendWelcome(ctx, "WC1", "欢迎"); !errors.As(err, &apiErr) || apiErr.Code != 41096 || !strings.Contains(err.Error(), "20 秒") {
		t.Fatalf("second welcome: %v", err)
	}
	for _, cfg := range []wecom.ClientConfig{{CorpID: "x"}, {Secret: "x"}, {BaseURL: "ftp://x", CorpID: "a", Secret: "b"}} {
		if _, err := wecom.NewClient(cfg); !errors.Is(err, wecom.ErrConfig) {
			t.Fatalf("config %+v: %v", cfg, err)
		}
	}
	// Unreachable host: a Chinese error without the secret in it.
	dead, _ := wecom.NewClient(wecom.ClientConfig{BaseURL: "http://127.0.0.1:1", CorpID: "ww", Secret: "topsecret"})
	_, err = dead.Token(ctx)
	if err == nil || !strings.Contains(err.Error(), "无法连接企业微信接口") || strings.Contains(err.Error(), "topsecret") {
		t.Fatalf("unreachable: %v", err)
	}
}

func TestClientContactsTagsGroupsKFTransfer(t *testing.T) {
	c, fake := newClient(t)
	ctx := context.Background()
	vip := fake.AddTag("客户等级", "VIP")
	fake.AddContact(wecomtest.Contact{ExternalUserID: "wmA", Name: "甲", FollowUsers: map[string][]string{"zhangsan": {vip.ID}}})
	fake.AddContact(wecomtest.Contact{ExternalUserID: "wmB", Name: "乙", FollowUsers: map[string][]string{"zhangsan": nil}})
	ids, err := c.ListExternalContacts(ctx, "zhangsan")
	if err != nil || strings.Join(ids, ",") != "wmA,wmB" {
		t.Fatalf("list: %v %v", ids, err)
	}
	ec, err := c.GetExternalContact(ctx, "wmA")
	if err != nil || ec.Name != "甲" || len(ec.FollowUsers) != 1 || len(ec.FollowUsers[0].Tags) != 1 || ec.FollowUsers[0].Tags[0].TagName != "VIP" {
		t.Fatalf("get: %+v %v", ec, err)
	}
	g, err := c.AddCorpTags(ctx, "", "律信", []string{"现有客户"})
	if err != nil || len(g.Tags) != 1 || g.Tags[0].ID == "" || g.GroupName != "律信" {
		t.Fatalf("add tag: %+v %v", g, err)
	}
	groups, err := c.CorpTags(ctx)
	if err != nil || len(groups) != 2 {
		t.Fatalf("tag list: %+v %v", groups, err)
	}
	if err := c.MarkTags(ctx, "zhangsan", "wmA", []string{g.Tags[0].ID}, []string{vip.ID}); err != nil {
		t.Fatal(err)
	}
	if got := fake.ContactTags("wmA", "zhangsan"); len(got) != 1 || got[0] != g.Tags[0].ID {
		t.Fatalf("tags after mark: %v", got)
	}
	fake.AddGroup(wecomtest.Group{ChatID: "wrG1", Name: "（2026）京0105民初1号 甲 合同纠纷", Owner: "zhangsan",
		Members: []wecomtest.Member{{UserID: "zhangsan", Type: 1}, {UserID: "wmA", Type: 2, Name: "甲"}}})
	refs, err := c.ListGroupChats(ctx, []string{"zhangsan"})
	if err != nil || len(refs) != 1 || refs[0].ChatID != "wrG1" {
		t.Fatalf("group list: %+v %v", refs, err)
	}
	gc, err := c.GetGroupChat(ctx, "wrG1")
	if err != nil || len(gc.Members) != 2 || gc.Members[1].Type != 2 || gc.Owner != "zhangsan" {
		t.Fatalf("group get: %+v %v", gc, err)
	}
	fake.PushKF(wecomtest.KFMsg{OpenKFID: "wkKF", ExternalUserID: "wmA", Text: "第一条"})
	fake.PushKF(wecomtest.KFMsg{OpenKFID: "wkKF", ExternalUserID: "wmA", Text: "第二条"})
	page, err := c.SyncKFMessages(ctx, "wkKF", "", "TOKEN", 1)
	if err != nil || len(page.Messages) != 1 || page.HasMore != 1 || page.Messages[0].Text.Content != "第一条" {
		t.Fatalf("sync page 1: %+v %v", page, err)
	}
	page, err = c.SyncKFMessages(ctx, "wkKF", page.NextCursor, "", 10)
	if err != nil || len(page.Messages) != 1 || page.HasMore != 0 || page.Messages[0].Text.Content != "第二条" {
		t.Fatalf("sync page 2: %+v %v", page, err)
	}
	res, err := c.TransferCustomers(ctx, "zhangsan", "lisi", []string{"wmA"}, "")
	if err != nil || len(res) != 1 || res[0].ErrCode != 0 {
		t.Fatalf("transfer: %+v %v", res, err)
	}
	res, err = c.TransferResignedCustomers(ctx, "zhangsan", "lisi", []string{"wmB", "wmX"})
	if err != nil || len(res) != 2 || res[0].ErrCode != 0 || res[1].ErrCode != 40096 {
		t.Fatalf("resigned transfer: %+v %v", res, err)
	}
	if f := fake.Followers("wmA"); strings.Join(f, ",") != "lisi" {
		t.Fatalf("followers after transfer: %v", f)
	}
}
