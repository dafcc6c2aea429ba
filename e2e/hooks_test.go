package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/calendar"
)

// ownClockAndCalendar gives every lvxin the test starts (server and CLI)
// the test's clock, starting at now, and as holiday data the embedded years
// up to last only (lvxin's LVXIN_TEST_CLOCK and LVXIN_TEST_HOLIDAYS), so
// that the test holds on any date and whatever years the binary embeds.
func ownClockAndCalendar(t *testing.T, now time.Time, last int) {
	t.Helper()
	dir := t.TempDir()
	for _, y := range calendar.EmbeddedYears() {
		if y.Year > last {
			continue
		}
		var b bytes.Buffer
		if err := calendar.WriteHolidayCN(&b, y); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(y.Year)+".json"), b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, strconv.Itoa(last)+".json")); err != nil {
		t.Fatalf("the embedded data lacks %d", last)
	}
	t.Setenv("LVXIN_TEST_CLOCK", now.Format(time.RFC3339))
	t.Setenv("LVXIN_TEST_HOLIDAYS", dir)
}
