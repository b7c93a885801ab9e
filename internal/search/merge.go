package search

import (
	"slices"
	"strings"

	"concord/match"
	"concord/match/normalize"
)

// Merge groups records of different lists that describe the same person or
// organisation, so that a screening hit names every list that holds it (refs
// un:… and ofac:…) once instead of ranking near-identical duplicates.
//
// Two records merge only when they come from different datasets (the prefix
// of their refs), are of compatible schemata, share a full name once
// normalised (same canonical parts in any order, at least two parts) and —
// for persons — also share a birth year or a document number. Records of one
// list are never merged with each other: a list does not repeat a person.
//
// It returns the merged records (the first record of each group, in input
// order, carries the group's id and caption) and, for each merged id, the ids
// of the records merged into it (itself first); single records are absent.
func Merge(recs []match.Record) ([]match.Record, map[string][]string) {
	parent := make([]int, len(recs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	// Each group holds at most one record per list.
	lists := make([]map[string]bool, len(recs))
	for i := range recs {
		lists[i] = map[string]bool{dataset(&recs[i]): true}
	}
	disjoint := func(a, b map[string]bool) bool {
		for k := range a {
			if b[k] {
				return false
			}
		}
		return true
	}
	byKey := map[string][]int{}
	for i := range recs {
		for _, k := range nameKeys(&recs[i]) {
			byKey[k] = append(byKey[k], i)
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic grouping
	for _, k := range keys {
		idx := byKey[k]
		if len(idx) < 2 || len(idx) > 8 { // a name shared by many records is not an identity
			continue
		}
		for a := 0; a < len(idx); a++ {
			for b := a + 1; b < len(idx); b++ {
				i, j := idx[a], idx[b]
				if sameEntity(&recs[i], &recs[j]) {
					ri, rj := find(i), find(j)
					if ri != rj && disjoint(lists[ri], lists[rj]) {
						if rj < ri {
							ri, rj = rj, ri
						}
						parent[rj] = ri
						for k := range lists[rj] {
							lists[ri][k] = true
						}
					}
				}
			}
		}
	}
	groups := map[int][]int{}
	for i := range recs {
		r := find(i)
		groups[r] = append(groups[r], i)
	}
	out := make([]match.Record, 0, len(groups))
	members := map[string][]string{}
	for i := range recs {
		if find(i) != i {
			continue
		}
		g := groups[i]
		if len(g) == 1 {
			out = append(out, recs[i])
			continue
		}
		parts := make([]match.Record, len(g))
		ids := make([]string, len(g))
		for k, j := range g {
			parts[k] = recs[j]
			ids[k] = recs[j].ID
		}
		out = append(out, Combine(parts))
		members[recs[i].ID] = ids
	}
	return out, members
}

// Combine merges records into the first: values are unioned in order.
func Combine(parts []match.Record) match.Record {
	m := parts[0]
	m.Names = slices.Clone(m.Names)
	m.WeakNames = slices.Clone(m.WeakNames)
	m.BirthDates = slices.Clone(m.BirthDates)
	m.Nationalities = slices.Clone(m.Nationalities)
	m.Identifiers = slices.Clone(m.Identifiers)
	m.Refs = slices.Clone(m.Refs)
	for _, p := range parts[1:] {
		m.Names = union(m.Names, p.Names)
		m.WeakNames = union(m.WeakNames, p.WeakNames)
		m.BirthDates = union(m.BirthDates, p.BirthDates)
		m.Nationalities = union(m.Nationalities, p.Nationalities)
		m.Identifiers = union(m.Identifiers, p.Identifiers)
		m.Refs = union(m.Refs, p.Refs)
		if m.Gender == "" {
			m.Gender = p.Gender
		}
	}
	return m
}

func union(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}

// nameKeys returns the canonical, order-free keys of a record's names.
func nameKeys(r *match.Record) []string {
	var keys []string
	for _, n := range r.Names {
		toks := normalize.Tokens(n)
		if len(toks) < 2 {
			continue
		}
		ts := make([]string, len(toks))
		for i, t := range toks {
			ts[i] = t.Text
		}
		slices.Sort(ts)
		k := r.Schema[:1] + ":" + strings.Join(ts, " ")
		if r.Schema != "Person" {
			k = "O:" + strings.Join(ts, " ")
		}
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

func dataset(r *match.Record) string {
	if len(r.Refs) == 0 {
		return ""
	}
	ds, _, _ := strings.Cut(r.Refs[0], ":")
	return ds
}

func sameEntity(a, b *match.Record) bool {
	if dataset(a) == "" || dataset(a) == dataset(b) {
		return false
	}
	if (a.Schema == "Person") != (b.Schema == "Person") {
		return false
	}
	if a.Schema != "Person" {
		return true
	}
	for _, x := range a.Identifiers {
		for _, y := range b.Identifiers {
			if cleanID(x) != "" && cleanID(x) == cleanID(y) {
				return true
			}
		}
	}
	for _, x := range a.BirthDates {
		for _, y := range b.BirthDates {
			if len(x) >= 4 && len(y) >= 4 && x[:4] == y[:4] {
				return true
			}
		}
	}
	return false
}

func cleanID(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			return r
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return -1
	}, s)
}
