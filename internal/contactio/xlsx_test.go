package contactio

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/xuri/excelize/v2"
)

func TestXLSXRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, sample); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{SheetName}) {
		t.Errorf("sheets = %v, want [通讯录]", got)
	}
	if v, _ := f.GetCellValue(SheetName, "A5"); v != "=HYPERLINK(\"http://x\")" {
		t.Errorf("A5 = %q: XLSX text cells need no formula escaping", v)
	}
	if formula, _ := f.GetCellFormula(SheetName, "A5"); formula != "" {
		t.Errorf("A5 became a formula %q", formula)
	}
	f.Close()
	got, err := ReadXLSX(bytes.NewReader(buf.Bytes()), "export.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sample) {
		t.Fatalf("round trip changed contacts:\n got %+v\nwant %+v", got, sample)
	}
}

// buildXLSX makes a workbook with one sheet holding rows, phone numbers typed
// as numbers as a person editing in Excel would.
func buildXLSX(t testing.TB, sheet string, rows [][]any) []byte {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func headerRow() []any {
	row := make([]any, len(Header))
	for i, h := range Header {
		row[i] = h
	}
	return row
}

func TestReadXLSXNumericPhone(t *testing.T) {
	data := buildXLSX(t, SheetName, [][]any{headerRow(), {"张三", "个人", "", 13800138000, "", "", "", "客户"}})
	got, err := ReadXLSX(bytes.NewReader(data), "手填.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Contact{{Kind: model.ContactPerson, Name: "张三", Phone: "13800138000", Tags: []string{"客户"}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestReadXLSXErrors(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		wantErr error
		mention string
	}{
		{"wrong sheet", buildXLSX(t, "Sheet1", [][]any{headerRow()}), ErrNoSheet, "通讯录"},
		{"bad header", buildXLSX(t, SheetName, [][]any{{"姓名", "类型"}}), ErrBadHeader, "第1行"},
		{"bad USCC", buildXLSX(t, SheetName, [][]any{headerRow(), {"某某公司", "机构", "", "", "", "", "91350100M000100Y44", ""}}), ErrBadUSCC, "第2行"},
		{"duplicate", buildXLSX(t, SheetName, [][]any{headerRow(), {"张三", "个人"}, {"张三", "个人"}}), ErrDuplicate, "第3行"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadXLSX(bytes.NewReader(tt.data), "客户.xlsx")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), "客户.xlsx") || !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("message %q does not name the file and %q", err, tt.mention)
			}
		})
	}
	if _, err := ReadXLSX(strings.NewReader("not a zip"), "x.xlsx"); err == nil || !strings.Contains(err.Error(), "不是有效的 XLSX") {
		t.Errorf("garbage: error = %v", err)
	}
}

// FuzzReadXLSX feeds mutated workbooks to the XLSX reader: it must return an
// error or contacts that pass validation, never panic or hang.
func FuzzReadXLSX(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, sample[:2]); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buildXLSX(f, SheetName, [][]any{headerRow(), {"张三", "个人", "", 13800138000}}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadXLSX(bytes.NewReader(data), "fuzz.xlsx")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.xlsx") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, c := range got {
			if c.Name == "" || !c.Kind.Valid() {
				t.Fatalf("accepted invalid contact %+v", c)
			}
			if c.USCC != "" && ValidUSCC(c.USCC) != nil {
				t.Fatalf("accepted invalid USCC %q", c.USCC)
			}
		}
	})
}
