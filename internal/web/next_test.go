package web

import "testing"

func TestSafeNext(t *testing.T) {
	refused := []string{
		"", "x", "clients", "https://evil.example/", "javascript:alert(1)",
		"//evil.example/", `/\evil.example`, `/\/evil.example`, "/\t/127.0.0.1:8080/x", "/\n/evil.example",
		"/\r/evil.example", "/ /evil.example", "/\u3000/evil.example", "/\u00a0/evil.example", "/\x00", "/\x7f",
		"/\u200b/evil.example", "/\u202e/x", "/a//b", "/clients//", "/\xff", "/%zz",
	}
	for _, next := range refused {
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", next, got)
		}
	}
	kept := []string{"/", "/clients", "/clients?q=%E5%BC%A0&page=2", "/matters/3#notes", "/chats?q=http://x", "/%2F%2Fevil.example", "/客户"}
	for _, next := range kept {
		if got := safeNext(next); got != next {
			t.Errorf("safeNext(%q) = %q, want it kept", next, got)
		}
	}
}
