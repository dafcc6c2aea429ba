package wecom

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/store"
)

// Event is the decrypted content of a callback: the fields lvxin reads of
// WeCom's message and event callbacks (app messages, 客户联系 events, 客户群
// events, 微信客服 kf_msg_or_event), in XML or JSON.
type Event struct {
	ToUserName     string `xml:"ToUserName" json:"ToUserName"`
	FromUserName   string `xml:"FromUserName" json:"FromUserName"`
	CreateTime     int64  `xml:"CreateTime" json:"CreateTime"`
	MsgType        string `xml:"MsgType" json:"MsgType"`
	Event          string `xml:"Event" json:"Event"`
	ChangeType     string `xml:"ChangeType" json:"ChangeType"`
	UserID         string `xml:"UserID" json:"UserID"`
	ExternalUserID string `xml:"ExternalUserID" json:"ExternalUserID"`
	WelcomeCode    string `xml:"WelcomeCode" json:"WelcomeCode"`
	State          string `xml:"State" json:"State"`
	ChatID         string `xml:"ChatId" json:"ChatId"`
	UpdateDetail   string `xml:"UpdateDetail" json:"UpdateDetail"`
	JoinScene      int    `xml:"JoinScene" json:"JoinScene"`
	QuitScene      int    `xml:"QuitScene" json:"QuitScene"`
	MemChangeCnt   int    `xml:"MemChangeCnt" json:"MemChangeCnt"`
	Token          string `xml:"Token" json:"Token"`
	OpenKFID       string `xml:"OpenKfId" json:"OpenKfId"`
	Content        string `xml:"Content" json:"Content"`
	MsgID          string `xml:"MsgId" json:"MsgId"`
	// Simulated marks a message from lvxin wecom simulate: the client's
	// message rides in the callback (ExternalUserID, Content, MsgId) and the
	// processor hands it over without kf/sync_msg.
	Simulated int `xml:"LvxinSimulated" json:"LvxinSimulated"`
}

// Kind is the queue's name for the event: "event:<Event>" or the MsgType.
func (e Event) Kind() string {
	if e.MsgType == "event" {
		return "event:" + e.Event
	}
	if e.MsgType == "" {
		return "unknown"
	}
	return e.MsgType
}

// dedupKey is MessageKey of the event's plaintext, from the fields already
// read: "msgid:<MsgId>", or "sha256:<hex>" of the plaintext for events.
func (e Event) dedupKey(plain []byte) string {
	if id := strings.TrimSpace(e.MsgID); id != "" {
		return "msgid:" + id
	}
	sum := sha256.Sum256(plain)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ParseEvent reads a decrypted callback (XML or JSON). XML with a DOCTYPE
// or any other directive is refused.
func ParseEvent(plain []byte) (Event, error) {
	trimmed := bytes.TrimLeft(plain, " \t\r\n")
	var e Event
	switch {
	case len(trimmed) > 0 && trimmed[0] == '<':
		if err := refuseDirectives(trimmed); err != nil {
			return Event{}, err
		}
		if err := xml.Unmarshal(trimmed, &e); err != nil {
			return Event{}, fmt.Errorf("%w：解密后的 XML 无法解析：%w", ErrBadBody, err)
		}
	case len(trimmed) > 0 && trimmed[0] == '{':
		// Numbers may come as strings and the reverse; read loosely.
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &raw); err != nil {
			return Event{}, fmt.Errorf("%w：解密后的 JSON 无法解析：%w", ErrBadBody, err)
		}
		str := func(k string) string {
			v, ok := raw[k]
			if !ok {
				return ""
			}
			var s string
			if json.Unmarshal(v, &s) == nil {
				return s
			}
			var n json.Number
			if json.Unmarshal(v, &n) == nil {
				return n.String()
			}
			return ""
		}
		num := func(k string) int64 {
			n, _ := strconv.ParseInt(str(k), 10, 64)
			return n
		}
		e = Event{ToUserName: str("ToUserName"), FromUserName: str("FromUserName"), CreateTime: num("CreateTime"),
			MsgType: str("MsgType"), Event: str("Event"), ChangeType: str("ChangeType"), UserID: str("UserID"),
			ExternalUserID: str("ExternalUserID"), WelcomeCode: str("WelcomeCode"), State: str("State"),
			ChatID: str("ChatId"), UpdateDetail: str("UpdateDetail"), JoinScene: int(num("JoinScene")),
			QuitScene: int(num("QuitScene")), MemChangeCnt: int(num("MemChangeCnt")), Token: str("Token"),
			OpenKFID: str("OpenKfId"), Content: str("Content"), MsgID: str("MsgId"), Simulated: int(num("LvxinSimulated"))}
	default:
		return Event{}, fmt.Errorf("%w：解密后的消息应为 XML 或 JSON", ErrBadBody)
	}
	e.MsgType, e.Event = strings.TrimSpace(e.MsgType), strings.TrimSpace(e.Event)
	return e, nil
}

// VerifyURL answers WeCom's URL verification with the saved settings: it
// checks the timestamp window and the signature, remembers the nonce (a
// replay is refused) and returns the decrypted echostr.
func (s *Service) VerifyURL(ctx context.Context, q Query, echostr string) ([]byte, error) {
	c, err := s.callbackCrypto(ctx)
	if err != nil {
		return nil, err
	}
	plain, err := c.VerifyURL(ctx, q, echostr)
	if err != nil {
		return nil, err
	}
	if err := s.db.RememberWeComNonce(ctx, q.Nonce, s.now().Add(2*s.window)); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("%w：nonce %q", ErrReplay, q.Nonce)
		}
		return nil, err
	}
	return plain, nil
}

// Receipt says what Receive did with a callback.
type Receipt struct {
	Key       string // the de-duplication key
	Kind      string
	Duplicate bool // WeCom's retry of an event already queued
}

// Receive authenticates and decrypts a callback body and queues its event
// durably (nonce, de-dup record and event in one commit) before returning;
// the endpoint answers 200 only after that, so an event WeCom saw
// acknowledged is in the database. A replayed nonce is ErrReplay.
func (s *Service) Receive(ctx context.Context, q Query, body []byte) (Receipt, error) {
	c, err := s.callbackCrypto(ctx)
	if err != nil {
		return Receipt{}, err
	}
	msg, err := c.DecryptMsg(ctx, q, body)
	if err != nil {
		return Receipt{}, err
	}
	ev, err := ParseEvent(msg.Plaintext)
	if err != nil {
		return Receipt{}, err
	}
	key := ev.dedupKey(msg.Plaintext)
	rec := Receipt{Key: key, Kind: ev.Kind()}
	item := &store.WeComEnqueue{Nonce: q.Nonce, NonceExpires: s.now().Add(2 * s.window),
		Event: &store.WeComEvent{DedupKey: key, Kind: rec.Kind, Payload: string(msg.Plaintext)}}
	if err := s.enqueue(ctx, item); err != nil {
		return rec, err
	}
	if item.Replay {
		return rec, fmt.Errorf("%w：nonce %q", ErrReplay, q.Nonce)
	}
	rec.Duplicate = item.Duplicate
	if !rec.Duplicate {
		s.signal()
	}
	return rec, nil
}
