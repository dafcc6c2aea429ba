// Command redactbench measures redaction throughput on a large generated
// text against a plain regexp scan for mobile numbers over the same text.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"regexp"
	"runtime/pprof"
	"slices"
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

// labelMark is a label of the corpus files: [[type|value]].
var labelMark = regexp.MustCompile(`\[\[[a-z_]+\|([^\]]*)\]\]`)

// corpusText repeats the posts of a labelled corpus file (the labels
// replaced by their values, comment and header lines dropped) up to size
// bytes: real posts, with their density of names, instead of the
// generated sentences.
func corpusText(path string, size int) (string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var posts strings.Builder
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "===") {
			continue
		}
		posts.WriteString(labelMark.ReplaceAllString(line, "$1"))
		posts.WriteByte('\n')
	}
	if posts.Len() == 0 {
		return "", fmt.Errorf("%s: no posts", path)
	}
	var b strings.Builder
	for b.Len() < size {
		b.WriteString(posts.String())
	}
	return b.String(), nil
}

func main() {
	mb := flag.Int("mb", 20, "size of the generated text in MB")
	corpus := flag.String("corpus", "", "repeat the posts of this labelled corpus file (e.g. internal/redact/testdata/corpus.txt) instead of generating sentences")
	pairs := flag.Int("pairs", 3, "baseline/redaction pairs, alternating (the machine is shared)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the redaction to this file")
	flag.Parse()
	text := generate(*mb << 20)
	if *corpus != "" {
		var err error
		if text, err = corpusText(*corpus, *mb<<20); err != nil {
			log.Fatal(err)
		}
	}
	size := float64(len(text)) / (1 << 20)
	phone := regexp.MustCompile(`1[3-9]\d{9}`)
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
	source := "generated sentences"
	if *corpus != "" {
		source = "posts of " + *corpus
	}
	fmt.Printf("text: %.1f MB (%s); %d pairs; %s\n", size, source, *pairs, loadavg())
	var n int
	var findings []redact.Finding
	var ratios, cpuRates []float64
	for p := 1; p <= max(*pairs, 1); p++ {
		start := time.Now()
		n = len(phone.FindAllStringIndex(text, -1))
		base := time.Since(start)
		before := cpuTime()
		start = time.Now()
		_, findings = redact.Redact(text, redact.StylePseudonym, redact.Options{})
		red := time.Since(start)
		cpu := cpuTime() - before
		ratio := base.Seconds() / red.Seconds()
		ratios = append(ratios, ratio)
		cpuRates = append(cpuRates, size/cpu.Seconds())
		fmt.Printf("pair %d: regexp phone scan %.1f MB/s, redact (pseudonym) %.1f MB/s (cpu %.1f MB/s), ratio %.3f; %s\n",
			p, size/base.Seconds(), size/red.Seconds(), size/cpu.Seconds(), ratio, loadavg())
	}
	pprof.StopCPUProfile()
	fmt.Printf("phone matches: %d, findings: %d\n", n, len(findings))
	slices.Sort(ratios)
	slices.Sort(cpuRates)
	// CPU time (user + system, all threads) is less sensitive than wall
	// time to the other processes of a shared machine.
	fmt.Printf("redact cpu: %.1f MB/s (median)\n", cpuRates[len(cpuRates)/2])
	fmt.Printf("ratio: %.3f (median of %d pairs, spread %.3f–%.3f; phone scan time / redaction time); %s\n",
		ratios[len(ratios)/2], len(ratios), ratios[0], ratios[len(ratios)-1], loadavg())
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load ?"
	}
	return "load " + strings.Join(strings.Fields(string(b))[:3], " ")
}

// cpuTime returns the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		log.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
