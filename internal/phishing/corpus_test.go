package phishing

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// loadURLs reads a labelled URL list: one URL a line, # starts a comment.
func loadURLs(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var urls []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		urls = append(urls, line)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return urls
}

// TestLabelledCorpus scores the hand-labelled lists of testdata and reports
// precision, recall (detection rate) and the false-positive rate; a link
// counts as flagged when its verdict is not safe.
func TestLabelledCorpus(t *testing.T) {
	phish := loadURLs(t, "testdata/phishing.txt")
	genuine := loadURLs(t, "testdata/genuine.txt")
	if len(phish)+len(genuine) < 100 {
		t.Fatalf("the labelled set needs at least 100 URLs, has %d", len(phish)+len(genuine))
	}
	var tp, fn, fp, tn int
	for _, u := range phish {
		if r := Score(u); r.Verdict != Safe {
			tp++
		} else {
			fn++
			t.Logf("missed phishing %s: score %d %v", u, r.Score, r.Reasons)
		}
	}
	for _, u := range genuine {
		if r := Score(u); r.Verdict != Safe {
			fp++
			t.Logf("flagged genuine %s: %s %d %v", u, r.Verdict, r.Score, r.Reasons)
		} else {
			tn++
		}
	}
	precision := float64(tp) / float64(tp+fp)
	recall := float64(tp) / float64(tp+fn)
	fpr := float64(fp) / float64(fp+tn)
	t.Logf("labelled corpus: %d phishing, %d genuine; TP %d FN %d FP %d TN %d", len(phish), len(genuine), tp, fn, fp, tn)
	t.Logf("precision %.4f, recall (detection rate) %.4f, false-positive rate %.4f", precision, recall, fpr)
	if recall < 0.95 {
		t.Errorf("recall %.4f, want at least 0.95", recall)
	}
	if fpr > 0.01 {
		t.Errorf("false-positive rate %.4f, want at most 0.01", fpr)
	}
	if precision < 0.98 {
		t.Errorf("precision %.4f, want at least 0.98", precision)
	}
}
