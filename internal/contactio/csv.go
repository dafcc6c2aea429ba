package contactio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/model"
)

// bom is the UTF-8 byte order mark Excel needs to open a CSV file as UTF-8.
var bom = []byte{0xEF, 0xBB, 0xBF}

// maxFileSize bounds an imported file; a client book is far smaller.
const maxFileSize = 32 << 20

// ReadCSV reads a contact CSV file (UTF-8 with or without BOM, LF or CRLF
// line ends) strictly: any bad row fails the whole file with a *RowError
// naming the file (name), the row and the reason. Fully empty rows are
// skipped. The contacts come back in file order with Source left empty.
func ReadCSV(r io.Reader, name string) ([]model.Contact, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("读取 %s：%w", name, err)
	}
	if len(data) > maxFileSize {
		return nil, &RowError{File: name, Row: 1, Err: fmt.Errorf("%w：文件超过 %d MB", ErrTooLong, maxFileSize>>20)}
	}
	data = bytes.TrimPrefix(data, bom)
	if !utf8.Valid(data) {
		return nil, &RowError{File: name, Row: 1, Err: fmt.Errorf("%w（Excel 中请“另存为 CSV UTF-8”）", ErrEncoding)}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // column count is checked per row, with a Chinese message
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &RowError{File: name, Row: len(rows) + 1, Err: fmt.Errorf("CSV 格式错误（第%d行第%d列附近）：%w", pe.Line, pe.Column, pe.Err)}
			}
			return nil, fmt.Errorf("读取 %s：%w", name, err)
		}
		rows = append(rows, rec)
	}
	return parseTable(name, rows)
}

// WriteCSV writes contacts with a BOM, the Header row and CRLF line ends, so
// Excel opens the file correctly and ReadCSV reads back the same contacts.
func WriteCSV(w io.Writer, contacts []model.Contact) error {
	if _, err := w.Write(bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(Header); err != nil {
		return err
	}
	for _, c := range contacts {
		row, err := record(c, true)
		if err != nil {
			return err
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
