package inbox_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
)

func TestParseDND(t *testing.T) {
	got, err := inbox.ParseDND("22:00-08:00\n\n 12:00～13:30 \n22:00—08:00")
	if err != nil {
		t.Fatal(err)
	}
	want := []model.DNDWindow{{Start: "22:00", End: "08:00"}, {Start: "12:00", End: "13:30"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseDND = %+v", got)
	}
	for _, c := range []struct{ in, says string }{
		{"22:00", "第 1 行"},
		{"08:00-08:00", "相同"},
		{"\n25:00-08:00", "第 2 行的开始时间"},
		{"22:00-8点", "结束时间"},
		{"24:00-08:00", "开始时间"},
	} {
		_, err := inbox.ParseDND(c.in)
		if !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("ParseDND(%q) = %v, want an error saying %q", c.in, err, c.says)
		}
	}
	windows := []model.DNDWindow{{Start: "22:00", End: "08:00"}, {Start: "12:00", End: "13:30"}}
	for _, c := range []struct {
		h, m int
		in   bool
	}{{23, 0, true}, {7, 59, true}, {8, 0, false}, {12, 30, true}, {13, 30, false}, {21, 59, false}} {
		if got := inbox.InDND(windows, at(2026, 11, 2, c.h, c.m)); got != c.in {
			t.Errorf("InDND %02d:%02d = %v", c.h, c.m, got)
		}
	}
}

func TestKeywordsAndTemplates(t *testing.T) {
	kw, err := inbox.ParseKeywords("紧急、开庭，保全\n查封 拘留 紧急")
	if err != nil || !reflect.DeepEqual(kw, []string{"紧急", "开庭", "保全", "查封", "拘留"}) {
		t.Fatalf("ParseKeywords = %v, %v", kw, err)
	}
	if k := inbox.UrgentKeyword("家属被刑事拘留了", kw); k != "拘留" {
		t.Fatalf("UrgentKeyword = %q", k)
	}
	if k := inbox.UrgentKeyword("谢谢律师", kw); k != "" {
		t.Fatalf("UrgentKeyword = %q", k)
	}
	if _, err := inbox.ParseKeywords(strings.Repeat("长", 21)); err == nil {
		t.Fatal("an over-long keyword was accepted")
	}
	if err := inbox.CheckTemplate("自动回复模板", "请于{下一个工作时段开始}后联系，电话{电话}", inbox.PhNextStart, inbox.PhPhone); err != nil {
		t.Fatal(err)
	}
	err = inbox.CheckTemplate("自动回复模板", "将于{下个工作日}回复", inbox.PhNextStart, inbox.PhPhone)
	if !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "{下个工作日}") {
		t.Fatalf("unknown placeholder: %v", err)
	}
	if got := inbox.Render("{电话}/{电话}/{其他}", map[string]string{"{电话}": "110"}); got != "110/110/{其他}" {
		t.Fatalf("Render = %q", got)
	}
	if got := inbox.StartText(time.Date(2026, 10, 8, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))); got != "2026年10月8日（周四）09:00" {
		t.Fatalf("StartText = %q", got)
	}
}

// The parsers of what users type and clients send never panic, and what
// they accept is well-formed.
func FuzzParseDND(f *testing.F) {
	for _, s := range []string{"22:00-08:00", "12:00～13:30\n22:00—08:00", "", "24:00-01:00", "9:00至18:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ws, err := inbox.ParseDND(s)
		if err != nil {
			if !errors.Is(err, model.ErrInvalidInput) {
				t.Fatalf("error not marked invalid input: %v", err)
			}
			return
		}
		again, err := inbox.ParseDND(inbox.DNDText(ws))
		if err != nil || !reflect.DeepEqual(again, ws) {
			t.Fatalf("round trip of %q: %v %v", s, again, err)
		}
		_ = inbox.InDND(ws, time.Now())
	})
}

func FuzzParseKeywords(f *testing.F) {
	for _, s := range []string{"紧急、开庭", "a,b;c", "", "\x00紧急"} {
		f.Add(s, "法院通知开庭")
	}
	f.Fuzz(func(t *testing.T, list, text string) {
		kw, err := inbox.ParseKeywords(list)
		if err != nil {
			return
		}
		for _, k := range kw {
			if k == "" || !utf8.ValidString(k) {
				t.Fatalf("bad keyword %q", k)
			}
		}
		if k := inbox.UrgentKeyword(text, kw); k != "" && !strings.Contains(strings.ToLower(text), strings.ToLower(k)) {
			t.Fatalf("keyword %q not in %q", k, text)
		}
	})
}

func FuzzCheckTemplate(f *testing.F) {
	for _, s := range []string{inbox.DefaultAutoReply, inbox.DefaultWelcome, inbox.DefaultNotice, "{", "}{电话}{", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := inbox.CheckTemplate("模板", s, inbox.PhNextStart, inbox.PhPhone)
		if err == nil {
			out := inbox.Render(s, map[string]string{inbox.PhNextStart: "X", inbox.PhPhone: "Y"})
			if strings.Contains(out, inbox.PhPhone) || strings.Contains(out, inbox.PhNextStart) {
				t.Fatalf("placeholders left in %q", out)
			}
		}
	})
}

func FuzzCheckGroupName(f *testing.F) {
	for _, s := range []string{"（2024）京0105民初12345号-张三与李四-买卖合同纠纷", "未立案-张三-咨询", "号号号", "(2024)号-", ""} {
		f.Add(s)
	}
	m := sampleMatter()
	f.Fuzz(func(t *testing.T, s string) {
		c := inbox.CheckGroupName(s, m)
		if c.OK == (len(c.Problems) > 0) {
			t.Fatalf("%q: OK %v with problems %v", s, c.OK, c.Problems)
		}
		if !inbox.CheckGroupName(inbox.GroupName(m), m).OK {
			t.Fatal("the generated name breaks the convention")
		}
	})
}
