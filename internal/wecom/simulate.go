package wecom

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// What lvxin wecom simulate sends: correctly signed and encrypted callbacks
// in WeCom's shapes, so a firm can test its settings and a new user can see
// the message centre work without a WeCom account. A simulated client
// message is a kf_msg_or_event callback that carries the message itself
// (LvxinSimulated=1, ExternalUserID, Content, MsgId): the processor hands it
// over with Channel "simulator" without calling kf/sync_msg. Replies to it
// (kf/send_msg) go to the configured API host, so with the fake server or a
// test host nothing reaches real WeChat users.

// SimKind is what to simulate.
type SimKind string

// Simulated callbacks.
const (
	SimMessage    SimKind = "message"     // a client message to a kf account
	SimAddContact SimKind = "add-contact" // a member added an external contact
	SimGroup      SimKind = "group"       // a customer group changed
)

// SimOptions describe the simulated callback.
type SimOptions struct {
	Kind           SimKind
	CorpID         string
	OpenKFID       string // message: the kf account (default wkLvxinSimulator)
	ExternalUserID string // message, add-contact: the client (default wmLvxinSimulator)
	StaffUserID    string // add-contact: the member (default lvxin-sim)
	ChatID         string // group: the group (default wrLvxinSimulator)
	Text           string // message: the text
	MsgID          string // message: default a random id
	WelcomeCode    string // add-contact: default a random code
	At             time.Time
}

// SimPlaintext builds the plaintext of a simulated callback (XML, as WeCom
// sends).
func SimPlaintext(o SimOptions) ([]byte, error) {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	if o.At.IsZero() {
		o.At = time.Now()
	}
	def(&o.CorpID, "wwLvxinSimulator")
	type field struct {
		XMLName xml.Name
		Text    string `xml:",cdata"`
	}
	fields := []field{}
	add := func(name, value string) { fields = append(fields, field{XMLName: xml.Name{Local: name}, Text: value}) }
	add("ToUserName", o.CorpID)
	add("FromUserName", "sys")
	add("CreateTime", strconv.FormatInt(o.At.Unix(), 10))
	add("MsgType", "event")
	switch o.Kind {
	case SimMessage, "":
		if strings.TrimSpace(o.Text) == "" {
			return nil, fmt.Errorf("模拟客户消息需要 --text 消息内容")
		}
		def(&o.OpenKFID, "wkLvxinSimulator")
		def(&o.ExternalUserID, "wmLvxinSimulator")
		def(&o.MsgID, "sim-"+randomID())
		add("Event", "kf_msg_or_event")
		add("Token", "SIM"+randomID())
		add("OpenKfId", o.OpenKFID)
		add("LvxinSimulated", "1")
		add("ExternalUserID", o.ExternalUserID)
		add("MsgId", o.MsgID)
		add("Content", o.Text)
	case SimAddContact:
		def(&o.StaffUserID, "lvxin-sim")
		def(&o.ExternalUserID, "wmLvxinSimulator")
		def(&o.WelcomeCode, "SIMWELCOME"+randomID())
		add("Event", "change_external_contact")
		add("ChangeType", "add_external_contact")
		add("UserID", o.StaffUserID)
		add("ExternalUserID", o.ExternalUserID)
		add("WelcomeCode", o.WelcomeCode)
	case SimGroup:
		def(&o.ChatID, "wrLvxinSimulator")
		add("Event", "change_external_chat")
		add("ChatId", o.ChatID)
		add("ChangeType", "update")
		add("UpdateDetail", "add_member")
		add("JoinScene", "1")
		add("MemChangeCnt", "1")
	default:
		return nil, fmt.Errorf("未知的模拟类型 %q，应为 message、add-contact 或 group", o.Kind)
	}
	var buf bytes.Buffer
	buf.WriteString("<xml>")
	for _, f := range fields {
		data, err := xml.Marshal(f)
		if err != nil {
			return nil, err
		}
		buf.Write(data)
	}
	buf.WriteString("</xml>")
	return buf.Bytes(), nil
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// SealCallback encrypts and signs plaintext as WeCom does and returns the
// query (msg_signature, timestamp, nonce) and the XML body to POST.
func SealCallback(c *Crypto, plaintext []byte, at time.Time, nonce string) (url.Values, []byte, error) {
	if nonce == "" {
		nonce = randomID()
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	encrypted, err := c.Encrypt(plaintext)
	if err != nil {
		return nil, nil, err
	}
	sig := Signature(c.token, ts, nonce, encrypted)
	body, err := xml.Marshal(struct {
		XMLName    xml.Name `xml:"xml"`
		ToUserName cdata    `xml:"ToUserName"`
		Encrypt    cdata    `xml:"Encrypt"`
		AgentID    cdata    `xml:"AgentID"`
	}{ToUserName: cdata{c.receiveID}, Encrypt: cdata{encrypted}})
	if err != nil {
		return nil, nil, err
	}
	return url.Values{"msg_signature": {sig}, "timestamp": {ts}, "nonce": {nonce}}, body, nil
}

// PostCallback sends a sealed callback to a running lvxin's callback URL
// and returns the answer's body; a status other than 200 is an error that
// quotes the answer.
func PostCallback(ctx context.Context, hc *http.Client, callbackURL string, q url.Values, body []byte) (string, error) {
	u, err := url.Parse(callbackURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("回调地址无效：%q，应为 http(s)://主机/wecom/callback", callbackURL)
	}
	qq := u.Query()
	for k, v := range q {
		qq[k] = v
	}
	u.RawQuery = qq.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("无法连接 %s：%w", u.Host, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return string(data), fmt.Errorf("律信拒绝了模拟回调：HTTP %d %s", resp.StatusCode, strings.TrimSpace(string(data)))
	}
	return string(data), nil
}

// DecryptOffline checks and decrypts a callback taken from a log or a
// capture, for lvxin wecom decrypt: input is the POST body (XML or JSON) or
// a bare echostr. The signature and the receive id are checked; the
// timestamp only for its format (a captured callback is old by nature),
// and no nonce is remembered.
func DecryptOffline(token, aesKey, receiveID string, q Query, input []byte) ([]byte, error) {
	ts, err := strconv.ParseInt(strings.TrimSpace(q.Timestamp), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w：timestamp 应为十进制秒数，收到 %q", ErrBadTimestamp, q.Timestamp)
	}
	c, err := New(Config{Token: token, EncodingAESKey: aesKey, ReceiveID: receiveID,
		Now: func() time.Time { return time.Unix(ts, 0) }})
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(input)
	if len(trimmed) > 0 && (trimmed[0] == '<' || trimmed[0] == '{') {
		msg, err := c.DecryptMsg(context.Background(), q, trimmed)
		if err != nil {
			return nil, err
		}
		return msg.Plaintext, nil
	}
	return c.VerifyURL(context.Background(), q, string(trimmed))
}
