package contactio

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
)

const header = "名称,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签"

// sample holds contacts that exercise quoting, tags, formula-like cells and
// empty fields; it is what every round-trip test writes and reads back.
var sample = []model.Contact{
	{Kind: model.ContactPerson, Name: "张三", WeChatID: "zhangsan_88", Phone: "13800138000", Email: "zs@example.com",
		Organization: "北京某某科技有限公司", Tags: []string{"客户", "婚姻家事"}},
	{Kind: model.ContactOrg, Name: "北京某某科技有限公司", Phone: "010-65521234", USCC: "91350100M000100Y43", Tags: []string{"常年顾问"}},
	{Kind: model.ContactPerson, Name: "Smith, John \"JJ\"", Phone: "+86 139 0000 0000", Organization: "A,B \nC"},
	{Kind: model.ContactPerson, Name: "=HYPERLINK(\"http://x\")", WeChatID: "@wx", Tags: []string{"-1", "+1"}},
	{Kind: model.ContactOrg, Name: "某某（北京）律师事务所"},
}

func TestCSVRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, sample); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	if !bytes.HasPrefix(out, bom) {
		t.Error("export has no BOM")
	}
	if !bytes.HasPrefix(out[len(bom):], []byte(header+"\r\n")) {
		t.Errorf("export does not start with the header and CRLF: %q", out[:60])
	}
	if bytes.Contains(out, []byte("\n=HYPERLINK")) || !bytes.Contains(out, []byte("'=HYPERLINK")) {
		t.Error("formula-like cell was not escaped")
	}
	got, err := ReadCSV(bytes.NewReader(out), "export.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sample) {
		t.Fatalf("round trip changed contacts:\n got %+v\nwant %+v", got, sample)
	}
}

func TestReadCSVVariants(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"no BOM, LF", header + "\n张三,个人,,,,,,\n", 1},
		{"BOM, CRLF", "\uFEFF" + header + "\r\n张三,个人,,,,,,\r\n李四,个人,,,,,,\r\n", 2},
		{"header only", header + "\r\n", 0},
		{"blank rows skipped", header + "\n,,,,,,,\n张三,个人,,,,,,\n\n", 1},
		{"spaces around cells", " 名称 ,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签\n 张三 , 个人 ,,,,,, a ; b ;\n", 1},
		{"short row", header + "\n张三,个人\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.in), "in.csv")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Fatalf("got %d contacts, want %d", len(got), tt.want)
			}
			for _, c := range got {
				if c.Name != strings.TrimSpace(c.Name) || c.Name == "" {
					t.Errorf("name %q not trimmed", c.Name)
				}
			}
		})
	}
	got, _ := ReadCSV(strings.NewReader(tests[4].in), "in.csv")
	if !reflect.DeepEqual(got[0].Tags, []string{"a", "b"}) {
		t.Errorf("tags = %q, want [a b]", got[0].Tags)
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr error
		row     int
		mention string
	}{
		{"empty file", "", ErrBadHeader, 1, "表头"},
		{"unknown header", "姓名,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签\n", ErrBadHeader, 1, "应为 名称"},
		{"missing column", "名称,类型,微信号,手机,邮箱,单位,统一社会信用代码\n", ErrBadHeader, 1, "表头"},
		{"bad kind", header + "\n张三,个人\n李四,公司,,,,,,\n", ErrBadKind, 3, "个人"},
		{"empty name", header + "\n,个人,wx,,,,,\n", ErrEmptyName, 2, "名称"},
		{"bad USCC", header + "\n某某公司,机构,,,,,91350100M000100Y44,\n", ErrBadUSCC, 2, "校验码"},
		{"bad phone", header + "\n张三,个人,,12345,,,,\n", ErrBadPhone, 2, "手机"},
		{"bad email", header + "\n张三,个人,,,zs#example.com,,,\n", ErrBadEmail, 2, "邮箱"},
		{"duplicate name", header + "\n张三,个人,,,,,,\n李四,个人,,,,,,\n张三,个人,,,,,,\n", ErrDuplicate, 4, "第2行"},
		{"duplicate USCC", header + "\n甲公司,机构,,,,,91350100M000100Y43,\n乙公司,机构,,,,,91350100M000100Y43,\n", ErrDuplicate, 3, "统一社会信用代码"},
		{"duplicate WeChat", header + "\n张三,个人,wx1,,,,,\n李四,个人,wx1,,,,,\n", ErrDuplicate, 3, "微信号"},
		{"extra column", header + "\n张三,个人,,,,,,,多余\n", ErrBadHeader, 2, "9列"},
		{"GBK bytes", header + "\n\xd5\xc5\xc8\xfd,个人,,,,,,\n", ErrEncoding, 1, "UTF-8"},
		{"too long", header + "\n" + strings.Repeat("长", 501) + ",个人,,,,,,\n", ErrTooLong, 2, "500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tt.in), "客户.csv")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			var re *RowError
			if !errors.As(err, &re) || re.Row != tt.row || re.File != "客户.csv" {
				t.Fatalf("error %#v does not name file 客户.csv row %d", err, tt.row)
			}
			if !strings.Contains(err.Error(), "客户.csv") || !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("message %q does not name the file and %q", err, tt.mention)
			}
		})
	}
}

func TestReadCSVBadQuote(t *testing.T) {
	_, err := ReadCSV(strings.NewReader(header+"\n\"张三,个人\n"), "q.csv")
	if err == nil || !strings.Contains(err.Error(), "CSV 格式错误") {
		t.Fatalf("error = %v, want a CSV format error", err)
	}
}

func TestWriteCSVRejectsUnwritable(t *testing.T) {
	for _, c := range []model.Contact{
		{Kind: model.ContactPerson, Name: "张三", Tags: []string{"a;b"}},
		{Kind: "robot", Name: "张三"},
	} {
		if err := WriteCSV(&bytes.Buffer{}, []model.Contact{c}); err == nil {
			t.Errorf("WriteCSV accepted %+v, which would not read back the same", c)
		}
	}
}

// FuzzReadCSV checks that ReadCSV never panics and that what it accepts
// writes and reads back unchanged.
func FuzzReadCSV(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, sample); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(header + "\n张三,个人,,,,,,\n"))
	f.Add([]byte(header + "\n某某公司,机构,,,,,91350100M000100Y43,a;b\n"))
	f.Add([]byte("\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadCSV(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) && !strings.Contains(err.Error(), "fuzz.csv") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteCSV(&out, got); err != nil {
			t.Fatalf("accepted contacts do not write: %v", err)
		}
		again, err := ReadCSV(&out, "again.csv")
		if err != nil {
			t.Fatalf("written file does not read: %v", err)
		}
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("round trip changed %+v into %+v", got, again)
		}
	})
}
