package pnrgov

import (
	"testing"
	"time"

	"concord/internal/importer/edifact"
)

// dayDate reads DDMMYY (or DDMMCCYY) and HHMM or HHMMSS, and refuses
// what is no date or time.
func TestDayDate(t *testing.T) {
	ref := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ date, hm, want string }{
		{"220226", "", "2026-02-22"},
		{"220226", "0930", "2026-02-22T09:30"},
		{"220226", "093015", "2026-02-22T09:30:15"},
		{"22022026", "2359", "2026-02-22T23:59"},
		{"300226", "", ""}, // no 30 February
		{"220226", "2460", ""},
		{"220226", "930", ""},
		{"2202", "", ""},
	} {
		got, err := dayDate(c.date, c.hm, edifact.NearestCentury, ref)
		if got != c.want || (err != nil) != (c.want == "") {
			t.Errorf("dayDate(%q, %q) = %q, %v; want %q", c.date, c.hm, got, err, c.want)
		}
	}
}
