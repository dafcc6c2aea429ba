package redact

import (
	"strings"
	"testing"
)

func BenchmarkDetect(b *testing.B) {
	var sb strings.Builder
	for _, s := range loadCorpus(b) {
		sb.WriteString(s.text)
		sb.WriteByte('\n')
	}
	text := strings.Repeat(sb.String(), 20)
	Detect("预热", Options{})
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for range b.N {
		Detect(text, Options{})
	}
}
