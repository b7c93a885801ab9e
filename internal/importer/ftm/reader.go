// Package ftm reads and writes FollowTheMoney entities as JSON lines, one
// entity per line, with the field names of OpenSanctions' entity exports:
//
//	{"id":…,"schema":…,"caption":…,"properties":{…},"datasets":[…],"referents":[…],"first_seen":…,"last_seen":…}
//
// Write is deterministic (property keys sorted, values in stored order) and
// Read keeps everything Write emits, so export → import → export is
// byte-identical. The caption is derived from the properties: Write emits it
// for other tools, Read ignores it.
package ftm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"
	"unicode/utf8"

	"concord"
	"concord/internal/importer"
)

// wire is an entity as it appears on a line. Field order is the output order.
type wire struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Caption    string              `json:"caption,omitempty"`
	Properties map[string][]string `json:"properties"`
	Datasets   []string            `json:"datasets"`
	Referents  []string            `json:"referents"`
	FirstSeen  string              `json:"first_seen,omitempty"`
	LastSeen   string              `json:"last_seen,omitempty"`
}

// Read decodes one entity per line of r and calls fn with each. Blank lines
// are skipped. A line that is not valid UTF-8, not a JSON object, names an
// unknown schema or property, or holds a value its property's type refuses
// (concord.CheckValue: NUL and control characters, dates that are none,
// unbounded ids) is an error naming file, line and field; an error from fn
// is returned as it is. Fields other tools add (target, last_change, …)
// are ignored.
func Read(r io.Reader, file string, fn func(*concord.Entity) error) error {
	return eachLine(r, file, func(line int, b []byte) error {
		e, perr := decode(b)
		if perr != nil {
			return importer.LineError(file, line, "%v", perr)
		}
		return fn(e)
	})
}

// eachLine calls fn with every non-blank line of r and its number; a read
// error names file and line.
func eachLine(r io.Reader, file string, fn func(line int, b []byte) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return importer.LineError(file, line, "read: %v", err)
		}
		if len(bytes.TrimSpace(b)) > 0 {
			if ferr := fn(line, b); ferr != nil {
				return ferr
			}
		}
		if err != nil { // io.EOF
			return nil
		}
	}
}

func decode(b []byte) (*concord.Entity, error) {
	if !utf8.Valid(b) {
		return nil, errors.New("invalid UTF-8")
	}
	var w wire
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("not an FtM entity: %v", err)
	}
	if w.ID == "" {
		return nil, errors.New("entity has no id")
	}
	if err := concord.CheckID(w.ID); err != nil {
		return nil, fmt.Errorf("id: %s", concord.ErrorMessage(err))
	}
	s := concord.SchemaByName(w.Schema)
	if s == nil {
		return nil, fmt.Errorf("entity %s: unknown schema %s", w.ID, concord.Quote(w.Schema))
	}
	e := concord.NewEntity(w.ID, w.Schema)
	for _, prop := range slices.Sorted(maps.Keys(w.Properties)) {
		if !s.HasProp(prop) {
			return nil, fmt.Errorf("entity %s: schema %s has no property %s", w.ID, w.Schema, concord.Quote(prop))
		}
		for i, v := range w.Properties[prop] {
			if v == "" {
				continue
			}
			if err := concord.CheckValue(s, prop, v); err != nil {
				return nil, fmt.Errorf("entity %s: properties.%s[%d]: %s", w.ID, prop, i, concord.ErrorMessage(err))
			}
			e.Add(prop, v)
		}
	}
	for _, l := range [...]struct {
		field string
		vs    []string
	}{{"datasets", w.Datasets}, {"referents", w.Referents}} {
		for i, v := range l.vs {
			if err := concord.CheckText(v, concord.MaxIDLen*2, false); err != nil {
				return nil, fmt.Errorf("entity %s: %s[%d]: %s", w.ID, l.field, i, concord.ErrorMessage(err))
			}
		}
	}
	e.Datasets = appendUnique(nil, w.Datasets)
	e.Refs = appendUnique(nil, w.Referents)
	var err error
	if e.FirstSeen, err = parseTime(w.FirstSeen); err != nil {
		return nil, fmt.Errorf("entity %s: first_seen: %v", w.ID, err)
	}
	if e.LastSeen, err = parseTime(w.LastSeen); err != nil {
		return nil, fmt.Errorf("entity %s: last_seen: %v", w.ID, err)
	}
	return e, nil
}

// parseTime reads RFC 3339, or the zone-less form OpenSanctions writes (UTC).
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02T15:04:05", s)
}
