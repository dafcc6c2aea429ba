package wecom

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
	"time"
)

// officialVector is one sample published with WeCom's WXBizMsgCrypt
// libraries. random is the 16-byte prefix WeCom chose when it encrypted the
// sample; encrypting plaintext with it must give the published ciphertext.
type officialVector struct {
	name         string
	source       string
	token        string
	aesKey       string
	receiveID    string
	msgSignature string
	timestamp    string
	nonce        string
	echostr      string // URL verification; empty for a POST
	body         string // POST body; empty for URL verification
	format       Format
	toUserName   string
	agentID      string
	random       string
	plaintext    string
}

const (
	sampleToken2014  = "QDG6eK"
	sampleAESKey2014 = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	sampleCorp2014   = "wx5823bf96d3bd56c7"
	sampleToken2016  = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo"
	sampleAESKey2016 = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
	sampleCorp2016   = "ww1436e0e65a779aee"
)

var officialVectors = []officialVector{
	{
		name:         "verify URL (issue 15, all samples)",
		source:       "sbzhu/weworkapi_golang sample.go, example 1",
		token:        sampleToken2014,
		aesKey:       sampleAESKey2014,
		receiveID:    sampleCorp2014,
		msgSignature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
		timestamp:    "1409659589",
		nonce:        "263014780",
		echostr:      "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
		random:       "c41b64491c2468d0",
		plaintext:    "1616140317555161061",
	},
	{
		name:         "XML POST",
		source:       "sbzhu/weworkapi_golang sample.go, example 2",
		token:        sampleToken2014,
		aesKey:       sampleAESKey2014,
		receiveID:    sampleCorp2014,
		msgSignature: "477715d11cdb4164915debcba66cb864d751f3e6",
		timestamp:    "1409659813",
		nonce:        "1372623149",
		body:         "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>",
		format:       FormatXML,
		toUserName:   sampleCorp2014,
		agentID:      "218",
		random:       "0960688932c47ef1",
		plaintext:    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>",
	},
	{
		name:         "JSON POST",
		source:       "sbzhu/weworkapi_python callback_json/Sample.py, example 2",
		token:        sampleToken2016,
		aesKey:       sampleAESKey2016,
		receiveID:    sampleCorp2016,
		msgSignature: "e3647471e395139e2308c1fa963f2d648a00b90e",
		timestamp:    "1409659813",
		nonce:        "1372623149",
		body:         `{ "tousername": "wx5823bf96d3bd56c7", "encrypt": "cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=", "agentid": 218 }`,
		format:       FormatJSON,
		toUserName:   sampleCorp2014,
		agentID:      "218",
		random:       "dDVXRx6kn1gOT43Q",
		// Published as is, including its malformed "FromUserName": :mycreate".
		plaintext: `{ "ToUserName": "wx5823bf96d3bd56c7", "FromUserName": :mycreate", "CreateTime": 1409659813, "MsgType": "text", "Content": "hello", "MsgId": 4561255354251345929, "AgentID": 218}`,
	},
	{
		name:         "verify URL 2016",
		source:       "sbzhu/weworkapi_python callback/Sample.py, example 1",
		token:        sampleToken2016,
		aesKey:       sampleAESKey2016,
		receiveID:    sampleCorp2016,
		msgSignature: "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb",
		timestamp:    "1476416373",
		nonce:        "47744683",
		echostr:      "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==",
		random:       "8908d0ff052afda0",
		plaintext:    "1288432023552776189",
	},
	{
		name:         "XML POST 2016",
		source:       "sbzhu/weworkapi_python callback/Sample.py, example 2",
		token:        sampleToken2016,
		aesKey:       sampleAESKey2016,
		receiveID:    sampleCorp2016,
		msgSignature: "0c3914025cb4b4d68103f6bfc8db550f79dcf48e",
		timestamp:    "1476422779",
		nonce:        "1597212914",
		body:         "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>",
		format:       FormatXML,
		toUserName:   sampleCorp2016,
		agentID:      "1000002",
		random:       "694ce5a83ae07fe3",
		plaintext:    "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>",
	},
	{
		name:         "JSON POST (workweixin)",
		source:       "workweixin/weworkapi_golang json_callback/sample.go, example 2 (WeCom's own GitHub organisation)",
		token:        sampleToken2014,
		aesKey:       sampleAESKey2014,
		receiveID:    sampleCorp2014,
		msgSignature: "0623cbc5a8cbee5bcc137c70de99575366fc2af3",
		timestamp:    "1409659813",
		nonce:        "1372623149",
		body:         `{"tousername":"wx5823bf96d3bd56c7","encrypt":"CZWs4CWRpI4VolQlvn4dlEC1alN2MUEY2VklGehgBVLBrlVF7SyT+SV+Toj43l4ayJ9UMGKphktKKmP7B2j/P1ey67XB8PBgS7Wr5/8+w/yWriZv3Vmoo/MH3/1HsIWZrPQ3N2mJrelStIfI2Y8kLKXA7EhfZgZX4o+ffdkZDM76SEl79Ib9mw7TGjZ9Aw/x/A2VjNbV1E8BtEbRxYYcQippYNw7hr8sFfa3nW1xLdxokt8QkRX83vK3DFP2F6TQFPL2Tu98UwhcUpPvdJBuu1/yiOQIScppV3eOuLWEsko=","agentid":"218"}`,
		format:       FormatJSON,
		toUserName:   sampleCorp2014,
		agentID:      "218",
		random:       "EDH75AiKExevY8L3",
		plaintext:    `{"ToUserName":"wx5823bf96d3bd56c7","FromUserName":"mycreate","CreateTime": 1409659813,"MsgType":"text","Content":"hello","MsgId":4561255354251345929,"AgentID": 218}`,
	},
	{
		name:         "JSON POST of the XML sample (workweixin C++)",
		source:       "workweixin/weworkapi_cplusplus Sample.cpp, example 2: the XML sample's ciphertext in a JSON body",
		token:        sampleToken2014,
		aesKey:       sampleAESKey2014,
		receiveID:    sampleCorp2014,
		msgSignature: "477715d11cdb4164915debcba66cb864d751f3e6",
		timestamp:    "1409659813",
		nonce:        "1372623149",
		body:         `{"tousername":"wx5823bf96d3bd56c7","encrypt":"RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==","agentid":"218"}`,
		format:       FormatJSON,
		toUserName:   sampleCorp2014,
		agentID:      "218",
		random:       "0960688932c47ef1",
		plaintext:    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>",
	},
}

// clockAt is a clock standing offset after a sample's timestamp.
func clockAt(t testing.TB, timestamp string, offset time.Duration) func() time.Time {
	t.Helper()
	seconds, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(seconds, 0).Add(offset)
	return func() time.Time { return at }
}

func (v officialVector) query() Query {
	return Query{MsgSignature: v.msgSignature, Timestamp: v.timestamp, Nonce: v.nonce}
}

func (v officialVector) ciphertext(t testing.TB) string {
	if v.echostr != "" {
		return v.echostr
	}
	env, err := ParseBody([]byte(v.body))
	if err != nil {
		t.Fatal(err)
	}
	return env.Encrypt
}

func TestOfficialVectorsDecrypt(t *testing.T) {
	for _, v := range officialVectors {
		for _, receiveID := range []string{v.receiveID, ""} {
			t.Run(v.name+"/receive id "+strconv.Quote(receiveID), func(t *testing.T) {
				if got := Signature(v.token, v.timestamp, v.nonce, v.ciphertext(t)); got != v.msgSignature {
					t.Fatalf("Signature = %s, published %s", got, v.msgSignature)
				}
				c, err := New(Config{Token: v.token, EncodingAESKey: v.aesKey, ReceiveID: receiveID, Now: clockAt(t, v.timestamp, 30*time.Second)})
				if err != nil {
					t.Fatal(err)
				}
				if v.echostr != "" {
					got, err := c.VerifyURL(context.Background(), v.query(), v.echostr)
					if err != nil {
						t.Fatal(err)
					}
					if string(got) != v.plaintext {
						t.Fatalf("echostr decrypts to %q, want %q", got, v.plaintext)
					}
					return
				}
				msg, err := c.DecryptMsg(context.Background(), v.query(), []byte(v.body))
				if err != nil {
					t.Fatal(err)
				}
				if string(msg.Plaintext) != v.plaintext {
					t.Fatalf("plaintext %q, want %q", msg.Plaintext, v.plaintext)
				}
				if msg.Format != v.format || msg.ToUserName != v.toUserName || msg.AgentID != v.agentID {
					t.Fatalf("envelope %+v, want format %s, ToUserName %s, AgentID %s", msg.Envelope, v.format, v.toUserName, v.agentID)
				}
			})
		}
	}
}

// With the prefix WeCom used, our encryption reproduces every published
// ciphertext byte for byte.
func TestOfficialVectorsEncrypt(t *testing.T) {
	for _, v := range officialVectors {
		t.Run(v.name, func(t *testing.T) {
			c, err := New(Config{Token: v.token, EncodingAESKey: v.aesKey, ReceiveID: v.receiveID, Random: strings.NewReader(v.random)})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Encrypt([]byte(v.plaintext))
			if err != nil {
				t.Fatal(err)
			}
			if want := v.ciphertext(t); got != want {
				t.Fatalf("Encrypt = %s\nwant      %s", got, want)
			}
		})
	}
}

type parsedXMLReply struct {
	Encrypt      string `xml:"Encrypt"`
	MsgSignature string `xml:"MsgSignature"`
	TimeStamp    string `xml:"TimeStamp"`
	Nonce        string `xml:"Nonce"`
}

type parsedJSONReply struct {
	Encrypt      string `json:"encrypt"`
	MsgSignature string `json:"msgsignature"`
	TimeStamp    string `json:"timestamp"`
	Nonce        string `json:"nonce"`
}

// A reply is what the official samples' EncryptMsg produces: the published
// ciphertext (fixed prefix), signed over the given timestamp and nonce, and
// it decrypts again through the callback path.
func TestOfficialVectorsEncryptReply(t *testing.T) {
	for _, v := range officialVectors {
		for _, format := range []Format{FormatXML, FormatJSON} {
			t.Run(v.name+"/"+string(format), func(t *testing.T) {
				c, err := New(Config{Token: v.token, EncodingAESKey: v.aesKey, ReceiveID: v.receiveID,
					Random: strings.NewReader(v.random), Now: clockAt(t, v.timestamp, 0)})
				if err != nil {
					t.Fatal(err)
				}
				reply, err := c.EncryptReply([]byte(v.plaintext), v.timestamp, v.nonce, format)
				if err != nil {
					t.Fatal(err)
				}
				var r parsedXMLReply
				if format == FormatXML {
					err = xml.Unmarshal(reply, &r)
				} else {
					var j parsedJSONReply
					err = json.Unmarshal(reply, &j)
					r = parsedXMLReply(j)
				}
				if err != nil {
					t.Fatalf("reply %s: %v", reply, err)
				}
				want := v.ciphertext(t)
				if r.Encrypt != want || r.TimeStamp != v.timestamp || r.Nonce != v.nonce {
					t.Fatalf("reply %s\nwant Encrypt %s, TimeStamp %s, Nonce %s", reply, want, v.timestamp, v.nonce)
				}
				if r.MsgSignature != Signature(v.token, v.timestamp, v.nonce, want) {
					t.Fatalf("reply signature %s does not sign the reply", r.MsgSignature)
				}
				if v.echostr == "" && r.MsgSignature != v.msgSignature {
					// Same token, timestamp, nonce and ciphertext as the sample request.
					t.Fatalf("reply signature %s, published %s", r.MsgSignature, v.msgSignature)
				}
				// A JSON reply body carries "encrypt" like a JSON callback; an XML
				// reply carries <Encrypt> like an XML callback.
				msg, err := c.DecryptMsg(context.Background(), Query{MsgSignature: r.MsgSignature, Timestamp: r.TimeStamp, Nonce: r.Nonce}, reply)
				if err != nil {
					t.Fatal(err)
				}
				if string(msg.Plaintext) != v.plaintext || msg.Format != format {
					t.Fatalf("round trip gave %q (%s)", msg.Plaintext, msg.Format)
				}
			})
		}
	}
}
