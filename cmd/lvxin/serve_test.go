package main

import (
	"errors"
	"testing"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"4GiB": 4 << 30, "500MiB": 500 << 20, "1048576": 1 << 20, "8 KB": 8 << 10, "2g": 2 << 30, "1T": 1 << 40} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "GiB", "-1GiB", "0", "4 PB", "1.5GiB", "99999999999TiB"} {
		if _, err := parseSize(in); !errors.Is(err, errBadSize) {
			t.Errorf("parseSize(%q): %v, want errBadSize", in, err)
		}
	}
}
