package contactio

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/emersion/go-vcard"
	"github.com/lvxin/lvxin/internal/model"
)

func TestWriteVCardParses(t *testing.T) {
	contacts := []model.Contact{
		{Kind: model.ContactPerson, Name: "欧阳娜娜", WeChatID: "ouyang_nn", Phone: "13800138000", Email: "nn@example.com",
			Organization: "某某;科技,有限公司", Tags: []string{"客户", "婚姻家事", "a,b"}},
		{Kind: model.ContactOrg, Name: "北京某某科技有限公司", Phone: "010-65521234", USCC: "91350100M000100Y43"},
		{Kind: model.ContactPerson, Name: strings.Repeat("很长的名字", 20), WeChatID: `back\slash`},
	}
	var buf bytes.Buffer
	if err := WriteVCard(&buf, contacts); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	for _, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
		if strings.Contains(line, "\n") {
			t.Errorf("bare LF in %q", line)
		}
		if !strings.ContainsRune(line, '\uFFFD') && !isValidUTF8(line) {
			t.Errorf("folding split a character: %q", line)
		}
	}

	dec := vcard.NewDecoder(strings.NewReader(raw))
	var cards []vcard.Card
	for {
		card, err := dec.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("go-vcard cannot parse our output: %v\n%s", err, raw)
		}
		cards = append(cards, card)
	}
	if len(cards) != 3 {
		t.Fatalf("parsed %d cards, want 3", len(cards))
	}

	p := cards[0]
	if p.Value(vcard.FieldVersion) != "3.0" || p.PreferredValue(vcard.FieldFormattedName) != "欧阳娜娜" {
		t.Errorf("version/FN = %q/%q", p.Value(vcard.FieldVersion), p.PreferredValue(vcard.FieldFormattedName))
	}
	if n := p.Name(); n == nil || n.FamilyName != "欧阳" || n.GivenName != "娜娜" {
		t.Errorf("N = %+v, want 欧阳/娜娜", n)
	}
	tel := p.Get(vcard.FieldTelephone)
	if tel == nil || tel.Value != "13800138000" || !strings.EqualFold(tel.Params.Get(vcard.ParamType), vcard.TypeCell) {
		t.Errorf("TEL = %+v, want CELL 13800138000", tel)
	}
	if p.Value(vcard.FieldEmail) != "nn@example.com" {
		t.Errorf("EMAIL = %q", p.Value(vcard.FieldEmail))
	}
	if got := p.Value(vcard.FieldNote); got != "微信号：ouyang_nn" {
		t.Errorf("NOTE = %q", got)
	}
	// go-vcard splits CATEGORIES on every comma and keeps ORG's structured
	// escapes, so the escaped forms are checked on the raw text.
	if got := p.Categories(); len(got) < 2 || !reflect.DeepEqual(got[:2], []string{"客户", "婚姻家事"}) {
		t.Errorf("CATEGORIES = %q", got)
	}
	if !strings.Contains(raw, "CATEGORIES:客户,婚姻家事,a\\,b\r\n") {
		t.Errorf("tag with a comma not escaped:\n%s", raw)
	}
	if got := p.Value(vcard.FieldOrganization); got != `某某\;科技,有限公司` {
		t.Errorf("ORG = %q, want one component with an escaped semicolon", got)
	}

	o := cards[1]
	if o.Value(vcard.FieldOrganization) != "北京某某科技有限公司" || o.Value("X-ABSHOWAS") != "COMPANY" {
		t.Errorf("org card ORG/X-ABShowAs = %q/%q", o.Value(vcard.FieldOrganization), o.Value("X-ABSHOWAS"))
	}
	if got := o.Value(vcard.FieldNote); got != "统一社会信用代码：91350100M000100Y43" {
		t.Errorf("org NOTE = %q", got)
	}

	long := cards[2]
	if long.PreferredValue(vcard.FieldFormattedName) != strings.Repeat("很长的名字", 20) {
		t.Errorf("folded FN did not unfold to the original")
	}
	if got := long.Value(vcard.FieldNote); got != `微信号：back\slash` {
		t.Errorf("escaped NOTE = %q", got)
	}
}

func isValidUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestSplitName(t *testing.T) {
	for name, want := range map[string][2]string{
		"张三": {"张", "三"}, "欧阳娜娜": {"欧阳", "娜娜"}, "诸葛亮": {"诸葛", "亮"}, "王": {"王", ""},
		"John Smith": {"Smith", "John"}, "Ana": {"Ana", ""}, "欧阳": {"欧", "阳"},
	} {
		if f, g := SplitName(name); f != want[0] || g != want[1] {
			t.Errorf("SplitName(%q) = %q, %q; want %q", name, f, g, want)
		}
	}
}
