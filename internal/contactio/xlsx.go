package contactio

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/xuri/excelize/v2"
)

// SheetName is the worksheet contact XLSX files use.
const SheetName = "通讯录"

// ErrNoSheet means an XLSX file has no 通讯录 worksheet.
var ErrNoSheet = errors.New("缺少工作表")

// xlsxLimits keep a hostile file (a zip bomb) from exhausting memory: a
// client book unpacks to far less than this.
var xlsxLimits = excelize.Options{UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 64 << 20, RawCellValue: true}

// ReadXLSX reads the 通讯录 worksheet of an XLSX file with the same columns
// and the same strict validation as ReadCSV. Cell values are read raw, so a
// phone number typed as a number is not shown in scientific notation.
func ReadXLSX(r io.Reader, name string) (contacts []model.Contact, err error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("读取 %s：%w", name, err)
	}
	if len(data) > maxFileSize {
		return nil, &RowError{File: name, Row: 1, Err: fmt.Errorf("%w：文件超过 %d MB", ErrTooLong, maxFileSize>>20)}
	}
	// excelize parses untrusted zip and XML; a panic inside it must reject
	// the file, not take the server down.
	defer func() {
		if p := recover(); p != nil {
			contacts, err = nil, fmt.Errorf("%s 不是有效的 XLSX 文件（解析失败：%v）", name, p)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), xlsxLimits)
	if err != nil {
		return nil, fmt.Errorf("%s 不是有效的 XLSX 文件：%w", name, err)
	}
	defer f.Close()
	if idx, err := f.GetSheetIndex(SheetName); err != nil || idx < 0 {
		return nil, fmt.Errorf("%s：%w“%s”（现有工作表：%v）", name, ErrNoSheet, SheetName, f.GetSheetList())
	}
	rows, err := f.GetRows(SheetName, xlsxLimits)
	if err != nil {
		return nil, fmt.Errorf("%s 的工作表“%s”无法读取：%w", name, SheetName, err)
	}
	return parseTable(name, rows)
}

// WriteXLSX writes contacts to a one-sheet workbook named 通讯录 with the
// Header row. Every cell is a text cell, so 手机 and 统一社会信用代码 keep
// their exact characters when the file is edited and read back.
func WriteXLSX(w io.Writer, contacts []model.Contact) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // 49 is the built-in "@" (text) format
	if err != nil {
		return err
	}
	if err := f.SetColStyle(SheetName, "A:H", text); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetName, "A", "H", 20); err != nil {
		return err
	}
	if err := f.SetSheetRow(SheetName, "A1", &Header); err != nil {
		return err
	}
	for i, c := range contacts {
		row, err := record(c, false)
		if err != nil {
			return err
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(SheetName, cell, &row); err != nil {
			return err
		}
	}
	// excelize leaves <dimension ref="A1"/>; readers that trust it (openpyxl
	// in read-only mode, some import tools) would see the header cell only.
	last, err := excelize.CoordinatesToCellName(len(Header), len(contacts)+1)
	if err != nil {
		return err
	}
	if err := f.SetSheetDimension(SheetName, "A1:"+last); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
