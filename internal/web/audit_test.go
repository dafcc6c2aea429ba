package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/thedatashed/xlsxreader"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestAuditPageFiltersPagesAndExports(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDashFirm(t, db)
		admin, zhang := f.client(t, "admin"), f.client(t, "zhang")
		// 60 views of evidence #3 by zhang on 2026-03-02, one on 03-05.
		day := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
		for i := 0; i < 60; i++ {
			if err := db.Audit(ctx, &model.AuditEvent{ActorID: f.users["zhang"], Actor: "zhang", Action: "evidence.view",
				Target: "evidence/3", At: day.Add(time.Duration(i) * time.Minute), Detail: fmt.Sprintf("第 %d 次", i)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Audit(ctx, &model.AuditEvent{ActorID: f.users["wang"], Actor: "wang", Action: "matter.view", Target: "matter/2",
			At: time.Date(2026, 3, 5, 1, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}

		// A lawyer may not read the log.
		if code, _, _ := zhang.get("/audit"); code != http.StatusForbidden {
			t.Fatalf("lawyer on /audit: %d", code)
		}
		if code, _, _ := zhang.get("/audit/export.xlsx"); code != http.StatusForbidden {
			t.Fatalf("lawyer on the export: %d", code)
		}

		q := url.Values{"user": {fmt.Sprint(f.users["zhang"])}, "action": {"evidence.view"}, "from": {"2026-03-02"}, "to": {"2026-03-02"}}
		code, body, _ := admin.get("/audit?" + q.Encode())
		if code != http.StatusOK || strings.Count(body, `data-action="evidence.view"`) != 50 || !strings.Contains(body, "查看证据 #3") {
			t.Fatalf("filtered page: %d, %d rows", code, strings.Count(body, `data-action="evidence.view"`))
		}
		if strings.Contains(body, `data-action="matter.view"`) || strings.Contains(body, `data-action="login.ok"`) {
			t.Fatal("the filter lets other rows through")
		}
		m := regexp.MustCompile(`href="/audit\?([^"]*)" id="audit-next"`).FindStringSubmatch(body)
		if m == nil || !strings.Contains(m[1], "before=") {
			t.Fatalf("no next page link")
		}
		page2 := html.UnescapeString(m[1])
		_, body, _ = admin.get("/audit?" + page2)
		if n := strings.Count(body, `data-action="evidence.view"`); n != 10 || strings.Contains(body, `id="audit-next"`) {
			t.Fatalf("second page: %d rows", n)
		}
		// Dates in Shanghai: 03-05 09:00 there.
		_, body, _ = admin.get("/audit?from=2026-03-05&to=2026-03-05")
		if !strings.Contains(body, "查看案件 #2") || strings.Contains(body, `data-action="evidence.view"`) {
			t.Fatal("date filter")
		}
		// Bad filters name their field and keep the values.
		code, body, _ = admin.get("/audit?from=2026-13-01&to=2026-03-01&action=no.such")
		if code != http.StatusBadRequest || !strings.Contains(body, "起始日期：请填写日期") || !strings.Contains(body, "操作：请从列表中选择") ||
			!strings.Contains(body, `value="2026-13-01"`) {
			t.Fatalf("bad filter: %d\n%s", code, body)
		}

		// The export: the same filters, every row (no paging), read back
		// with another XLSX reader.
		resp, err := admin.http.Get(admin.base + "/audit/export.xlsx?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
		}
		book, err := xlsxreader.NewReader(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if len(book.Sheets) != 1 || book.Sheets[0] != "审计日志" {
			t.Fatalf("sheets: %v", book.Sheets)
		}
		var rows [][]string
		for row := range book.ReadRows(book.Sheets[0]) {
			if row.Error != nil {
				t.Fatal(row.Error)
			}
			var cells []string
			for _, c := range row.Cells {
				cells = append(cells, c.Value)
			}
			rows = append(rows, cells)
		}
		if len(rows) != 61 || rows[0][3] != "操作" || rows[0][5] != "操作说明" {
			t.Fatalf("export has %d rows, header %v", len(rows), rows[0])
		}
		if rows[1][2] != "zhang" || rows[1][3] != "查看证据" || rows[1][4] != "证据 #3" || rows[1][5] != "查看证据 #3" ||
			rows[1][6] != "第 59 次" || rows[1][1] != "2026-03-02 11:59:00" || rows[60][6] != "第 0 次" {
			t.Fatalf("export rows: %v … %v", rows[1], rows[60])
		}
		// The export itself is audited.
		ev, _ := db.FindAudit(ctx, store.AuditFilter{Action: "audit.export", Limit: 1})
		if len(ev) != 1 || ev[0].Actor != "admin" || !strings.Contains(ev[0].Detail, "导出 60 条") {
			t.Fatalf("export not audited: %+v", ev)
		}
	})
}
