package redact

import "testing"

func TestPreloadLoadsTheDictionaryOnce(t *testing.T) {
	if err := Preload(); err != nil {
		t.Fatal(err)
	}
	n := len(tokDist)
	if n == 0 || dict == nil {
		t.Fatal("Preload left the dictionary unloaded")
	}
	if err := Preload(); err != nil || len(tokDist) != n {
		t.Fatalf("a second Preload reloaded: %v, %d tokens then %d", err, n, len(tokDist))
	}
}
