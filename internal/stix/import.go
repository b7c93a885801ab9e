package stix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"concord"
)

// Imported is one record read from STIX.
type Imported struct {
	Entity    *concord.Entity
	Handling  concord.TLP // from the object's TLP marking; "" when unmarked
	SourceRef string      // its first external reference, else stix:<id>
	Object    string      // the STIX id it came from
}

// Result is what a STIX file holds for Concord.
type Result struct {
	Records []Imported
	Objects int
	// Skipped counts the objects Concord has no place for, by type (and,
	// for indicators, the observable their pattern is on).
	Skipped map[string]int
}

// SkippedSummary lists the skipped objects, "3 malware, 2 report".
func (r *Result) SkippedSummary() string {
	keys := make([]string, 0, len(r.Skipped))
	for k := range r.Skipped {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", r.Skipped[k], k))
	}
	return strings.Join(parts, ", ")
}

// Reader turns objects into records, resolving what needs the whole file
// (markings defined in it, relationships, author identities) at the end;
// it reads several pages (TAXII envelopes) as one file, so that a
// relationship may point to an object of another page.
type Reader struct {
	name     string
	res      *Result
	index    map[string]int // entity id → record
	markings map[string]concord.TLP
	marks    map[int][]string    // record → its marking refs
	holders  map[string][]string // indicator entity → holders
	authors  map[string]bool     // STIX ids used as created_by_ref
	touched  map[string]bool     // entity ids a relationship links
}

// Read reads a STIX 2.1 bundle (or a TAXII envelope, or one bare object)
// from r, a file named name for errors. Objects are decoded one at a time.
func Read(r io.Reader, name string) (*Result, error) {
	rd := NewReader(name)
	if _, err := rd.ReadPage(r); err != nil {
		return nil, err
	}
	return rd.Finish(), nil
}

// NewReader returns a reader of a source named name for errors.
func NewReader(name string) *Reader {
	return &Reader{name: name, res: &Result{Skipped: map[string]int{}}, index: map[string]int{},
		markings: map[string]concord.TLP{}, marks: map[int][]string{}, holders: map[string][]string{},
		authors: map[string]bool{}, touched: map[string]bool{}}
}

// ReadPage reads one bundle, envelope or object, and returns its other
// top-level properties (a TAXII envelope's more and next).
func (rd *Reader) ReadPage(r io.Reader) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return nil, rd.errorf(0, "", "not JSON: %v", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, rd.errorf(0, "", "want a STIX bundle or object (a JSON object)")
	}
	top := map[string]json.RawMessage{}
	bundle := false
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, rd.errorf(0, "", "%v", err)
		}
		key, _ := kt.(string)
		if key != "objects" {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, rd.errorf(0, "", "%s: %v", key, err)
			}
			top[key] = raw
			continue
		}
		bundle = true
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return nil, rd.errorf(0, "", "objects: want an array")
		}
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, rd.errorf(rd.res.Objects+1, "", "%v", err)
			}
			if err := rd.object(rd.res.Objects+1, raw); err != nil {
				return nil, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, rd.errorf(0, "", "objects: %v", err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, rd.errorf(0, "", "cut short: %v", err)
	}
	if bundle {
		// A bundle, or a TAXII envelope (objects, more, next; no type).
		if t, ok := top["type"]; ok && string(t) != `"bundle"` {
			return nil, rd.errorf(0, "", "a file with objects must be a bundle (type %s)", t)
		}
		return top, nil
	}
	raw, _ := json.Marshal(top)
	return nil, rd.object(rd.res.Objects+1, raw)
}

func (rd *Reader) errorf(i int, id, format string, args ...any) error {
	where := rd.name
	if i > 0 {
		where += fmt.Sprintf(": object %d", i)
	}
	if id != "" {
		where += " (" + id + ")"
	}
	return concord.Errorf(concord.EINVALID, "%s: %s", where, fmt.Sprintf(format, args...))
}

// entityID is the record id of a STIX object: its own x_concord_id, or
// stix-<uuid>.
func entityID(stixID, concordID string) string {
	if concordID != "" {
		return concordID
	}
	_, u := uuidOf(stixID)
	return "stix-" + u
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

func (rd *Reader) object(i int, raw json.RawMessage) error {
	rd.res.Objects = i
	var o Object
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&o); err != nil {
		return rd.errorf(i, "", "%v", err)
	}
	typ, u := uuidOf(o.ID)
	switch {
	case o.Type == "":
		return rd.errorf(i, o.ID, "no type")
	case u == "" || typ != o.Type:
		return rd.errorf(i, o.ID, "id %q is not %s--<UUID>", o.ID, o.Type)
	case o.SpecVersion != "" && o.SpecVersion != "2.1" && o.SpecVersion != "2.0":
		return rd.errorf(i, o.ID, "spec_version %q (want 2.1)", o.SpecVersion)
	}
	if o.CreatedByRef != "" {
		rd.authors[o.CreatedByRef] = true
	}
	if o.ConcordSchema != "" {
		if o.Type == "relationship" && o.RelationshipType == "indicates" {
			return rd.relationship(i, &o)
		}
		return rd.concord(i, &o)
	}
	switch o.Type {
	case "marking-definition":
		rd.marking(&o)
		return nil
	case "identity":
		sc := "Organization"
		if o.IdentityClass == "individual" {
			sc = "Person"
		}
		return rd.actor(i, &o, sc)
	case "threat-actor":
		sc := "Organization"
		if o.ResourceLevel == "individual" || slices.Contains(o.ThreatActorTypes, "lone-wolf") {
			sc = "Person"
		}
		return rd.actor(i, &o, sc)
	case "intrusion-set":
		return rd.actor(i, &o, "Organization")
	case "indicator":
		return rd.indicator(i, &o)
	case "relationship":
		return rd.relationship(i, &o)
	}
	rd.res.Skipped[o.Type]++
	return nil
}

// add appends a record for object o.
func (rd *Reader) add(o *Object, e *concord.Entity) {
	e.FirstSeen, e.LastSeen = parseTime(o.Created), parseTime(o.Modified)
	if e.LastSeen.IsZero() {
		e.LastSeen = e.FirstSeen
	}
	ref := "stix:" + o.ID
	for _, x := range o.ExternalReferences {
		if x.SourceName != "" && x.ExternalID != "" {
			ref = x.SourceName + ":" + x.ExternalID
			break
		}
	}
	if j, ok := rd.index[e.ID]; ok { // the same record twice (versions): the later wins
		rd.res.Records[j] = Imported{Entity: e, SourceRef: ref, Object: o.ID}
		rd.marks[j] = o.ObjectMarkingRefs
		return
	}
	rd.index[e.ID] = len(rd.res.Records)
	rd.marks[len(rd.res.Records)] = o.ObjectMarkingRefs
	rd.res.Records = append(rd.res.Records, Imported{Entity: e, SourceRef: ref, Object: o.ID})
}

// concord reads an object Concord wrote, from its own properties.
func (rd *Reader) concord(i int, o *Object) error {
	if concord.SchemaByName(o.ConcordSchema) == nil {
		return rd.errorf(i, o.ID, "x_concord_schema %q is not a Concord schema", o.ConcordSchema)
	}
	if o.ConcordID == "" {
		return rd.errorf(i, o.ID, "x_concord_schema without x_concord_id")
	}
	e := concord.NewEntity(o.ConcordID, o.ConcordSchema)
	for _, p := range sortedKeys(o.ConcordProperties) {
		e.Add(p, o.ConcordProperties[p]...)
	}
	rd.add(o, e)
	return nil
}

func sortedKeys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (rd *Reader) actor(i int, o *Object, schema string) error {
	if strings.TrimSpace(o.Name) == "" {
		return rd.errorf(i, o.ID, "%s without a name", o.Type)
	}
	e := concord.NewEntity(entityID(o.ID, ""), schema)
	e.Add("name", o.Name)
	e.Add("alias", o.Aliases...)
	if o.Description != "" {
		e.Add("notes", o.Description)
	}
	rd.add(o, e)
	return nil
}

func (rd *Reader) indicator(i int, o *Object) error {
	if o.PatternType != "" && o.PatternType != "stix" {
		rd.res.Skipped["indicator ("+o.PatternType+" pattern)"]++
		return nil
	}
	cmp, err := ParsePattern(o.Pattern)
	if err != nil {
		rd.res.Skipped["indicator (pattern not exact)"]++
		return nil
	}
	schema := ""
	props := map[string][]string{}
	for _, c := range cmp {
		sc, prop, ok := fieldOf(c.Path)
		if !ok || (schema != "" && sc != schema) {
			obs, _, _ := strings.Cut(c.Path, ":")
			if !ok {
				rd.res.Skipped["indicator ("+obs+")"]++
			} else {
				rd.res.Skipped["indicator (several kinds of value)"]++
			}
			return nil
		}
		schema = sc
		props[prop] = append(props[prop], c.Value)
	}
	if schema == "Identification" && slices.ContainsFunc(props["type"], func(t string) bool { return strings.EqualFold(t, "passport") }) {
		schema = "Passport"
	}
	e := concord.NewEntity(entityID(o.ID, ""), schema)
	for _, p := range sortedKeys(props) {
		e.Add(p, props[p]...)
	}
	if o.Name != "" {
		e.Add("name", o.Name)
	}
	if o.Description != "" {
		e.Add("notes", o.Description)
	}
	rd.add(o, e)
	return nil
}

// actorTypes are the STIX types that become records a link may join.
var actorTypes = map[string]bool{"identity": true, "threat-actor": true, "intrusion-set": true}

func (rd *Reader) relationship(i int, o *Object) error {
	st, _ := uuidOf(o.SourceRef)
	tt, _ := uuidOf(o.TargetRef)
	if st == "" || tt == "" {
		return rd.errorf(i, o.ID, "source_ref %q or target_ref %q is not a STIX id", o.SourceRef, o.TargetRef)
	}
	from, to := entityID(o.SourceRef, o.ConcordSource), entityID(o.TargetRef, o.ConcordTarget)
	switch {
	case o.RelationshipType == "indicates" && st == "indicator" && actorTypes[tt]:
		rd.holders[from] = append(rd.holders[from], to)
		rd.touched[to] = true
		return nil
	case !actorTypes[st] || !actorTypes[tt]:
		rd.res.Skipped["relationship ("+st+" "+o.RelationshipType+" "+tt+")"]++
		return nil
	}
	e := concord.NewEntity(entityID(o.ID, ""), "UnknownLink")
	e.Add("subject", from)
	e.Add("object", to)
	e.Add("role", o.RelationshipType)
	if o.Description != "" {
		e.Add("notes", o.Description)
	}
	rd.touched[from], rd.touched[to] = true, true
	rd.add(o, e)
	return nil
}

// marking reads a TLP marking definition defined in the file.
func (rd *Reader) marking(o *Object) {
	if t, ok := TLPOf(o.ID); ok {
		rd.markings[o.ID] = t
		return
	}
	if o.DefinitionType == "tlp" {
		if s, ok := o.Definition["tlp"].(string); ok {
			if t, err := concord.ParseTLP(s); err == nil {
				rd.markings[o.ID] = t
			}
		}
	}
	if ext, ok := o.Extensions[tlp2Extension].(map[string]any); ok {
		if s, ok := ext["tlp_2_0"].(string); ok {
			if t, err := concord.ParseTLP(s); err == nil {
				rd.markings[o.ID] = t
			}
		}
	}
}

// Finish resolves markings and holders, drops links whose ends were not
// read and identities that only authored other objects, and returns what
// the pages held.
func (rd *Reader) Finish() *Result {
	var keep []Imported
	for j, r := range rd.res.Records {
		for _, ref := range rd.marks[j] {
			t, ok := rd.markings[ref]
			if !ok {
				t, ok = TLPOf(ref)
			}
			if ok {
				if r.Handling == "" {
					r.Handling = t
				} else {
					r.Handling = stricter(r.Handling, t)
				}
			}
		}
		e := r.Entity
		for _, h := range rd.holders[e.ID] {
			if _, ok := rd.index[h]; ok {
				e.Add("holder", h)
			}
		}
		if e.Schema == "UnknownLink" {
			_, a := rd.index[e.First("subject")]
			_, b := rd.index[e.First("object")]
			if !a || !b {
				rd.res.Skipped["relationship (to an object not imported)"]++
				continue
			}
		}
		if typ, _ := uuidOf(r.Object); typ == "identity" && rd.authors[r.Object] && !rd.touched[e.ID] {
			rd.res.Skipped["identity (author only)"]++
			continue
		}
		keep = append(keep, r)
	}
	rd.res.Records = keep
	return rd.res
}
