package ftm

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"sort"
	"time"
	"unicode/utf8"

	"concord"
)

// Write encodes e as one line. It refuses what Read would refuse (unknown
// schema or property, invalid UTF-8), and writes values the way Read stores
// them: empty values and repeats dropped.
func Write(w io.Writer, e *concord.Entity) error {
	if e.ID == "" {
		return concord.Errorf(concord.EINVALID, "ftm: entity has no id")
	}
	s := concord.SchemaByName(e.Schema)
	if s == nil {
		return concord.Errorf(concord.EINVALID, "ftm: entity %s: unknown schema %q", e.ID, e.Schema)
	}
	out := wire{
		ID: e.ID, Schema: e.Schema, Caption: e.Caption(),
		Properties: map[string][]string{},
		Datasets:   appendUnique([]string{}, e.Datasets),
		Referents:  appendUnique([]string{}, e.Refs),
	}
	for prop, values := range e.Properties {
		if !s.HasProp(prop) {
			return concord.Errorf(concord.EINVALID, "ftm: entity %s: schema %s has no property %q", e.ID, e.Schema, prop)
		}
		if vs := appendUnique(nil, values); len(vs) > 0 {
			out.Properties[prop] = vs
		}
	}
	if !e.FirstSeen.IsZero() {
		out.FirstSeen = e.FirstSeen.Format(time.RFC3339Nano)
	}
	if !e.LastSeen.IsZero() {
		out.LastSeen = e.LastSeen.Format(time.RFC3339Nano)
	}
	if err := checkUTF8(&out); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&out); err != nil { // map keys are sorted; Encode ends the line
		return concord.Errorf(concord.EINVALID, "ftm: entity %s: %v", e.ID, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// appendUnique appends the non-empty values of src not already in dst.
func appendUnique(dst, src []string) []string {
	for _, v := range src {
		if v != "" && !slices.Contains(dst, v) {
			dst = append(dst, v)
		}
	}
	return dst
}

func checkUTF8(w *wire) error {
	bad := func(s string) bool { return !utf8.ValidString(s) }
	keys := make([]string, 0, len(w.Properties))
	for k := range w.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if bad(w.ID) || slices.ContainsFunc(w.Datasets, bad) || slices.ContainsFunc(w.Referents, bad) {
		return concord.Errorf(concord.EINVALID, "ftm: entity %q: invalid UTF-8", w.ID)
	}
	for _, k := range keys {
		if slices.ContainsFunc(w.Properties[k], bad) {
			return concord.Errorf(concord.EINVALID, "ftm: entity %s: %s: invalid UTF-8", w.ID, k)
		}
	}
	return nil
}
