package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// An upload over serve --max-upload gets the Chinese 413 page in the
// browser; one under it goes through.
func TestUploadLimitInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e, "--max-upload", "1MiB")
			work := t.TempDir()
			small, big := filepath.Join(work, "收据.pdf"), filepath.Join(work, "录像.mp4")
			os.WriteFile(small, []byte("%PDF-1.4 收据"), 0o600)
			os.WriteFile(big, make([]byte, 3<<20), 0o600)
			a := browser(t)
			setupAdmin(t, a, srv)
			login(t, a, srv.URL, "wang", adminPassword)
			run(t, a, "upload over the limit",
				chromedp.Navigate(srv.URL+"/evidence"),
				chromedp.WaitVisible(chromedp.ID("evidence-upload")),
				chromedp.SetUploadFiles(chromedp.ID("file"), []string{big}),
				chromedp.Click(chromedp.ID("upload")),
				chromedp.WaitVisible(chromedp.ID("error")),
			)
			msg := get(t, a, "error", chromedp.Text(chromedp.ID("error")))
			if !strings.Contains(msg, "上传的文件过大：每次上传最多 1 MB") {
				t.Fatalf("413 page: %q", msg)
			}
			screenshot(t, a, "upload-too-large-"+e.Name)
			run(t, a, "upload under the limit",
				chromedp.Navigate(srv.URL+"/evidence"),
				chromedp.WaitVisible(chromedp.ID("evidence-upload")),
				chromedp.SetUploadFiles(chromedp.ID("file"), []string{small}),
				chromedp.Click(chromedp.ID("upload")),
				chromedp.WaitVisible(chromedp.ID("added")),
			)
			if added := get(t, a, "added", chromedp.Text(chromedp.ID("added"))); !strings.Contains(added, "本次已保全 1 个文件") {
				t.Fatalf("upload under the limit: %q", added)
			}
		})
	}
}
