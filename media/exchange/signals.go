package exchange

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"concord"
)

// readSignals reads python-threatexchange's signal files: "TYPE VALUE" a
// line; a bare 64-digit hash is a PDQ hash. Blank and # lines are skipped.
func readSignals(r io.Reader, name string, l *List) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if line == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		typ, value, ok := strings.Cut(s, " ")
		if !ok {
			typ, value = TypePDQ, s
		}
		t, v, err := normalize(typ, value)
		if err != nil {
			return concord.Errorf(concord.EINVALID, "%s:%d: %v", name, line, err)
		}
		l.Records = append(l.Records, Record{Type: t, Value: v, Quality: -1})
	}
	if err := sc.Err(); err != nil {
		return concord.Errorf(concord.EINVALID, "%s: after %d signals: %v", name, len(l.Records), err)
	}
	return nil
}

func writeSignals(w io.Writer, recs []Record) error {
	bw := bufio.NewWriter(w)
	for _, r := range recs {
		fmt.Fprintf(bw, "%s %s\n", r.Type, r.Value)
	}
	return bw.Flush()
}
