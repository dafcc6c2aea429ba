package web

import (
	"net/url"
	"testing"
	"unicode/utf8"
)

// FuzzAuditFilter: whatever query string reaches /audit, the filters
// either parse or name a field in Chinese, never panic, and a parsed date
// range is never inverted.
func FuzzAuditFilter(f *testing.F) {
	for _, seed := range []string{
		"user=3&action=evidence.view&from=2026-03-02&to=2026-03-02",
		"from=2026-13-01&to=2026-03-01&action=no.such",
		"before=18&user=x",
		"to=2026-01-01&from=2026-02-01",
		"action=%E7%99%BB&from=%00",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		_, filter, errs := auditFilter(v)
		for field, msg := range errs {
			if !utf8.ValidString(msg) || msg == "" || field == "" {
				t.Fatalf("error for %q: %q", field, msg)
			}
		}
		if len(errs) == 0 && !filter.From.IsZero() && !filter.To.IsZero() && !filter.From.Before(filter.To) {
			t.Fatalf("inverted range accepted: %v %v", filter.From, filter.To)
		}
	})
}
