package e2e

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// openpyxl runs a Python snippet with Debian's python3 and its openpyxl, the
// spreadsheet reader many firms' scripts use, as an independent check of
// what Excel will see.
func openpyxl(t *testing.T, script string, args ...string) string {
	t.Helper()
	python := "/usr/bin/python3"
	check := exec.Command(python, "-c", "import openpyxl")
	if err := check.Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3-openpyxl missing under CI=true: %v", err)
		}
		t.Skip("python3-openpyxl not installed")
	}
	out, err := exec.Command(python, append([]string{"-c", script}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

const dumpSheet = `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb[sys.argv[2]] if len(sys.argv) > 2 else wb.active
for row in ws.iter_rows(values_only=True):
    print("|".join("" if v is None else str(v) for v in row))
`

// TestExportsOpenInOtherTools opens lvxin's spreadsheets with openpyxl and
// its CSV with Python's csv module (with the BOM Excel needs).
func TestExportsOpenInOtherTools(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if _, errOut, code := runCLI(t, "", "--data", data, "demo"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "通讯录.xlsx")
	if _, errOut, code := runCLI(t, "", "--data", data, "clients", "export", "--format", "xlsx", "-o", xlsx); code != 0 {
		t.Fatalf("export xlsx: %s", errOut)
	}
	rows := strings.Split(openpyxl(t, dumpSheet, xlsx, "通讯录"), "\n")
	if rows[0] != "名称|类型|微信号|手机|邮箱|单位|统一社会信用代码|标签" || len(rows) < 3 {
		t.Fatalf("xlsx as openpyxl reads it:\n%s", strings.Join(rows, "\n"))
	}
	csvPath := filepath.Join(dir, "通讯录.csv")
	if _, errOut, code := runCLI(t, "", "--data", data, "clients", "export", "--format", "csv", "-o", csvPath); code != 0 {
		t.Fatalf("export csv: %s", errOut)
	}
	raw, _ := os.ReadFile(csvPath)
	if !strings.HasPrefix(string(raw), "\ufeff") {
		t.Fatal("CSV lacks the UTF-8 BOM Excel needs to show Chinese")
	}
	csvRows := openpyxl(t, `
import sys, csv
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    print(sum(1 for _ in csv.reader(f)))
`, csvPath)
	if csvRows != strconv.Itoa(len(rows)) {
		t.Fatalf("csv has %s rows, xlsx %d", csvRows, len(rows))
	}

	// The evidence list in a bundle: digests as sha256sum computes them.
	file := filepath.Join(dir, "借条.txt")
	os.WriteFile(file, []byte("今借到王某人民币伍万元整，2026年3月1日前归还。"), 0o600)
	if _, errOut, code := runCLI(t, "", "--data", data, "evidence", "add", file, "--title", "借条", "--source", "委托人王某提供"); code != 0 {
		t.Fatalf("evidence add: %s", errOut)
	}
	bundle := filepath.Join(dir, "bundle.zip")
	if _, errOut, code := runCLI(t, "", "--data", data, "evidence", "export", "--out", bundle); code != 0 {
		t.Fatalf("evidence export: %s", errOut)
	}
	zr, err := zip.OpenReader(bundle)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	list := filepath.Join(dir, "证据目录.xlsx")
	for _, f := range zr.File {
		if f.Name == "证据目录.xlsx" {
			rc, _ := f.Open()
			out, _ := os.Create(list)
			if _, err := out.ReadFrom(rc); err != nil {
				t.Fatal(err)
			}
			out.Close()
			rc.Close()
		}
	}
	sheet := strings.Split(openpyxl(t, dumpSheet, list), "\n")
	sum := sha256.Sum256([]byte("今借到王某人民币伍万元整，2026年3月1日前归还。"))
	joined := strings.Join(sheet, "\n")
	if !strings.Contains(sheet[0], "序号") || !strings.Contains(sheet[0], "SHA-256") || !strings.Contains(sheet[0], "日志序号") ||
		!strings.Contains(joined, "借条") || !strings.Contains(joined, hex.EncodeToString(sum[:])) {
		t.Fatalf("证据目录.xlsx as openpyxl reads it:\n%s", joined)
	}
}
