package redact

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestParseStyle(t *testing.T) {
	tests := []struct {
		in      string
		want    Style
		wantErr bool
	}{
		{"mask", StyleMask, false},
		{" Pseudonym ", StylePseudonym, false},
		{"remove", StyleRemove, false},
		{"化名", StylePseudonym, false},
		{"blur", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseStyle(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseStyle(%q) = %v, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrUnknownStyle) {
			t.Errorf("ParseStyle(%q) error %v is not ErrUnknownStyle", tt.in, err)
		}
	}
}

func TestRedactStyles(t *testing.T) {
	text := "原告张伟的手机号13812345678，身份证11010519491231002X。"
	tests := []struct {
		style Style
		want  string
	}{
		{StyleMask, "原告张*的手机号138****5678，身份证110***********002X。"},
		{StylePseudonym, "原告张某的手机号【手机号】，身份证【身份证号】。"},
		{StyleRemove, "原告的手机号，身份证。"},
	}
	for _, tt := range tests {
		got, findings := Redact(text, tt.style, Options{})
		if got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.style, got, tt.want)
		}
		if len(findings) != 3 {
			t.Errorf("%v: %d findings, want 3: %+v", tt.style, len(findings), findings)
		}
	}
}

func TestPseudonymConsistency(t *testing.T) {
	text := "原告张伟与被告张强发生争执，张伟要求张强赔偿；证人李娜在场。"
	got, _ := Redact(text, StylePseudonym, Options{})
	want := "原告张某甲与被告张某乙发生争执，张某甲要求张某乙赔偿；证人李某在场。"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestKnownNames(t *testing.T) {
	opts := Options{KnownNames: []KnownName{
		{Name: "诸葛小明"},
		{Name: "明达贸易", Kind: TypeOrg},
		{Name: "小明"}, // overlaps the longer name: the longer one is kept
	}}
	text := "今天诸葛小明来所里，说明达贸易欠款未还。"
	got := Detect(text, opts)
	want := []Finding{
		{Type: TypePerson, Start: strings.Index(text, "诸葛"), End: strings.Index(text, "来"), Text: "诸葛小明", Confidence: 1},
		{Type: TypeOrg, Start: strings.Index(text, "明达"), End: strings.Index(text, "欠"), Text: "明达贸易", Confidence: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("finding %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestKnownMatcherOverlaps(t *testing.T) {
	m := newKnownMatcher([]KnownName{{Name: "he"}, {Name: "she"}, {Name: "his"}, {Name: "hers"}})
	var texts []string
	for _, f := range m.find("ushers", nil) {
		texts = append(texts, f.Text)
	}
	if got := strings.Join(texts, ","); got != "she,he,hers" {
		t.Errorf("matches = %q, want she,he,hers", got)
	}
}

func TestNotPersonalData(t *testing.T) {
	for _, text := range []string{
		"依据《民法典》第五百七十七条，北京市朝阳区人民法院判决被告支付人民币50000元。",
		"上海市公安局浦东分局已于2023年5月1日受理，北京仲裁委员会已立案。",
		"法释〔2020〕16号废止了部分司法解释。",
	} {
		if got := Detect(text, Options{}); len(got) != 0 {
			t.Errorf("Detect(%q) = %+v, want nothing", text, got)
		}
	}
}

func TestStructuredFormats(t *testing.T) {
	tests := []struct {
		text string
		typ  Type
		want string
	}{
		{"电话 138-1234-5678 。", TypeMobile, "138-1234-5678"},
		{"电话+86 13912345678", TypeMobile, "+8613912345678"},
		{"座机（010）87654321转总机", TypeLandline, "（010）87654321"},
		{"卡号6222 0254 3231 9487 575", TypeBankCard, "6222 0254 3231 9487 575"},
		{"旧身份证110105491231002", TypeIDCard, "110105491231002"},
		{"护照号码G12345678", TypePassport, "G12345678"},
		{"车牌鲁B12345挂", TypePlate, "鲁B12345挂"},
		{"（2020）京民终12号", TypeCaseNumber, "（2020）京民终12号"},
	}
	for _, tt := range tests {
		got := Detect(tt.text, Options{})
		if len(got) != 1 || got[0].Type != tt.typ || strings.ReplaceAll(got[0].Text, " ", "") != strings.ReplaceAll(tt.want, " ", "") {
			t.Errorf("Detect(%q) = %+v, want one %s %q", tt.text, got, tt.typ, tt.want)
		}
	}
}

func TestConcurrentDetect(t *testing.T) {
	text := "原告张伟的手机号13812345678，住北京市朝阳区建国路88号。"
	want := len(Detect(text, Options{}))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if got := len(Detect(text, Options{KnownNames: []KnownName{{Name: "张伟"}}})); got != want {
					t.Errorf("concurrent Detect found %d, want %d", got, want)
				}
			}
		}()
	}
	wg.Wait()
}

// FuzzDetect checks that detection never panics, that spans lie inside the
// text on rune boundaries and that Redact returns valid UTF-8.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"原告张伟的手机号13812345678，身份证11010519491231002X。",
		"（2023）京0105民初1234号 京A·D12345 a@b.cn 6222025432319487575",
		"住北京市朝阳区建国路88号院3号楼2单元301室，联系（0755）88887777",
		"\xff张\xfe伟先生", "", "张", "(2023", "@", "京A",
	} {
		f.Add(s, "张伟")
	}
	f.Fuzz(func(t *testing.T, text, known string) {
		opts := Options{KnownNames: []KnownName{{Name: known}}}
		boundary := map[int]bool{len(text): true}
		for i := range text { // ranging decodes runes; invalid bytes count as one
			boundary[i] = true
		}
		for _, fd := range Detect(text, opts) {
			if fd.Start < 0 || fd.End > len(text) || fd.Start >= fd.End {
				t.Fatalf("span %d:%d outside text of %d bytes", fd.Start, fd.End, len(text))
			}
			if !boundary[fd.Start] || !boundary[fd.End] {
				t.Fatalf("span %d:%d not on rune boundaries", fd.Start, fd.End)
			}
			if fd.Text != text[fd.Start:fd.End] {
				t.Fatalf("text %q != span %q", fd.Text, text[fd.Start:fd.End])
			}
		}
		for _, style := range []Style{StyleMask, StylePseudonym, StyleRemove} {
			if out, _ := Redact(text, style, opts); !utf8.ValidString(out) {
				t.Fatalf("Redact(%v) produced invalid UTF-8 %q", style, out)
			}
		}
	})
}
