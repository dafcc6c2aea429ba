package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Format is the shape of a callback body and of its encrypted reply.
type Format string

const (
	FormatXML  Format = "xml"
	FormatJSON Format = "json"
)

// Query holds the URL parameters of a callback, already URL-decoded.
type Query struct {
	MsgSignature string // msg_signature
	Timestamp    string // timestamp
	Nonce        string // nonce
}

// Envelope is a parsed callback body before decryption.
type Envelope struct {
	Format     Format
	ToUserName string
	Encrypt    string
	AgentID    string // empty when the body has none (e.g. 微信客服 callbacks)
}

// Message is a decrypted, authenticated callback.
type Message struct {
	Envelope
	Plaintext []byte // the XML or JSON message WeCom sent
}

type jsonEnvelope struct {
	ToUserName string          `json:"tousername"`
	Encrypt    string          `json:"encrypt"`
	AgentID    json.RawMessage `json:"agentid"`
}

// ParseBody reads a callback body: XML when it starts with '<', JSON when it
// starts with '{' (after white space). XML with a DOCTYPE or any other
// directive is refused with ErrDoctype.
func ParseBody(body []byte) (Envelope, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return Envelope{}, fmt.Errorf("%w：消息体为空", ErrBadBody)
	}
	var env Envelope
	switch trimmed[0] {
	case '<':
		x, err := parseXMLEnvelope(trimmed)
		if err != nil {
			return Envelope{}, err
		}
		env = x
	case '{':
		var j jsonEnvelope
		if err := json.Unmarshal(trimmed, &j); err != nil {
			return Envelope{}, fmt.Errorf("%w：JSON 无法解析，应为 {\"tousername\",\"encrypt\",\"agentid\"}：%w", ErrBadBody, err)
		}
		agentID, err := jsonAgentID(j.AgentID)
		if err != nil {
			return Envelope{}, err
		}
		env = Envelope{Format: FormatJSON, ToUserName: j.ToUserName, Encrypt: j.Encrypt, AgentID: agentID}
	default:
		return Envelope{}, fmt.Errorf("%w：应为 XML 或 JSON", ErrBadBody)
	}
	if env.Encrypt == "" {
		return Envelope{}, fmt.Errorf("%w：缺少 Encrypt 字段", ErrBadBody)
	}
	return env, nil
}

// refuseDirectives walks the tokens of an XML document and refuses any
// directive (<!DOCTYPE ...>, <!ENTITY ...>), wherever it appears.
func refuseDirectives(doc []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w：XML 无法解析：%w", ErrBadBody, err)
		}
		if _, ok := tok.(xml.Directive); ok {
			return ErrDoctype
		}
	}
}

// parseXMLEnvelope reads <xml><ToUserName/><Encrypt/><AgentID/></xml> in
// one pass over the tokens, refusing any directive (<!DOCTYPE ...>,
// <!ENTITY ...>) wherever it appears and anything but one <xml> root.
func parseXMLEnvelope(doc []byte) (Envelope, error) {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	env := Envelope{Format: FormatXML}
	var text bytes.Buffer
	depth, roots, field := 0, 0, ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Envelope{}, fmt.Errorf("%w：XML 无法解析，应为 <xml><ToUserName/><Encrypt/><AgentID/></xml>：%w", ErrBadBody, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return Envelope{}, ErrDoctype
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				if roots++; roots > 1 || t.Name.Local != "xml" {
					return Envelope{}, fmt.Errorf("%w：XML 应有且只有一个 <xml> 根元素", ErrBadBody)
				}
			case 2:
				field = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if depth == 2 {
				text.Write(t)
			}
		case xml.EndElement:
			if depth == 2 {
				switch field {
				case "ToUserName":
					env.ToUserName = text.String()
				case "Encrypt":
					env.Encrypt = text.String()
				case "AgentID":
					env.AgentID = text.String()
				}
			}
			depth--
		}
	}
	if roots == 0 {
		return Envelope{}, fmt.Errorf("%w：XML 缺少 <xml> 根元素", ErrBadBody)
	}
	return env, nil
}

// jsonAgentID accepts agentid as a number or a string.
func jsonAgentID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		if _, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
			return n.String(), nil
		}
	}
	return "", fmt.Errorf("%w：agentid 应为整数或字符串", ErrBadBody)
}

// VerifyURL answers WeCom's URL verification (GET with echostr): it checks
// the timestamp, the signature and the nonce, and returns the decrypted
// echostr, which the endpoint writes back verbatim.
func (c *Crypto) VerifyURL(ctx context.Context, q Query, echostr string) ([]byte, error) {
	if echostr == "" {
		return nil, fmt.Errorf("%w：缺少 echostr 参数", ErrBadBody)
	}
	if err := c.authenticate(ctx, q, echostr); err != nil {
		return nil, err
	}
	return c.decrypt(echostr)
}

// DecryptMsg parses, authenticates and decrypts a callback body.
func (c *Crypto) DecryptMsg(ctx context.Context, q Query, body []byte) (Message, error) {
	env, err := ParseBody(body)
	if err != nil {
		return Message{}, err
	}
	if err := c.authenticate(ctx, q, env.Encrypt); err != nil {
		return Message{}, err
	}
	plain, err := c.decrypt(env.Encrypt)
	if err != nil {
		return Message{}, err
	}
	return Message{Envelope: env, Plaintext: plain}, nil
}

// authenticate runs the checks that come before decryption: timestamp
// window, signature, then the nonce (only authenticated nonces are
// remembered, so a forger cannot fill the cache).
func (c *Crypto) authenticate(ctx context.Context, q Query, encrypted string) error {
	if err := c.checkTimestamp(q.Timestamp); err != nil {
		return err
	}
	if q.Nonce == "" {
		return fmt.Errorf("%w：缺少 nonce 参数", ErrBadSignature)
	}
	if err := c.checkSignature(q.MsgSignature, q.Timestamp, q.Nonce, encrypted); err != nil {
		return err
	}
	if c.nonces == nil {
		return nil
	}
	if err := c.nonces.Remember(ctx, "nonce:"+q.Nonce); err != nil {
		if errors.Is(err, ErrSeen) {
			return fmt.Errorf("%w：nonce %q", ErrReplay, q.Nonce)
		}
		return fmt.Errorf("wecom: remember nonce: %w", err)
	}
	return nil
}

type xmlReply struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      cdata    `xml:"Encrypt"`
	MsgSignature cdata    `xml:"MsgSignature"`
	TimeStamp    string   `xml:"TimeStamp"`
	Nonce        cdata    `xml:"Nonce"`
}

// cdata is an element whose text is written as CDATA, as WeCom's samples do.
type cdata struct {
	Text string `xml:",cdata"`
}

type jsonReply struct {
	Encrypt      string `json:"encrypt"`
	MsgSignature string `json:"msgsignature"`
	TimeStamp    string `json:"timestamp"`
	Nonce        string `json:"nonce"`
}

// EncryptReply encrypts a passive reply and wraps it with its signature,
// timestamp and nonce: <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>
// or {"encrypt","msgsignature","timestamp","nonce"}.
func (c *Crypto) EncryptReply(plain []byte, timestamp, nonce string, format Format) ([]byte, error) {
	if _, err := strconv.ParseUint(timestamp, 10, 64); err != nil {
		return nil, fmt.Errorf("%w：timestamp 应为十进制秒数，收到 %q", ErrBadTimestamp, timestamp)
	}
	if nonce == "" {
		return nil, fmt.Errorf("%w：nonce 不能为空", ErrBadBody)
	}
	encrypted, err := c.Encrypt(plain)
	if err != nil {
		return nil, err
	}
	signature := Signature(c.token, timestamp, nonce, encrypted)
	switch format {
	case FormatXML:
		return xml.Marshal(xmlReply{Encrypt: cdata{encrypted}, MsgSignature: cdata{signature}, TimeStamp: timestamp, Nonce: cdata{nonce}})
	case FormatJSON:
		return json.Marshal(jsonReply{Encrypt: encrypted, MsgSignature: signature, TimeStamp: timestamp, Nonce: nonce})
	}
	return nil, fmt.Errorf("%w：回复格式应为 xml 或 json，收到 %q", ErrBadBody, format)
}
