// Command redactbench measures redaction throughput on a large generated
// text against a plain regexp scan for mobile numbers over the same text.
// The two run in alternating pairs (baseline, redaction, baseline, …) so
// that a change of load on the shared machine hits both; it prints every
// pair, the median ratio, its spread and the load average.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"regexp"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lvxin/lvxin/internal/redact"
)

var templates = []string{
	"原告%s诉被告%s民间借贷纠纷一案，已于2023年5月12日立案，联系电话%s。\n",
	"%s先生您好，您的案件材料已收到，我们会在三个工作日内回复。\n",
	"根据《民法典》第五百六十三条，守约方享有法定解除权，%s的请求应予支持。\n",
	"请把判决书寄到广东省深圳市南山区科技园南路18号，收件人%s，电话%s。\n",
	"北京市朝阳区人民法院判决被告支付货款人民币1234567元及逾期利息。\n",
	"今天很高兴，明天是周末，大家好好休息，下周一上午九点开会。\n",
}

var names = []string{"张伟", "王芳", "李建国", "刘晓鹏", "陈静", "欧阳娜娜", "赵子龙", "孙丽华"}

func generate(size int) string {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for b.Len() < size {
		t := templates[r.IntN(len(templates))]
		phone := fmt.Sprintf("13%09d", r.IntN(1e9))
		args := []any{names[r.IntN(len(names))], names[r.IntN(len(names))], phone}
		fmt.Fprintf(&b, t, args[:strings.Count(t, "%s")]...)
	}
	return b.String()
}

func main() {
	mb := flag.Int("mb", 20, "size of the generated text in MB")
	runs := flag.Int("runs", 3, "pairs of timed runs (baseline, redaction); medians count")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the redaction to this file")
	flag.Parse()
	text := generate(*mb << 20)
	size := float64(len(text)) / (1 << 20)

	phone := regexp.MustCompile(`1[3-9]\d{9}`)
	var n int
	redact.Detect("原告张伟先生", redact.Options{}) // load the dictionary outside the timing
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer f.Close()
	}
	var findings []redact.Finding
	var bases, reds, cpus, ratios, loads []float64
	for i := 0; i < max(*runs, 1); i++ {
		start := time.Now()
		n = len(phone.FindAllStringIndex(text, -1))
		base := time.Since(start)
		start, before := time.Now(), cpuTime()
		_, findings = redact.Redact(text, redact.StylePseudonym, redact.Options{})
		red, cpu := time.Since(start), cpuTime()-before
		load := loadAvg()
		bases = append(bases, size/base.Seconds())
		reds = append(reds, size/red.Seconds())
		cpus = append(cpus, size/cpu.Seconds())
		ratios = append(ratios, base.Seconds()/red.Seconds())
		loads = append(loads, load)
		fmt.Printf("pair %d: regexp %.1f MB/s, redact %.2f MB/s (cpu %.2f MB/s), ratio %.4f, load %.2f\n",
			i+1, size/base.Seconds(), size/red.Seconds(), size/cpu.Seconds(), base.Seconds()/red.Seconds(), load)
	}
	pprof.StopCPUProfile()

	fmt.Printf("pairs: %d\n", len(ratios))
	fmt.Printf("text: %.1f MB, phone matches: %d, findings: %d\n", size, n, len(findings))
	fmt.Printf("regexp phone scan: %.1f MB/s\n", median(bases))
	fmt.Printf("redact (pseudonym): %.1f MB/s\n", median(reds))
	// CPU time (user + system, all threads) is less sensitive than wall
	// time to the other processes of a shared machine.
	fmt.Printf("redact cpu: %.1f MB/s\n", median(cpus))
	lo, hi := spread(ratios)
	fmt.Printf("ratio: %.4f (median of pairs; spread %.4f-%.4f)\n", median(ratios), lo, hi)
	lo, hi = spread(loads)
	fmt.Printf("load average (1 min): %.2f-%.2f\n", lo, hi)
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func spread(v []float64) (float64, float64) {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[0], s[len(s)-1]
}

// loadAvg returns the 1-minute load average (0 where /proc is absent).
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}

// cpuTime returns the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		log.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
