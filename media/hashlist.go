package media

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"concord"
	"concord/media/pdq"
)

// ListEntry is one hash of a hash list, with the rest of its line.
type ListEntry struct {
	Line  int      `json:"line"`
	Hash  pdq.Hash `json:"hash"`
	Label string   `json:"label,omitempty"`
}

// maxListLine bounds one line of a hash list.
const maxListLine = 64 << 10

// ReadHashList reads a list of PDQ hashes, one a line: the hash in hex
// first, then anything (a quality and a file name, as `concord media hash`
// prints them, or a label) after white space or a comma. Blank lines and
// lines starting with # are skipped. A line that does not start with a
// hash is an error naming the list and the line; nothing is returned then.
func ReadHashList(r io.Reader, name string) ([]ListEntry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxListLine)
	var out []ListEntry
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if line == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		field, rest, _ := strings.Cut(s, " ")
		if i := strings.IndexAny(field, ",\t"); i >= 0 {
			field, rest = s[:i], s[i+1:]
		}
		h, err := pdq.Parse(field)
		if err != nil {
			return nil, concord.Errorf(concord.EINVALID, "%s:%d: %v", name, line, err)
		}
		out = append(out, ListEntry{Line: line, Hash: h, Label: strings.TrimSpace(rest)})
	}
	if err := sc.Err(); err != nil {
		return nil, concord.Errorf(concord.EINVALID, "%s: %v", name, fmt.Errorf("after %d entries: %w", len(out), err))
	}
	return out, nil
}
