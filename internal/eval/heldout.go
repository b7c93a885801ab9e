package eval

import (
	"slices"
	"strings"

	"concord/match"
	"concord/match/normalize"
)

// AliasHeldOutSet: the aliases of every listed person and organisation
// screened against its own list with every record holding only its
// primary name, so that the alias queried is nowhere in the index — the
// real respellings that one list's clerks wrote of one person or body
// (OFAC's a.k.a.s, the UN's aliases), with one right answer each.
//
// Each list is indexed apart (Case.Index "primary:<list>", PrimaryOnly):
// a list does not repeat a person (search.Merge), so an alias has one
// right record in its own list, whereas the other list's record of the
// same person, unmerged or merged by the engine, would hold that very
// alias as its primary name. Every record of the list stays in its index
// (with its identifiers, birth dates and nationalities), matchable or not.
//
// For each matchable record with a Latin primary name (its first Latin
// name, the one kept), every other Latin name is queried with the
// record's schema, but for a UN alias that lists several names ("Javad
// Rahigi; Jawad Rahigi"), whose names the importer also gives one by one. A query is skipped when it normalises — by the
// evaluation's folding or by the engine's canonical parts — to the kept
// name or to a name kept by any record of the list (it would be an exact
// lookup, or another record's name), or when another record of the list
// holds it as an alias too (branches of one charity sharing its name: no
// name matcher can tell which is meant). Notes: person and organisation when
// the alias respells the kept name (respells, orgRespells: a rule of the
// evaluation's own), person-other-name and organisation-other-name when
// it is another name (a kunya, a nickname, a former name, a translation),
// person-weak and organisation-weak for the low-quality aliases. Only the
// respellings make the set's headline; the other names and the weak
// aliases are counted in their notes alone (Case.Control).
func AliasHeldOutSet(recs []match.Record) Set {
	s := Set{Name: "alias-heldout", Index: "primary", Breakdown: true,
		About: "aliases (other Latin names) of listed persons and organisations against their own list, every record holding only its primary name"}
	kept := map[string]map[string]bool{} // list → keys of the names kept
	held := map[string]map[string]int{}  // list → key → the record holding a name of that key, -1 for several
	for i := range recs {
		r := &recs[i]
		l := listOf(r)
		if held[l] == nil {
			kept[l], held[l] = map[string]bool{}, map[string]int{}
		}
		for _, n := range append(slices.Clone(r.Names), r.WeakNames...) {
			for _, k := range nameKeys(n) {
				if j, ok := held[l][k]; ok && j != i {
					held[l][k] = -1
				} else if !ok {
					held[l][k] = i
				}
			}
		}
		if p, ok := primaryLatin(r); ok {
			for _, k := range nameKeys(p) {
				kept[l][k] = true
			}
		}
	}
	generic := genericOrgWords(recs)
	for i := range recs {
		r := &recs[i]
		if !matchable(r) {
			continue
		}
		p, ok := primaryLatin(r)
		if !ok {
			continue
		}
		l := listOf(r)
		pr := &match.Record{Schema: r.Schema, Names: []string{p}}
		seen := map[string]bool{}
		for _, k := range nameKeys(p) {
			seen[k] = true
		}
		try := func(n string, weak bool) {
			if !IsLatin(n) || len(strings.Fields(n)) == 0 || strings.Contains(n, ";") {
				return // a list of names ("A; B; C"): the importer gives each as a name too
			}
			ks := nameKeys(n)
			for _, k := range ks {
				if seen[k] {
					return // the kept name, or an alias queried already
				}
			}
			for _, k := range ks {
				seen[k] = true
			}
			note := "person"
			if r.Schema != "Person" {
				note = "organisation"
			}
			for _, k := range ks {
				if kept[l][k] {
					s.skipped = append(s.skipped, Case{Want: ref(r), Note: note + ": another record's name"})
					return
				}
			}
			for _, k := range ks {
				if held[l][k] < 0 {
					s.skipped = append(s.skipped, Case{Want: ref(r), Note: note + ": another record's alias too"})
					return
				}
			}
			control := false
			switch {
			case weak:
				note += "-weak"
				control = true
			case note == "person" && !respells(n, pr):
				note = "person-other-name"
				control = true
			case note == "organisation" && !orgRespells(n, pr, generic):
				note = "organisation-other-name"
				control = true
			}
			s.Cases = append(s.Cases, Case{Query: match.Query{Name: n, Schema: r.Schema}, Want: ref(r), Note: note, Index: "primary:" + l, Control: control})
		}
		for _, n := range r.Names {
			try(n, false)
		}
		for _, n := range r.WeakNames {
			try(n, true)
		}
	}
	s.countSkipped()
	return s
}

// primaryLatin returns the record's first Latin name.
func primaryLatin(r *match.Record) (string, bool) {
	for _, n := range r.Names {
		if IsLatin(n) && len(strings.Fields(n)) > 0 {
			return n, true
		}
	}
	return "", false
}

// nameKeys returns the forms a name normalises to: the evaluation's
// folding (foldKey) and the engine's canonical parts, sorted.
func nameKeys(n string) []string {
	var ks []string
	if k := foldKey(n); k != "" {
		ks = append(ks, "f:"+k)
	}
	var parts []string
	for _, t := range normalize.Tokens(n) {
		parts = append(parts, t.Text)
	}
	slices.Sort(parts)
	if len(parts) > 0 {
		ks = append(ks, "n:"+strings.Join(parts, " "))
	}
	return ks
}

// PrimaryOnly returns the records of one list (by ref prefix), each with
// its primary Latin name only (its first name when it has no Latin one)
// and no weak names: the index of AliasHeldOutSet.
func PrimaryOnly(recs []match.Record, list string) []match.Record {
	var out []match.Record
	for _, r := range OnlyList(recs, list) {
		if p, ok := primaryLatin(&r); ok {
			r.Names = []string{p}
		} else if len(r.Names) > 0 {
			r.Names = r.Names[:1]
		}
		r.WeakNames = nil
		out = append(out, r)
	}
	return out
}

// Lists returns the lists the records come from (ref prefixes), sorted.
func Lists(recs []match.Record) []string {
	var out []string
	for i := range recs {
		if l := listOf(&recs[i]); l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}
