package ledger

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/tsa"
	"github.com/xuri/excelize/v2"
)

type bundleFixture struct {
	zip       []byte
	keys      testKeys
	authority *tsa.Authority
	entries   []Entry
}

var bundleFiles = []struct{ name, content string }{
	{"聊天记录截图.png", "\x89PNG fake image bytes"},
	{"../../etc/passwd", "路径穿越的文件名"},
	{"借条 (2024).pdf", strings.Repeat("借款人张三向出借人李四借款人民币十万元整。", 200)},
}

// buildBundle preserves bundleFiles in a fresh log and exports them.
func buildBundle(t testing.TB, withTSA bool) bundleFixture {
	t.Helper()
	ctx := context.Background()
	fx := bundleFixture{keys: newKeys(t)}
	var ts Timestamper
	if withTSA {
		var err error
		if fx.authority, err = tsa.NewTestAuthority(); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(fx.authority)
		t.Cleanup(srv.Close)
		ts = tsa.Client{URL: srv.URL}
	}
	l := openTestLog(t, NewMemStorage(), fx.keys, ts)
	appendN(t, l, 2) // unrelated earlier evidence
	var inputs []EntryInput
	for _, f := range bundleFiles {
		inputs = append(inputs, inputFor(t, f.name, f.content))
	}
	entries, err := l.Append(ctx, inputs)
	if err != nil {
		t.Fatal(err)
	}
	fx.entries = entries
	cp, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var items []BundleItem
	for i, e := range entries {
		p, err := l.Prove(ctx, e.Index, cp)
		if err != nil {
			t.Fatal(err)
		}
		content := bundleFiles[i].content
		items = append(items, BundleItem{
			Entry: e, Proof: p,
			Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(content)), nil },
			Meta: BundleMeta{Source: "当事人提供", Purpose: "证明借款事实", FormedAt: "2024年3月"},
		})
	}
	var chain []byte
	if withTSA {
		chain = fx.authority.ChainPEM()
	}
	var buf bytes.Buffer
	if err := WriteBundle(ctx, &buf, items, cp, fx.keys.vkey, cp.TSR, chain); err != nil {
		t.Fatal(err)
	}
	fx.zip = buf.Bytes()
	return fx
}

func (fx bundleFixture) opts() VerifyOptions {
	o := VerifyOptions{TrustedVKey: fx.keys.vkey}
	if fx.authority != nil {
		o.TSARoots = fx.authority.Roots()
	}
	return o
}

func verifyBytes(t *testing.T, data []byte, opts VerifyOptions) Report {
	t.Helper()
	rep, err := VerifyBundle(bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// rewriteZip copies a ZIP, letting edit change (or, returning nil, drop) members.
func rewriteZip(t *testing.T, data []byte, edit func(name string, body []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if body = edit(f.Name, body); body == nil {
			continue
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func memberNames(t *testing.T, data []byte) []string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names
}

func TestBundleVerifies(t *testing.T) {
	fx := buildBundle(t, true)
	rep := verifyBytes(t, fx.zip, fx.opts())
	if !rep.OK() {
		t.Fatalf("fresh bundle failed:\n%s", rep)
	}
	names := strings.Join(memberNames(t, fx.zip), "\n")
	for _, want := range []string{"files/000002-聊天记录截图.png", "files/000003-passwd", "files/000004-借条_(2024).pdf",
		"SHA256SUMS", "entries/3.json", "proofs/3.tlog-proof", "checkpoint", "log.vkey", "checkpoint.tsr",
		"tsa-chain.pem", "证据目录.xlsx", "index.html"} {
		if !strings.Contains(names, want) {
			t.Errorf("bundle lacks %s; has:\n%s", want, names)
		}
	}
	// Without options the bundle's own key and chain are used, and it still passes.
	if rep := verifyBytes(t, fx.zip, VerifyOptions{}); !rep.OK() {
		t.Errorf("self-contained verification failed:\n%s", rep)
	}
}

func TestBundleTampering(t *testing.T) {
	fx := buildBundle(t, true)
	flipBase64Line := func(body []byte, line int) []byte {
		lines := strings.Split(string(body), "\n")
		raw, err := base64.StdEncoding.DecodeString(lines[line])
		if err != nil {
			t.Fatalf("line %d of %q is not base64", line, body)
		}
		raw[0] ^= 1
		lines[line] = base64.StdEncoding.EncodeToString(raw)
		return []byte(strings.Join(lines, "\n"))
	}
	tests := []struct {
		name      string
		edit      func(name string, body []byte) []byte
		opts      func(VerifyOptions) VerifyOptions
		wantCheck Check
		wantIndex int64
	}{
		{name: "file byte", edit: func(n string, b []byte) []byte {
			if strings.HasPrefix(n, "files/000003-") {
				b[0] ^= 1
			}
			return b
		}, wantCheck: CheckFile, wantIndex: 3},
		{name: "file removed", edit: func(n string, b []byte) []byte {
			if strings.HasPrefix(n, "files/000004-") {
				return nil
			}
			return b
		}, wantCheck: CheckFile, wantIndex: 4},
		{name: "entry", edit: func(n string, b []byte) []byte {
			if n == "entries/2.json" {
				return bytes.Replace(b, []byte("聊天记录"), []byte("微信记录"), 1)
			}
			return b
		}, wantCheck: CheckProof, wantIndex: 2},
		{name: "proof hash", edit: func(n string, b []byte) []byte {
			if n == "proofs/4.tlog-proof" {
				return flipBase64Line(b, 2)
			}
			return b
		}, wantCheck: CheckProof, wantIndex: 4},
		{name: "checkpoint size", edit: func(n string, b []byte) []byte {
			if n == "checkpoint" {
				return bytes.Replace(b, []byte("\n5\n"), []byte("\n6\n"), 1)
			}
			return b
		}, wantCheck: CheckSignature, wantIndex: -1},
		{name: "signature", edit: func(n string, b []byte) []byte {
			if n == "checkpoint" {
				i := bytes.LastIndexByte(b[:len(b)-1], ' ')
				b[i+8] ^= 1 // a base64 character inside the signature
			}
			return b
		}, wantCheck: CheckSignature, wantIndex: -1},
		{name: "timestamp", edit: func(n string, b []byte) []byte {
			if n == "checkpoint.tsr" {
				b[len(b)-5] ^= 1
			}
			return b
		}, wantCheck: CheckTimestamp, wantIndex: -1},
		{name: "timestamp removed", edit: func(n string, b []byte) []byte {
			if n == "checkpoint.tsr" {
				return nil
			}
			return b
		}, wantCheck: CheckTimestamp, wantIndex: -1},
		{name: "SHA256SUMS", edit: func(n string, b []byte) []byte {
			if n == "SHA256SUMS" {
				b[0] ^= 1
				if b[0] > 'f' || (b[0] < 'a' && b[0] > '9') || b[0] < '0' {
					b[0] = 'a' + (b[0]+1)%6
				}
			}
			return b
		}, wantCheck: CheckSums, wantIndex: 2},
		{name: "foreign log key", edit: func(n string, b []byte) []byte { return b },
			opts:      func(o VerifyOptions) VerifyOptions { o.TrustedVKey = newKeys(t).vkey; return o },
			wantCheck: CheckKey, wantIndex: -1},
		{name: "untrusted TSA", edit: func(n string, b []byte) []byte { return b },
			opts: func(o VerifyOptions) VerifyOptions {
				other, _ := tsa.NewTestAuthority()
				o.TSARoots = other.Roots()
				return o
			},
			wantCheck: CheckTimestamp, wantIndex: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := fx.opts()
			if tt.opts != nil {
				opts = tt.opts(opts)
			}
			rep := verifyBytes(t, rewriteZip(t, fx.zip, tt.edit), opts)
			if rep.OK() {
				t.Fatalf("tampering not detected:\n%s", rep)
			}
			found := false
			for _, f := range rep.Failures() {
				if f.Check == tt.wantCheck && f.Index == tt.wantIndex && f.Reason != "" {
					found = true
				}
			}
			if !found {
				t.Errorf("want a %s failure for index %d, got:\n%s", tt.wantCheck, tt.wantIndex, rep)
			}
		})
	}
}

func TestBundleWithoutTSA(t *testing.T) {
	fx := buildBundle(t, false)
	for _, name := range memberNames(t, fx.zip) {
		if name == "checkpoint.tsr" || name == "tsa-chain.pem" {
			t.Errorf("bundle without TSA has %s", name)
		}
	}
	rep := verifyBytes(t, fx.zip, fx.opts())
	if !rep.OK() || !strings.Contains(rep.String(), "不含可信时间戳") {
		t.Errorf("bundle without TSA:\n%s", rep)
	}
	authority, _ := tsa.NewTestAuthority()
	if rep := verifyBytes(t, fx.zip, VerifyOptions{TSARoots: authority.Roots()}); rep.OK() {
		t.Error("missing timestamp accepted although TSA roots were required")
	}
}

func TestBundleReadableParts(t *testing.T) {
	fx := buildBundle(t, true)
	zr, _ := zip.NewReader(bytes.NewReader(fx.zip), int64(len(fx.zip)))
	read := func(name string) []byte {
		rc, err := zr.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, _ := io.ReadAll(rc)
		return b
	}
	x, err := excelize.OpenReader(bytes.NewReader(read("证据目录.xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("证据目录")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != "序号,证据名称,来源（提交人陈述）,证明目的,形成时间（提交人陈述）,保全时间（本所系统记录）,SHA-256,SM3,日志序号" {
		t.Fatalf("rows = %q", rows)
	}
	if rows[1][1] != "聊天记录截图.png" || rows[1][6] != fx.entries[0].SHA256 || rows[1][7] != fx.entries[0].SM3 || rows[1][8] != "2" {
		t.Errorf("first row = %q", rows[1])
	}
	html := string(read("index.html"))
	for _, want := range []string{"sha256sum -c SHA256SUMS", "openssl ts -verify -data checkpoint -in checkpoint.tsr -CAfile tsa-chain.pem",
		"不是区块链存证", "存证平台", fx.entries[2].SM3, "北京时间"} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}

func bundleMember(t *testing.T, zipData []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return string(b)
}

// TestReportClaimsOnlyWhatItProves checks the wording of index.html and of
// the verify summary with and without a trusted timestamp.
func TestReportClaimsOnlyWhatItProves(t *testing.T) {
	between := func(html, from, to string) string {
		_, rest, _ := strings.Cut(html, from)
		part, _, _ := strings.Cut(rest, to)
		return part
	}
	for _, withTSA := range []bool{true, false} {
		fx := buildBundle(t, withTSA)
		html := bundleMember(t, fx.zip, "index.html")
		proves := between(html, `id="proves"`, `id="limits"`)
		limits := between(html, `id="limits"`, "</div>")
		for _, never := range []string{"保全发生的时间（不晚于检查点", "能够证明这些文件自保全之时起未被改动"} {
			if strings.Contains(html, never) {
				t.Errorf("tsa=%v: index.html still claims %q", withTSA, never)
			}
		}
		for _, want := range []string{"来源（提交人陈述）", "形成时间（提交人陈述）", "保全时间（本所系统记录）", "中立第三方平台", "第十六条", "存证平台"} {
			if !strings.Contains(html, want) {
				t.Errorf("tsa=%v: index.html lacks %q", withTSA, want)
			}
		}
		if !strings.Contains(limits, "不是区块链存证或公证") {
			t.Errorf("tsa=%v: limits do not deny being blockchain attestation: %s", withTSA, limits)
		}
		summary := verifyBytes(t, fx.zip, VerifyOptions{TrustedVKey: fx.keys.vkey}).String()
		if withTSA {
			if !strings.Contains(proves, "不晚于") || !strings.Contains(proves, "lvxin test（lvxin test TSA）") || !strings.Contains(html, "北京时间") {
				t.Errorf("with a timestamp the report must give its time and whose it is: %s", proves)
			}
			if !strings.Contains(summary, "结论：全部校验通过（含可信时间戳）") || strings.Contains(summary, "警告") {
				t.Errorf("summary with a timestamp:\n%s", summary)
			}
			continue
		}
		if strings.Contains(proves, "不晚于") || strings.Contains(proves, "时间") {
			t.Errorf("without a timestamp the report claims a time: %s", proves)
		}
		for _, want := range []string{"保全发生的时间", "重新签署", "不能证明任何时间"} {
			if !strings.Contains(limits, want) {
				t.Errorf("without a timestamp the limits lack %q: %s", want, limits)
			}
		}
		if strings.Contains(summary, "全部校验通过") || !strings.Contains(summary, "结论：校验通过（无可信时间戳）") ||
			!strings.Contains(summary, "警告\tcheckpoint.tsr") {
			t.Errorf("summary without a timestamp:\n%s", summary)
		}
	}
}

func TestWriteBundleRefusesChangedFile(t *testing.T) {
	ctx := context.Background()
	keys := newKeys(t)
	l := openTestLog(t, NewMemStorage(), keys, nil)
	entries, _ := l.Append(ctx, []EntryInput{inputFor(t, "a.txt", "original")})
	cp, _ := l.Checkpoint(ctx)
	p, _ := l.Prove(ctx, 0, cp)
	item := BundleItem{Entry: entries[0], Proof: p,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("changed!")), nil }}
	if err := WriteBundle(ctx, io.Discard, []BundleItem{item}, cp, keys.vkey, nil, nil); !errors.Is(err, ErrFileChanged) {
		t.Errorf("changed file: %v", err)
	}
	item.Proof.Index = 1
	if err := WriteBundle(ctx, io.Discard, []BundleItem{item}, cp, keys.vkey, nil, nil); !errors.Is(err, ErrBadInput) {
		t.Errorf("wrong proof: %v", err)
	}
}

func TestVerifyBundleRejectsUnsafeZips(t *testing.T) {
	mk := func(names ...string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range names {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: n})
			w.Write([]byte("x"))
		}
		zw.Close()
		return buf.Bytes()
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"not a zip", []byte("PK nothing")},
		{"dot dot", mk("files/../../evil")},
		{"absolute", mk("/etc/passwd")},
		{"backslash", mk("files\\..\\evil")},
		{"duplicate", mk("checkpoint", "checkpoint")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := VerifyBundle(bytes.NewReader(tt.data), int64(len(tt.data)), VerifyOptions{}); !errors.Is(err, ErrBadBundle) {
				t.Errorf("error = %v, want ErrBadBundle", err)
			}
		})
	}
}

// requireTool returns a tool's path; it skips when the tool is missing,
// except under CI=true where that fails the test.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}

// TestBundleStandardTools unpacks a bundle and runs the manual checks that
// index.html documents, with the real sha256sum and openssl.
func TestBundleStandardTools(t *testing.T) {
	sha256sum := requireTool(t, "sha256sum")
	openssl := requireTool(t, "openssl")
	fx := buildBundle(t, true)
	dir := t.TempDir()
	zr, _ := zip.NewReader(bytes.NewReader(fx.zip), int64(len(fx.zip)))
	for _, f := range zr.File {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(path), 0o755)
		rc, _ := f.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(name string, args ...string) string {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	if out := run(sha256sum, "-c", "SHA256SUMS"); strings.Count(out, ": OK") != len(bundleFiles) {
		t.Errorf("sha256sum -c:\n%s", out)
	}
	if out := run(openssl, "ts", "-verify", "-data", "checkpoint", "-in", "checkpoint.tsr", "-CAfile", "tsa-chain.pem"); !strings.Contains(out, "Verification: OK") {
		t.Errorf("openssl ts -verify:\n%s", out)
	}
	// A changed file makes sha256sum fail.
	os.WriteFile(filepath.Join(dir, "files", "000003-passwd"), []byte("changed"), 0o644)
	cmd := exec.Command(sha256sum, "-c", "SHA256SUMS")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("sha256sum accepted a changed file:\n%s", out)
	}
}

func FuzzVerifyBundle(f *testing.F) {
	fx := buildBundle(f, false)
	f.Add(fx.zip)
	var small bytes.Buffer
	zw := zip.NewWriter(&small)
	for _, n := range []string{"checkpoint", "log.vkey", "SHA256SUMS", "entries/0.json", "proofs/0.tlog-proof", "files/000000-a", "../x"} {
		w, _ := zw.Create(n)
		w.Write([]byte(n))
	}
	zw.Close()
	f.Add(small.Bytes())
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := VerifyBundle(bytes.NewReader(data), int64(len(data)), VerifyOptions{TrustedVKey: fx.keys.vkey, MaxTotalBytes: 1 << 20})
		if err != nil || !rep.OK() {
			return
		}
		// A passing bundle must carry a checkpoint really signed by the trusted key.
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("passing bundle is not a ZIP: %v", err)
		}
		rc, err := zr.Open("checkpoint")
		if err != nil {
			t.Fatalf("passing bundle has no checkpoint: %v", err)
		}
		cp, _ := io.ReadAll(rc)
		rc.Close()
		if _, err := OpenCheckpoint(cp, fx.keys.verifier); err != nil {
			t.Fatalf("bundle passed with a checkpoint the key did not sign: %v\n%s", err, rep)
		}
	})
}

// TestBundleWithSeveralAuthorities stamps each checkpoint with two TSAs:
// the bundle carries both responses (one file each), verify checks both and
// the report names both.
func TestBundleWithSeveralAuthorities(t *testing.T) {
	ctx := context.Background()
	keys := newKeys(t)
	var authorities []*tsa.Authority
	var clients tsa.Authorities
	for range 2 {
		a, err := tsa.NewTestAuthority()
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a)
		t.Cleanup(srv.Close)
		authorities = append(authorities, a)
		clients = append(clients, tsa.Client{URL: srv.URL})
	}
	l := openTestLog(t, NewMemStorage(), keys, clients)
	entries, err := l.Append(ctx, []EntryInput{inputFor(t, bundleFiles[0].name, bundleFiles[0].content)})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if parts, err := tsa.Split(cp.TSR); err != nil || len(parts) != 2 {
		t.Fatalf("checkpoint carries %d timestamps: %v", len(parts), err)
	}
	p, err := l.Prove(ctx, entries[0].Index, cp)
	if err != nil {
		t.Fatal(err)
	}
	content := bundleFiles[0].content
	items := []BundleItem{{Entry: entries[0], Proof: p,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(content)), nil }}}
	chain := append(authorities[0].ChainPEM(), authorities[1].ChainPEM()...)
	var buf bytes.Buffer
	if err := WriteBundle(ctx, &buf, items, cp, keys.vkey, cp.TSR, chain); err != nil {
		t.Fatal(err)
	}
	names := memberNames(t, buf.Bytes())
	for _, want := range []string{"checkpoint.tsr", "checkpoint-2.tsr"} {
		if !slices.Contains(names, want) {
			t.Errorf("bundle lacks %s: %v", want, names)
		}
	}
	rep := verifyBytes(t, buf.Bytes(), VerifyOptions{TrustedVKey: keys.vkey})
	stamped := 0
	for _, f := range rep.Findings {
		if f.Check == CheckTimestamp && f.OK && !f.Warning {
			stamped++
		}
	}
	if !rep.OK() || stamped != 2 || !strings.Contains(rep.String(), "全部校验通过（含可信时间戳）") {
		t.Errorf("verify with two authorities (%d stamps):\n%s", stamped, rep)
	}
	// Trusting one authority's root only fails the other's timestamp.
	if rep := verifyBytes(t, buf.Bytes(), VerifyOptions{TrustedVKey: keys.vkey, TSARoots: authorities[0].Roots()}); rep.OK() {
		t.Errorf("a timestamp from an untrusted authority passed:\n%s", rep)
	}
	html := bundleMember(t, buf.Bytes(), "index.html")
	for _, want := range []string{"-in checkpoint.tsr", "-in checkpoint-2.tsr"} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if strings.Count(html, "由 <strong>lvxin test（lvxin test TSA）</strong> 签发") != 2 {
		t.Errorf("index.html should name both authorities")
	}
	// The log's own verification accepts the packed timestamps too.
	if rep, err := l.Verify(ctx, 0); err != nil || !rep.OK() {
		t.Errorf("log verify: %v\n%s", err, rep)
	}
}
