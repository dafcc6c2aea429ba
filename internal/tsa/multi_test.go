package tsa

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

func TestSeveralAuthorities(t *testing.T) {
	a1, srv1 := newServer(t)
	a2, err := NewTestAuthority()
	if err != nil {
		t.Fatal(err)
	}
	later := fixedTime.Add(30 * time.Second)
	a2.Now = func() time.Time { return later }
	srv2 := httptest.NewServer(a2)
	t.Cleanup(srv2.Close)

	data := []byte("lvxin/test\n5\nBBBB\n")
	packed, err := Authorities{{URL: srv2.URL}, {URL: srv1.URL}}.Timestamp(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := Split(packed)
	if err != nil || len(parts) != 2 {
		t.Fatalf("Split: %d %v", len(parts), err)
	}
	stamps, err := Stamps(packed, data)
	if err != nil || len(stamps) != 2 || !stamps[0].Time.Equal(later) || !stamps[1].Time.Equal(fixedTime) {
		t.Fatalf("Stamps: %+v %v", stamps, err)
	}
	// Each response stands alone, as openssl ts -verify needs.
	for i, p := range parts {
		if _, err := VerifyImprint(p, data); err != nil {
			t.Errorf("response %d alone: %v", i, err)
		}
	}
	both := a1.Roots()
	both.AddCert(a2.CA)
	if when, err := Verify(packed, data, both); err != nil || !when.Equal(fixedTime) {
		t.Errorf("Verify with both roots = %v, %v; want the earliest time", when, err)
	}
	if _, err := Verify(packed, data, a1.Roots()); !errors.Is(err, ErrUntrusted) {
		t.Errorf("Verify with one authority's root only: %v", err)
	}
	if _, err := VerifyImprint(packed, []byte("other data")); !errors.Is(err, ErrMismatch) {
		t.Errorf("VerifyImprint over other data: %v", err)
	}
	if who, err := Signer(packed); err != nil || who != "lvxin test（lvxin test TSA）；lvxin test（lvxin test TSA）" {
		t.Errorf("Signer = %q, %v", who, err)
	}
	single, err := Join(parts[:1])
	if err != nil || !slices.Equal(single, parts[0]) {
		t.Errorf("Join of one response must be that response")
	}
	if _, err := Split([]byte{0x30, 0x03, 0x04, 0x01, 0x00}); !errors.Is(err, ErrResponse) {
		t.Errorf("a container of one is not valid: %v", err)
	}
	// One authority down fails the stamp rather than stamping with fewer.
	if _, err := (Authorities{{URL: srv1.URL}, {URL: "http://127.0.0.1:1/"}}).Timestamp(context.Background(), data); err == nil {
		t.Error("a failing authority was skipped silently")
	}
	if got := ParseURLs(" http://a/tsr, http://b/tsr，http://a/tsr\n"); !slices.Equal(got, []string{"http://a/tsr", "http://b/tsr"}) {
		t.Errorf("ParseURLs = %q", got)
	}
}
