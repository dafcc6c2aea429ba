package e2e

import (
	"encoding/pem"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/tsa"
)

// TestEvidenceSeveralTSAs configures two time-stamping authorities: each
// checkpoint is stamped by both, the bundle carries both responses, openssl
// verifies each and lvxin verify reports both.
func TestEvidenceSeveralTSAs(t *testing.T) {
	requireEvidenceTool(t, "openssl")
	var urls []string
	var chain, roots []byte
	for range 2 {
		a, err := tsa.NewTestAuthority()
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a)
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
		chain = append(chain, a.ChainPEM()...)
		roots = append(roots, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.CA.Raw})...)
	}
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			work := t.TempDir()
			dataDir := filepath.Join(e.DataDir, "data")
			chainFile, rootFile, file := filepath.Join(work, "chain.pem"), filepath.Join(work, "roots.pem"), filepath.Join(work, "借条.txt")
			os.WriteFile(chainFile, chain, 0o600)
			os.WriteFile(rootFile, roots, 0o600)
			os.WriteFile(file, []byte("今借到人民币壹万元整"), 0o600)
			both := strings.Join(urls, ",")
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "add", "--json", "--tsa-url", both, "--tsa-chain", chainFile, file)...); code != 0 {
				t.Fatalf("evidence add: %d %s", code, errOut)
			}
			bundle := filepath.Join(work, "bundle.zip")
			if out, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "export", "--out", bundle, "--tsa-url", both)...); code != 0 {
				t.Fatalf("export: %d %s %s", code, out, errOut)
			}
			names, members := readZip(t, bundle)
			dir := filepath.Join(work, "unzipped")
			unzipTo(t, names, members, dir)
			for _, tsr := range []string{"checkpoint.tsr", "checkpoint-2.tsr"} {
				cmd := exec.Command("openssl", "ts", "-verify", "-data", "checkpoint", "-in", tsr, "-CAfile", "tsa-chain.pem")
				cmd.Dir = dir
				if b, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(b), "Verification: OK") {
					t.Fatalf("openssl ts -verify %s: %v\n%s", tsr, err, b)
				}
			}
			out, errOut, code := runCLI(t, "", "verify", bundle, "--tsa-roots", rootFile)
			if code != 0 || strings.Count(out, "时间戳覆盖本检查点") != 2 || !strings.Contains(out, "checkpoint-2.tsr") ||
				!strings.Contains(out, "结论：全部校验通过（含可信时间戳）") {
				t.Fatalf("verify: %d\n%s%s", code, out, errOut)
			}
			if html := string(members["index.html"]); !strings.Contains(html, "-in checkpoint-2.tsr") {
				t.Error("index.html does not explain how to check the second timestamp")
			}
		})
	}
}
