package ledger

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strings"

	"github.com/lvxin/lvxin/internal/tsa"
	"github.com/xuri/excelize/v2"
)

// evidenceListHeader is the header row of 证据目录.xlsx.
// Columns the lawyer typed are marked as the submitter's statements; the
// preservation time is what the firm's own system recorded.
var evidenceListHeader = []any{"序号", "证据名称", "来源（提交人陈述）", "证明目的", "形成时间（提交人陈述）", "保全时间（本所系统记录）", "SHA-256", "SM3", "日志序号"}

// evidenceListXLSX renders the evidence list (证据目录) as a workbook.
func evidenceListXLSX(items []BundleItem) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "证据目录"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	if err := f.SetSheetRow(sheet, "A1", &evidenceListHeader); err != nil {
		return nil, err
	}
	for i, it := range items {
		row := []any{
			i + 1, itemTitle(it), it.Meta.Source, it.Meta.Purpose, it.Meta.FormedAt,
			formatShanghai(it.Entry.AddedAt), it.Entry.SHA256, it.Entry.SM3, fmt.Sprint(it.Entry.Index),
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return nil, err
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return nil, err
		}
	}
	widths := map[string]float64{"A": 6, "B": 28, "C": 16, "D": 30, "E": 14, "F": 24, "G": 66, "H": 66, "I": 10}
	for col, w := range widths {
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return nil, err
		}
	}
	// excelize leaves <dimension ref="A1"/>; readers that trust it (openpyxl
	// in read-only mode, some import tools) would see one cell only.
	last, err := excelize.CoordinatesToCellName(len(evidenceListHeader), len(items)+1)
	if err != nil {
		return nil, err
	}
	if err := f.SetSheetDimension(sheet, "A1:"+last); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func itemTitle(it BundleItem) string {
	if strings.TrimSpace(it.Meta.Title) != "" {
		return it.Meta.Title
	}
	return it.Entry.Name
}

//go:embed bundle_report.html.tmpl
var reportTemplateText string

var reportTemplate = template.Must(template.New("report").Parse(reportTemplateText))

type reportRow struct {
	No                                int
	Title, Source, Purpose, FormedAt  string
	AddedAt, SHA256, SM3, File, Index string
	Size                              int64
}

type reportData struct {
	Origin, Root, CheckpointNote string
	Size                         uint64
	// TimestampTime (the earliest) and Stamps come from the RFC 3161
	// tokens, the only source of a time the package can prove; empty
	// without one.
	TimestampTime, TimestampAuthority string
	HasTimestamp                      bool
	Stamps                            []reportStamp
	Rows                              []reportRow
}

// reportStamp is one authority's timestamp as the report shows it.
type reportStamp struct {
	File, Authority, Time string
}

// bundleReportHTML renders index.html, the human-readable report.
func bundleReportHTML(items []BundleItem, cp Checkpoint, tsr []byte) ([]byte, error) {
	data := reportData{
		Origin: cp.Origin, Size: cp.Size, Root: fmt.Sprintf("%x", cp.Root),
		CheckpointNote: string(cp.Note), HasTimestamp: len(tsr) > 0,
	}
	if data.HasTimestamp {
		stamps, err := tsa.Stamps(tsr, cp.Note)
		if err != nil {
			return nil, fmt.Errorf("%w：时间戳不覆盖本检查点：%w", ErrBadInput, err)
		}
		first := 0
		for i, st := range stamps {
			data.Stamps = append(data.Stamps, reportStamp{File: bundleTSRName(i), Authority: st.Authority, Time: formatShanghai(st.Time)})
			if st.Time.Before(stamps[first].Time) {
				first = i
			}
		}
		data.TimestampTime, data.TimestampAuthority = formatShanghai(stamps[first].Time), stamps[first].Authority
	}
	for i, it := range items {
		data.Rows = append(data.Rows, reportRow{
			No: i + 1, Title: itemTitle(it), Source: it.Meta.Source, Purpose: it.Meta.Purpose,
			FormedAt: it.Meta.FormedAt, AddedAt: formatShanghai(it.Entry.AddedAt),
			SHA256: it.Entry.SHA256, SM3: it.Entry.SM3, File: bundleFileName(it.Entry),
			Index: fmt.Sprint(it.Entry.Index), Size: it.Entry.Size,
		})
	}
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
