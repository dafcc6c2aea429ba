package phishing

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// benchURLs is the whole labelled tuning set, phishing and genuine.
func benchURLs(b *testing.B) []string {
	var urls []string
	for _, f := range []string{"testdata/phishing.txt", "testdata/genuine.txt"} {
		urls = append(urls, loadURLs(b, f)...)
	}
	if len(urls) == 0 {
		b.Fatal("no URLs")
	}
	return urls
}

// BenchmarkScoreVsParse scores the labelled URLs and, in the same run,
// only parses them with net/url; it reports URLs per second of each and
// the ratio score/parse time (how much the rules cost over parsing alone).
func BenchmarkScoreVsParse(b *testing.B) {
	urls := benchURLs(b)
	parse := func() {
		for _, u := range urls {
			s := u
			if !strings.Contains(s, "://") {
				s = "http://" + s
			}
			if _, err := url.Parse(s); err != nil {
				continue
			}
		}
	}
	score := func() {
		for _, u := range urls {
			_ = Score(u)
		}
	}
	var parseTime, scoreTime time.Duration
	for b.Loop() {
		t0 := time.Now()
		parse()
		t1 := time.Now()
		score()
		parseTime += t1.Sub(t0)
		scoreTime += time.Since(t1)
	}
	n := float64(b.N * len(urls))
	b.ReportMetric(n/scoreTime.Seconds(), "scored-urls/s")
	b.ReportMetric(n/parseTime.Seconds(), "parsed-urls/s")
	b.ReportMetric(float64(scoreTime)/float64(parseTime), "ratio")
}
