package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultBaseURL is WeCom's API host.
const DefaultBaseURL = "https://qyapi.weixin.qq.com"

// ClientConfig configures a Client.
type ClientConfig struct {
	// BaseURL is the API host; DefaultBaseURL when empty (tests point it at
	// wecomtest's fake server).
	BaseURL string
	CorpID  string
	// Secret is the self-built app's secret. One app granted 客户联系 and
	// 微信客服 access serves every call lvxin makes.
	Secret  string
	AgentID int64 // the app that sends app messages
	HTTP    *http.Client
	Now     func() time.Time
}

// Client calls WeCom's server API. It caches the access token and refreshes
// it once for all concurrent callers when it expires or WeCom calls it
// invalid. Safe for concurrent use.
type Client struct {
	base    string
	corpID  string
	secret  string
	agentID int64
	http    *http.Client
	now     func() time.Time

	mu       sync.Mutex
	token    string
	expires  time.Time
	inflight *tokenCall // the refresh under way, shared by every caller
	fetches  int        // tokens fetched (tests)
}

type tokenCall struct {
	done  chan struct{}
	token string
	err   error
}

// NewClient checks cfg and returns a client.
func NewClient(cfg ClientConfig) (*Client, error) {
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("%w：接口地址应为 https://主机名，收到 %q", ErrConfig, cfg.BaseURL)
	}
	if strings.TrimSpace(cfg.CorpID) == "" {
		return nil, fmt.Errorf("%w：缺少企业 ID（CorpID）", ErrConfig)
	}
	if strings.TrimSpace(cfg.Secret) == "" {
		return nil, fmt.Errorf("%w：缺少应用 Secret", ErrConfig)
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Client{base: base, corpID: cfg.CorpID, secret: cfg.Secret, agentID: cfg.AgentID, http: hc, now: now}, nil
}

// APIError is an error code WeCom answered.
type APIError struct {
	Path string // e.g. /cgi-bin/kf/send_msg
	Code int
	Msg  string // WeCom's errmsg
}

func (e *APIError) Error() string {
	hint, ok := errorHints[e.Code]
	if !ok {
		hint = "请对照企业微信的全局错误码说明"
	}
	return fmt.Sprintf("企业微信接口 %s 返回错误 %d：%s（%s）", e.Path, e.Code, hint, e.Msg)
}

// errorHints explains the error codes lvxin meets most, in Chinese.
var errorHints = map[int]string{
	-1:    "企业微信系统繁忙，请稍后重试",
	40001: "应用 Secret 不正确，请在设置中重新填写",
	40003: "成员 userid 无效（不在通讯录中）",
	40013: "企业 ID（CorpID）不正确",
	40014: "access_token 无效",
	40056: "应用 AgentId 不正确",
	40096: "外部联系人 userid 不正确",
	41001: "缺少 access_token",
	42001: "access_token 已过期",
	45009: "接口调用次数超过企业微信的频率限制，请稍后重试",
	48002: "应用没有调用该接口的权限：请在企业微信管理后台为应用开通客户联系或微信客服权限",
	60011: "应用的可见范围不包含该成员",
	60020: "服务器 IP 不在企业微信应用的可信 IP 列表中",
	60111: "成员 userid 不存在",
	84061: "该成员与该客户不存在好友关系",
	95013: "微信客服会话已结束或不在可发送状态",
	95016: "客户 48 小时内未发消息，已不能主动回复（微信客服限制）",
	95018: "微信客服发送消息数量超过限制",
	41096: "欢迎语 code 已失效：欢迎语须在添加事件后 20 秒内发送，且只能发送一次",
	40098: "被接替成员尚未实名认证或不在客户联系使用范围内",
	40100: "客户正在转接中或已转接过",
}

// ErrTokenCodes are the codes after which the token is fetched again and the
// call retried once.
var tokenErrors = map[int]bool{40014: true, 42001: true, 40001: true}

// Token returns a valid access token, fetching one when none is cached or
// the cached one is within a minute of expiry. Concurrent callers share one
// fetch.
func (c *Client) Token(ctx context.Context) (string, error) {
	c.mu.Lock()
	if c.token != "" && c.now().Before(c.expires) {
		t := c.token
		c.mu.Unlock()
		return t, nil
	}
	call := c.inflight
	if call == nil {
		call = &tokenCall{done: make(chan struct{})}
		c.inflight = call
		c.mu.Unlock()
		go c.fetchToken(call)
	} else {
		c.mu.Unlock()
	}
	select {
	case <-call.done:
		return call.token, call.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// invalidate drops the cached token if it is still stale: a caller that got
// 42001 with token t must not throw away a fresh token another caller just
// fetched.
func (c *Client) invalidate(stale string) {
	c.mu.Lock()
	if c.token == stale {
		c.token = ""
	}
	c.mu.Unlock()
}

// fetchToken runs one gettoken call (detached from any one caller's
// context) and hands the result to everyone waiting.
func (c *Client) fetchToken(call *tokenCall) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	q := url.Values{"corpid": {c.corpID}, "corpsecret": {c.secret}}
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	err := c.do(ctx, http.MethodGet, "/cgi-bin/gettoken", q, nil, &out)
	if err == nil && out.AccessToken == "" {
		err = fmt.Errorf("企业微信接口 /cgi-bin/gettoken 没有返回 access_token")
	}
	c.mu.Lock()
	c.fetches++
	if err == nil {
		life := time.Duration(out.ExpiresIn) * time.Second
		if life <= 0 {
			life = 7200 * time.Second
		}
		// Refresh a minute early (or halfway, for short test lifetimes).
		margin := time.Minute
		if life < 2*margin {
			margin = life / 2
		}
		c.token, c.expires = out.AccessToken, c.now().Add(life-margin)
	}
	c.inflight = nil
	c.mu.Unlock()
	call.token, call.err = out.AccessToken, err
	close(call.done)
}

// TokenFetches is how many tokens the client fetched.
func (c *Client) TokenFetches() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetches
}

// call runs an API call with the access token, fetching a new token and
// retrying once when WeCom says the token is invalid or expired.
func (c *Client) call(ctx context.Context, method, path string, query url.Values, body, out any) error {
	for attempt := 0; ; attempt++ {
		token, err := c.Token(ctx)
		if err != nil {
			return err
		}
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("access_token", token)
		err = c.do(ctx, method, path, q, body, out)
		var apiErr *APIError
		if attempt == 0 && errors.As(err, &apiErr) && tokenErrors[apiErr.Code] {
			c.invalidate(token)
			continue
		}
		return err
	}
}

// maxResponse caps a response body.
const maxResponse = 8 << 20

// do sends one request and decodes the JSON answer into out, turning a
// non-zero errcode into an *APIError.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("无法连接企业微信接口 %s：%w", c.base+path, redactToken(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return fmt.Errorf("读取企业微信接口 %s 的应答失败：%w", path, redactToken(err))
	}
	if len(data) > maxResponse {
		return fmt.Errorf("企业微信接口 %s 的应答超过 %d MB", path, maxResponse>>20)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("企业微信接口 %s 返回 HTTP %d", path, resp.StatusCode)
	}
	var status struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(data, &status); err != nil {
		return fmt.Errorf("企业微信接口 %s 的应答不是 JSON：%w", path, err)
	}
	if status.ErrCode != 0 {
		return &APIError{Path: path, Code: status.ErrCode, Msg: status.ErrMsg}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("企业微信接口 %s 的应答无法解析：%w", path, err)
		}
	}
	return nil
}

// redactToken strips the query (access_token, corpsecret) from a URL error,
// so secrets never reach a log.
func redactToken(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
	}
	return err
}
