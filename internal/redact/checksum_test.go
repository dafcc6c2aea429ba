package redact

import "testing"

// Published examples: GB 11643-1999 (11010519491231002X, 440524188001010014),
// GB 32100-2015 (91350100M000100Y43) and check-digit test values used by
// hutool's CreditCodeUtilTest and other public validators; Luhn values are
// the Wikipedia example (79927398713) and card-network test numbers.
func TestIDCard18(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"11010519491231002X", true},
		{"11010519491231002x", true},
		{"440524188001010014", true},
		{"110105198503123328", true},
		{"11010519491231002Y", false}, // wrong check character
		{"110105194912310021", false},
		{"440524188001010015", false},
		{"11010519491331002X", false}, // month 13
		{"00010519491231002X", false}, // region 00
		{"1101051949123100", false},
	}
	for _, tt := range tests {
		if got := validIDCard18(tt.in); got != tt.want {
			t.Errorf("validIDCard18(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIDCard15(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"110105491231002", true},
		{"110105491331002", false},
		{"11010549123100X", false},
	}
	for _, tt := range tests {
		if got := validIDCard15(tt.in); got != tt.want {
			t.Errorf("validIDCard15(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestUSCC(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"91350100M000100Y43", true},
		{"91310110666007217T", true},
		{"91230184MA1BUFLT44", true},
		{"92371000MA3MXH0E3W", true},
		{"91350100M000100Y4A", false}, // wrong check character
		{"91350211M00013FA1N", false}, // early pilot code, not GB 32100 conformant
		{"91350100M000100Y4", false},
		{"9135010OM000100Y43", false}, // letter O is not in the alphabet
	}
	for _, tt := range tests {
		if got := validUSCC(tt.in); got != tt.want {
			t.Errorf("validUSCC(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLuhn(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"79927398713", true},
		{"79927398710", false},
		{"4111111111111111", true},
		{"6011111111111117", true},
		{"6222025432319487575", true},
		{"6222025432319487576", false},
		{"1", false},
	}
	for _, tt := range tests {
		if got := luhnValid(tt.in); got != tt.want {
			t.Errorf("luhnValid(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
