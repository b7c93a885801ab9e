package score

// Date is a possibly partial date; zero fields are unknown.
type Date struct {
	Y    uint16
	M, D uint8
}

// ParseDate parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (also with '/' or '.'
// separators). ok is false for anything else.
func ParseDate(s string) (Date, bool) {
	var d Date
	if len(s) < 4 {
		return d, false
	}
	y, ok := digits(s[:4])
	if !ok || y < 1000 {
		return d, false
	}
	d.Y = uint16(y)
	if len(s) == 4 {
		return d, true
	}
	if len(s) < 7 || !isSep(s[4]) {
		return d, false
	}
	m, ok := digits(s[5:7])
	if !ok || m > 12 {
		return d, false
	}
	d.M = uint8(m)
	if len(s) == 7 {
		return d, true
	}
	if len(s) != 10 || !isSep(s[7]) {
		return d, false
	}
	dd, ok := digits(s[8:10])
	if !ok || dd > 31 {
		return d, false
	}
	d.D = uint8(dd)
	return d, true
}

func isSep(c byte) bool { return c == '-' || c == '/' || c == '.' }

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Date comparison outcomes, best first. The score of each is in DateScore.
const (
	DateNone     = iota // nothing to compare
	DateExact           // same full date
	DatePartial         // agree on every field both sides know (e.g. year only)
	DateSwapped         // same year, month and day swapped
	DateSameYear        // same year, month or day differ
	DateNearYear        // one year apart
	DateConflict        // disagree
)

// DateScore maps an outcome to a feature score in [-1,1].
var DateScore = [...]float64{0, 1, 0.5, 0.4, 0.1, -0.2, -1}

// CompareDates returns the best outcome of q against any of rs and the index
// of the record date that gave it (-1 for DateNone).
func CompareDates(q Date, rs []Date) (outcome, idx int) {
	if q.Y == 0 || len(rs) == 0 {
		return DateNone, -1
	}
	outcome, idx = DateConflict, 0
	for i, r := range rs {
		o := compareDate(q, r)
		if o < outcome {
			outcome, idx = o, i
		}
	}
	return outcome, idx
}

func compareDate(q, r Date) int {
	if q.Y != r.Y {
		if q.Y+1 == r.Y || r.Y+1 == q.Y {
			return DateNearYear
		}
		return DateConflict
	}
	if q.M == 0 || r.M == 0 {
		return DatePartial
	}
	if q.M == r.M {
		if q.D == 0 || r.D == 0 {
			return DatePartial
		}
		if q.D == r.D {
			return DateExact
		}
		return DateSameYear
	}
	if q.D != 0 && r.D != 0 && q.M == r.D && q.D == r.M {
		return DateSwapped
	}
	return DateSameYear
}

// NormID reduces a document number to upper-case letters and digits.
func NormID(s string) string {
	var buf [64]byte
	b := buf[:0]
	for i := 0; i < len(s) && len(b) < 64; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b = append(b, c)
		case c >= 'a' && c <= 'z':
			b = append(b, c-32)
		}
	}
	return string(b)
}

// CompareIDs compares normalised document numbers: 1 for equal, 0.7 for
// one transcription error (one edit, or O/0, I/1 confusions) when both
// have at least 6 characters, else 0.
func CompareIDs(q, r string) float64 {
	if len(q) < 4 || len(r) < 4 {
		return 0
	}
	if q == r {
		return 1
	}
	if len(q) >= 6 && len(r) >= 6 && (EditDistance1(q, r) || confusable(q, r)) {
		return 0.7
	}
	return 0
}

func confusable(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && fold(a[i]) != fold(b[i]) {
			return false
		}
	}
	return true
}

func fold(c byte) byte {
	switch c {
	case 'O', 'Q', 'D':
		return '0'
	case 'I', 'L':
		return '1'
	case 'S':
		return '5'
	case 'B':
		return '8'
	case 'Z':
		return '2'
	}
	return c
}
