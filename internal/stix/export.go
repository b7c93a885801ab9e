package stix

import (
	"bufio"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"concord"
)

// Author is who said a record: a member, or the publisher of a list.
type Author struct {
	Key   string // "member:fr", "dataset:un"
	Name  string
	Class string // identity_class: organization
}

// Record is an entity with what its export needs from its statements.
type Record struct {
	Entity   *concord.Entity
	Handling concord.TLP // the most restrictive handling of its statements
	Author   Author
	// Added is when the latest of its statements was first seen: the
	// object's modified time and its TAXII date_added (zero: the
	// entity's last seen).
	Added time.Time
}

// publishers names the authors of the published lists.
var publishers = map[string]string{
	"un":   "United Nations Security Council",
	"ofac": "U.S. Department of the Treasury, Office of Foreign Assets Control",
}

// RecordOf builds the record of e from the statements the viewer sees of
// it; memberName names a member.
func RecordOf(e *concord.Entity, stmts []concord.Statement, memberName func(string) string) Record {
	r := Record{Entity: e, Handling: concord.TLPClear}
	for i, s := range stmts {
		r.Handling = stricter(r.Handling, s.Handling)
		if s.FirstSeen.After(r.Added) {
			r.Added = s.FirstSeen
		}
		if i > 0 {
			continue
		}
		if s.ContributedBy != "" {
			r.Author = Author{Key: "member:" + s.ContributedBy, Name: memberName(s.ContributedBy), Class: "organization"}
		} else {
			name := publishers[s.Dataset]
			if name == "" {
				name = s.Dataset
			}
			r.Author = Author{Key: "dataset:" + s.Dataset, Name: name, Class: "organization"}
		}
	}
	if r.Author.Name == "" {
		r.Author.Name = r.Author.Key
	}
	return r
}

var armedGroup = regexp.MustCompile(`(?i)ISIL|Da'?esh|Qa'?ida|Taliban|terror|al-Shabaab|Boko Haram|Jabhat|Tahrir al-Sham`)

// Classify returns the STIX type of an entity's main object: a listed
// person or organisation (a sanctions program or topic) is a threat-actor,
// an organisation its source calls an armed group (a terrorism topic, or a
// program against ISIL, Al-Qaida or the Taliban) an intrusion-set, an
// unlisted one an identity; documents, accounts, wallets and media are
// indicators; links relationships; "" for what STIX has no place for, and
// for a case's records and a minor's, which only the case operations serve
// (with a purpose): no bulk path carries them.
func Classify(e *concord.Entity) string {
	sc := concord.SchemaByName(e.Schema)
	if sc == nil || concord.IsCaseSchema(e.Schema) || concord.IsMinorRecord(e) {
		return ""
	}
	listed := len(e.Properties["program"]) > 0 || len(e.Properties["topics"]) > 0
	switch {
	case sc.Is("Person"):
		if listed {
			return "threat-actor"
		}
		return "identity"
	case sc.Is("LegalEntity"):
		for _, t := range e.Properties["topics"] {
			if strings.HasPrefix(t, "crime.terror") {
				return "intrusion-set"
			}
		}
		for _, p := range e.Properties["program"] {
			if armedGroup.MatchString(p) {
				return "intrusion-set"
			}
		}
		if listed {
			return "threat-actor"
		}
		return "identity"
	case sc.Is("Identification"), sc.Is("BankAccount"), sc.Is("CryptoWallet"), sc.Is("Media"):
		if Pattern(e) == "" {
			return "" // a document without a number: nothing to match
		}
		return "indicator"
	case linkEnds[e.Schema][0] != "":
		return "relationship"
	}
	return ""
}

// linkEnds are the properties of a link's two ends.
var linkEnds = map[string][2]string{
	"Membership": {"member", "organization"}, "Associate": {"person", "associate"},
	"Family": {"person", "relative"}, "Directorship": {"director", "organization"},
	"Ownership": {"owner", "asset"}, "UnknownLink": {"subject", "object"},
	"Payment": {"payer", "beneficiary"},
}

// Objects maps a record to its STIX objects: the main one and, for an
// indicator with a holder, the relationship saying whom it indicates.
// typeOf gives the STIX type of another record ("" when it is not
// exported: then no relationship points to it). None for a record STIX
// has no place for.
func Objects(r Record, typeOf func(id string) string) []Object {
	e := r.Entity
	typ := Classify(e)
	if typ == "" {
		return nil
	}
	modified := r.Added
	if modified.IsZero() {
		modified = e.LastSeen
	}
	if modified.Before(e.FirstSeen) {
		modified = e.FirstSeen
	}
	o := Object{Type: typ, SpecVersion: "2.1", ID: ID(typ, e.ID), Created: Timestamp(e.FirstSeen), Modified: Timestamp(modified),
		CreatedByRef: ID("identity", r.Author.Key), ObjectMarkingRefs: []string{tlp2IDs[r.Handling]},
		ConcordID: e.ID, ConcordSchema: e.Schema, ConcordProperties: e.Properties}
	for _, ref := range e.Refs {
		src, id, ok := strings.Cut(ref, ":")
		if !ok || src == "" || id == "" {
			continue
		}
		o.ExternalReferences = append(o.ExternalReferences, ExternalReference{SourceName: src, ExternalID: id})
	}
	o.Description = strings.Join(slices.Concat(e.Properties["program"], e.Properties["notes"]), "\n")
	var out []Object
	switch typ {
	case "identity", "threat-actor", "intrusion-set":
		o.Name = e.Caption()
		o.Aliases = without(slices.Concat(e.Properties["name"], e.Properties["alias"], e.Properties["previousName"]), o.Name)
		person := concord.SchemaByName(e.Schema).Is("Person")
		switch {
		case typ == "identity" && person:
			o.IdentityClass = "individual"
			o.Aliases = nil // identities have no aliases in STIX: kept in x_concord_properties
		case typ == "identity":
			o.IdentityClass = "organization"
			o.Aliases = nil
		case typ == "threat-actor" && person:
			o.ResourceLevel = "individual"
		case typ == "threat-actor":
			o.ResourceLevel = "organization"
		}
		out = append(out, o)
	case "indicator":
		pattern := Pattern(e)
		if pattern == "" {
			return nil
		}
		o.Name = e.Schema + " " + e.Caption()
		o.Pattern, o.PatternType, o.ValidFrom = pattern, "stix", Timestamp(e.FirstSeen)
		out = append(out, o)
		for _, h := range e.Properties["holder"] {
			if t := typeOf(h); t != "" && t != "relationship" {
				out = append(out, Object{Type: "relationship", SpecVersion: "2.1", ID: ID("relationship", e.ID+"/indicates/"+h),
					Created: o.Created, Modified: o.Modified, CreatedByRef: o.CreatedByRef, ObjectMarkingRefs: o.ObjectMarkingRefs,
					RelationshipType: "indicates", SourceRef: o.ID, TargetRef: ID(t, h), ConcordSource: e.ID, ConcordTarget: h})
			}
		}
	case "relationship":
		ends := linkEnds[e.Schema]
		from, to := e.First(ends[0]), e.First(ends[1])
		ft, tt := typeOf(from), typeOf(to)
		if from == "" || to == "" || ft == "" || tt == "" || ft == "relationship" || tt == "relationship" {
			return nil
		}
		o.RelationshipType = "related-to"
		o.SourceRef, o.TargetRef, o.ConcordSource, o.ConcordTarget = ID(ft, from), ID(tt, to), from, to
		desc := e.Schema
		if rel := slices.Concat(e.Properties["role"], e.Properties["relationship"]); len(rel) > 0 {
			desc += ": " + strings.Join(rel, ", ")
		}
		o.Description = desc
		out = append(out, o)
	}
	return out
}

func without(list []string, drop string) []string {
	var out []string
	for _, s := range list {
		if s != drop && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Writer streams a STIX bundle: the objects of each record, preceded the
// first time by the identity of its author and its TLP marking definition.
type Writer struct {
	w        *bufio.Writer
	n        int
	authors  map[string]bool
	markings map[concord.TLP]bool
	typeOf   func(string) string
	// Skipped counts the records of each schema STIX has no place for.
	Skipped map[string]int
}

// NewWriter starts a bundle with id bundleID ("bundle--...") on w; typeOf
// gives the STIX type of any exported record (see Classify).
func NewWriter(w io.Writer, bundleID string, typeOf func(string) string) *Writer {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(`{"type":"bundle","id":"` + bundleID + `","objects":[`)
	return &Writer{w: bw, authors: map[string]bool{}, markings: map[concord.TLP]bool{}, typeOf: typeOf, Skipped: map[string]int{}}
}

// Write writes a record's objects.
func (w *Writer) Write(r Record) error {
	objs := Objects(r, w.typeOf)
	if len(objs) == 0 {
		w.Skipped[r.Entity.Schema]++
		return nil
	}
	if !w.markings[r.Handling] {
		w.markings[r.Handling] = true
		if err := w.object(MarkingOf(r.Handling)); err != nil {
			return err
		}
	}
	if !w.authors[r.Author.Key] {
		w.authors[r.Author.Key] = true
		if err := w.object(Object{Type: "identity", SpecVersion: "2.1", ID: ID("identity", r.Author.Key),
			Created: "2014-09-01T00:00:00.000Z", Modified: "2014-09-01T00:00:00.000Z", Name: r.Author.Name,
			IdentityClass: r.Author.Class}); err != nil {
			return err
		}
	}
	for i := range objs {
		if err := w.object(objs[i]); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) object(o Object) error {
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	if w.n > 0 {
		w.w.WriteByte(',')
	}
	w.w.WriteByte('\n')
	w.n++
	_, err = w.w.Write(b)
	return err
}

// Count is the number of objects written.
func (w *Writer) Count() int { return w.n }

// Close ends the bundle.
func (w *Writer) Close() error {
	w.w.WriteString("\n]}\n")
	return w.w.Flush()
}
