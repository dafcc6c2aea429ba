// Command phishingbench measures the throughput of the phishing link check
// (internal/phishing: IDNA, public suffix, confusables, lookalikes) against
// parsing the same URLs with net/url alone, in the same process. The two
// sides alternate in pairs (the order flips every pair, so neither always
// runs on a warmer or quieter machine); each side of a pair runs for
// -phase. It prints each pair, the median ratio score-time/parse-time,
// its spread and the load average.
//
//	go run ./bench/phishing [-pairs 5] [-phase 2s]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/phishing"
)

func main() {
	pairs := flag.Int("pairs", 5, "alternating baseline/lvxin pairs (at least 3)")
	phase := flag.Duration("phase", 2*time.Second, "how long each side of a pair runs")
	dir := flag.String("testdata", "internal/phishing/testdata", "folder of the labelled URL lists")
	flag.Parse()
	if *pairs < 3 {
		fmt.Fprintln(os.Stderr, "-pairs 至少为 3")
		os.Exit(2)
	}
	var urls []string
	for _, name := range []string{"phishing.txt", "genuine.txt", "heldout-phishing.txt", "heldout-genuine.txt"} {
		urls = append(urls, load(filepath.Join(*dir, name))...)
	}
	checker, err := phishing.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	parse := func() int {
		ok := 0
		for _, u := range urls {
			s := u
			if !strings.Contains(s, "://") {
				s = "http://" + s
			}
			if _, err := url.Parse(s); err == nil {
				ok++
			}
		}
		return ok
	}
	flagged := 0
	score := func() int {
		flagged = 0
		for _, u := range urls {
			if checker.Score(u).Verdict != phishing.Safe {
				flagged++
			}
		}
		return flagged
	}
	// Warm both sides up (public suffix tables, the IDNA profile).
	parse()
	score()

	fmt.Printf("machine: %s/%s, %d CPUs, %s; %d labelled URLs a round (%d flagged)\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), loadavg(), len(urls), flagged)
	var ratios []float64
	for i := 0; i < *pairs; i++ {
		var parseRate, scoreRate float64
		if i%2 == 0 {
			parseRate = rate(parse, len(urls), *phase)
			scoreRate = rate(score, len(urls), *phase)
		} else {
			scoreRate = rate(score, len(urls), *phase)
			parseRate = rate(parse, len(urls), *phase)
		}
		ratio := parseRate / scoreRate // score time per URL over parse time per URL
		ratios = append(ratios, ratio)
		fmt.Printf("pair %d: parse %.0f URLs/s, score %.0f URLs/s, ratio %.2f, %s\n", i+1, parseRate, scoreRate, ratio, loadavg())
	}
	sort.Float64s(ratios)
	fmt.Printf("score/parse time: median %.2f, spread %.2f–%.2f over %d pairs; %s, %s\n",
		median(ratios), ratios[0], ratios[len(ratios)-1], len(ratios), time.Now().UTC().Format("2006-01-02 15:04 UTC"), loadavg())
	fmt.Printf("ratio: %.2f\n", median(ratios))
}

// rate runs round until d has passed and returns URLs per second.
func rate(round func() int, n int, d time.Duration) float64 {
	start := time.Now()
	rounds := 0
	for time.Since(start) < d {
		round()
		rounds++
	}
	return float64(rounds*n) / time.Since(start).Seconds()
}

func median(sorted []float64) float64 {
	m := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[m]
	}
	return (sorted[m-1] + sorted[m]) / 2
}

func load(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "无法读取 %s：%v（请在仓库根目录运行，或用 -testdata 指定）\n", path, err)
		os.Exit(1)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load ?"
	}
	return "load " + strings.Join(strings.Fields(string(data))[:3], " ")
}
