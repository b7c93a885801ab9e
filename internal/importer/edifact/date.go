package edifact

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Century says how a two-digit year is completed.
type Century int

const (
	// PastCentury completes to the latest date not after the reference
	// (birth, issue).
	PastCentury Century = iota
	// NearestCentury completes to the year closest to the reference (expiry,
	// flights, bookings).
	NearestCentury
)

// Date reads a DTM (or UNB) value by its length, which agrees with format
// codes 101/102 (dates) and 201/203/204 (date-times) and also serves when the
// code is missing: YYMMDD, CCYYMMDD, YYMMDDHHMM, CCYYMMDDHHMM,
// CCYYMMDDHHMMSS. It returns the date (and time, if given) in UTC.
func Date(v string, c Century, ref time.Time) (t time.Time, hasTime bool, err error) {
	v = strings.TrimSpace(v)
	bad := func() error { return fmt.Errorf("invalid date %q", Printable(v)) }
	if !digits(v) {
		return t, false, bad()
	}
	n := func(s string) int { x, _ := strconv.Atoi(s); return x }
	var p Parts
	switch len(v) {
	case 6, 10:
		p.Year, p.Month, p.Day = n(v[0:2]), n(v[2:4]), n(v[4:6])
		if len(v) == 10 {
			p.Hour, p.Minute, hasTime = n(v[6:8]), n(v[8:10]), true
		}
	case 8, 12, 14:
		p.Year, p.Month, p.Day, p.Full = n(v[0:4]), n(v[4:6]), n(v[6:8]), true
		if len(v) >= 12 {
			p.Hour, p.Minute, hasTime = n(v[8:10]), n(v[10:12]), true
		}
		if len(v) == 14 {
			p.Second = n(v[12:14])
		}
	default:
		return t, false, bad()
	}
	t, ok := p.Time(c, ref)
	if !ok {
		return time.Time{}, false, bad()
	}
	return t, hasTime, nil
}

// Parts are the fields of a date as written. Year has four digits when Full,
// else two, completed by Time.
type Parts struct {
	Year, Month, Day, Hour, Minute, Second int
	Full                                   bool
}

// Time completes the parts into a date, choosing the century of a two-digit
// year by c relative to ref; ok is false for a date that does not exist.
func (p Parts) Time(c Century, ref time.Time) (time.Time, bool) {
	if p.Hour > 23 || p.Minute > 59 || p.Second > 59 || p.Hour < 0 || p.Minute < 0 || p.Second < 0 ||
		p.Month < 1 || p.Month > 12 || p.Day < 1 {
		return time.Time{}, false
	}
	full := p.Full
	year := p.Year
	if !full {
		year = ref.Year()/100*100 + p.Year%100
	}
	mk := func(y int) time.Time {
		return time.Date(y, time.Month(p.Month), p.Day, p.Hour, p.Minute, p.Second, 0, time.UTC)
	}
	t := mk(year)
	if t.Month() != time.Month(p.Month) || t.Day() != p.Day {
		// February 29 may exist in the other century only.
		if !full && p.Month == 2 && p.Day == 29 && c == PastCentury {
			if alt := mk(year - 100); alt.Day() == 29 {
				return alt, true
			}
		}
		return time.Time{}, false
	}
	if full {
		return t, true
	}
	switch c {
	case PastCentury:
		refDay := time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, time.UTC)
		if t.Truncate(24 * time.Hour).After(refDay) {
			t = mk(year - 100)
		}
	case NearestCentury:
		if year-ref.Year() > 50 {
			t = mk(year - 100)
		} else if ref.Year()-year > 50 {
			t = mk(year + 100)
		}
	}
	if t.Day() != p.Day { // Feb 29 moved to a non-leap year
		return time.Time{}, false
	}
	return t, true
}

func digits(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// FormatDate writes a date as YYYY-MM-DD.
func FormatDate(t time.Time) string { return t.Format("2006-01-02") }

// FormatDateTime writes a date as YYYY-MM-DD, with "THH:MM" when it has a
// time.
func FormatDateTime(t time.Time, hasTime bool) string {
	if !hasTime {
		return FormatDate(t)
	}
	return t.Format("2006-01-02T15:04")
}
