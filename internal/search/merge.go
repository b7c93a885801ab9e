package search

import (
	"cmp"
	"slices"
	"strconv"
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
// for persons — also share a birth year or a document number, or, when one
// of them has no birth date, the shared name has three parts or more (or
// they share two names) and their nationalities do not conflict. Records of one
// list are never merged with each other: a list does not repeat a person.
//
// A second pass asks the engine: each record of the smaller lists is
// screened against the largest list, and linked to a record whose name
// matches with a score of at least linkScore and whose birth date or
// document number agrees (organisations: a near-exact full name and a clear
// lead over the next candidate). This catches the same person spelt
// differently by two lists (HUWAISH / HUWAYSH).
//
// It returns the merged records (the first record of each group, in input
// order, carries the group's id and caption) and, for each merged id, the ids
// of the records merged into it (itself first); single records are absent.
func Merge(recs []match.Record) ([]match.Record, map[string][]string) {
	out, members, _ := merge(recs, false)
	return out, members
}

// mergeInPlace is Merge writing the merged records over recs (which it
// consumes: its first len(merged) records are the merged ones, the rest
// are left as they were), so that a million records are not held twice.
// It also returns each record merged with another, by id, as it was.
func mergeInPlace(recs []match.Record) ([]match.Record, map[string][]string, map[string]match.Record) {
	return merge(recs, true)
}

// merge is Merge, in place or not. The merged records can be written over
// recs: a group's first record is its lowest index and the output keeps
// input order, so a record is written at a place no later group reads.
func merge(recs []match.Record, inPlace bool) ([]match.Record, map[string][]string, map[string]match.Record) {
	parent := make([]int, len(recs))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	// Each group holds at most one record per list: the lists of a group
	// are kept from its first union on (a record alone is of its own
	// list), so that a million records do not make a million maps.
	lists := map[int]map[string]bool{}
	listsOf := func(root int) map[string]bool {
		if l, ok := lists[root]; ok {
			return l
		}
		return map[string]bool{dataset(&recs[root]): true}
	}
	disjoint := func(a, b map[string]bool) bool {
		for k := range a {
			if b[k] {
				return false
			}
		}
		return true
	}
	union := func(i, j int) bool {
		ri, rj := find(i), find(j)
		if ri == rj {
			return false
		}
		li, lj := listsOf(ri), listsOf(rj)
		if !disjoint(li, lj) {
			return false
		}
		if rj < ri {
			ri, rj, li, lj = rj, ri, lj, li
		}
		parent[rj] = ri
		for k := range lj {
			li[k] = true
		}
		lists[ri] = li
		delete(lists, rj)
		return true
	}
	// The records of each name key, keys in order (deterministic grouping)
	// and records in input order: a sorted list of (key, record) rather
	// than a map of lists, a third of the memory for a million records.
	type keyed struct {
		key string
		rec int32
	}
	var byKey []keyed
	for i := range recs {
		for _, k := range nameKeys(&recs[i]) {
			byKey = append(byKey, keyed{k, int32(i)})
		}
	}
	slices.SortFunc(byKey, func(a, b keyed) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.rec, b.rec)
	})
	// For each pair sharing a name: how many names, and the longest.
	type pair struct{ i, j int }
	type shared struct{ names, parts int }
	pairs := map[pair]shared{}
	var order []pair
	var idx []int
	for start := 0; start < len(byKey); {
		k := byKey[start].key
		end := start + 1
		for end < len(byKey) && byKey[end].key == k {
			end++
		}
		run := byKey[start:end]
		start = end
		if len(run) < 2 || len(run) > 8 { // a name shared by many records is not an identity
			continue
		}
		idx = idx[:0]
		for _, x := range run {
			idx = append(idx, int(x.rec))
		}
		parts := strings.Count(k, " ") + 1
		for a := 0; a < len(idx); a++ {
			for b := a + 1; b < len(idx); b++ {
				p := pair{idx[a], idx[b]}
				sh, seen := pairs[p]
				if !seen {
					order = append(order, p)
				}
				sh.names++
				sh.parts = max(sh.parts, parts)
				pairs[p] = sh
			}
		}
	}
	for _, p := range order {
		sh := pairs[p]
		if sameEntity(&recs[p.i], &recs[p.j], sh.parts, sh.names) {
			union(p.i, p.j)
		}
	}
	byKey, pairs, order = nil, nil, nil
	link(recs, find, union)
	// The groups of more than one record, each in input order (its root,
	// the first, leads).
	groups := map[int][]int{}
	roots := 0
	for i := range recs {
		r := find(i)
		if r == i {
			roots++
			continue
		}
		if groups[r] == nil {
			groups[r] = []int{r}
		}
		groups[r] = append(groups[r], i)
	}
	var out []match.Record
	var byID map[string]match.Record
	if inPlace {
		out, byID = recs[:0], map[string]match.Record{}
	} else {
		out = make([]match.Record, 0, roots)
	}
	members := map[string][]string{}
	for i := range recs {
		if find(i) != i {
			continue
		}
		g := groups[i]
		if len(g) == 0 {
			out = append(out, recs[i])
			continue
		}
		parts := make([]match.Record, len(g))
		ids := make([]string, len(g))
		for k, j := range g {
			parts[k] = recs[j]
			ids[k] = recs[j].ID
			if byID != nil {
				byID[recs[j].ID] = recs[j]
			}
		}
		members[recs[i].ID] = ids
		out = append(out, match.Combine(parts))
	}
	return out, members, byID
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

// sameEntity decides for two records sharing names canonical full names,
// the longest of parts parts.
func sameEntity(a, b *match.Record, parts, names int) bool {
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
	if len(a.BirthDates) > 0 && len(b.BirthDates) > 0 {
		return false // both dated, no year in common
	}
	// No date to compare: a full name of three parts or more, or two names
	// in common, and no conflicting nationality.
	if parts < 3 && names < 2 {
		return false
	}
	if len(a.Nationalities) > 0 && len(b.Nationalities) > 0 {
		for _, x := range a.Nationalities {
			if slices.Contains(b.Nationalities, x) {
				return true
			}
		}
		return false
	}
	return true
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

// linkScore is the least score, name and qualifiers together, at which the
// engine's opinion links two list records.
const linkScore = 0.9

// link screens the records of every list but the largest against an index
// of the largest and unions what the engine says is the same entity.
func link(recs []match.Record, find func(int) int, union func(i, j int) bool) {
	size := map[string]int{}
	for i := range recs {
		size[dataset(&recs[i])]++
	}
	largest := ""
	for ds, n := range size {
		if n > size[largest] || (n == size[largest] && ds < largest) {
			largest = ds
		}
	}
	if largest == "" || len(size) < 2 {
		return
	}
	var big []match.Record
	for i := range recs {
		if dataset(&recs[i]) == largest {
			r := recs[i]
			r.ID = strconv.Itoa(i)
			big = append(big, r)
		}
	}
	ix := match.Build(slices.Values(big))
	for i := range recs {
		r := &recs[i]
		if dataset(r) == largest || dataset(r) == "" {
			continue
		}
		if j, ok := sameByEngine(ix, r); ok {
			union(i, j)
		}
	}
}

// sameByEngine returns the index of the record of ix that r is, if any.
func sameByEngine(ix *match.Index, r *match.Record) (int, bool) {
	dates := r.BirthDates
	if len(dates) > 3 {
		dates = dates[:3]
	}
	if len(dates) == 0 {
		dates = []string{""}
	}
	doc := ""
	if len(r.Identifiers) > 0 {
		doc = r.Identifiers[0]
	}
	names := r.Names
	if len(names) > 4 {
		names = names[:4]
	}
	nat := ""
	if len(r.Nationalities) > 0 {
		nat = r.Nationalities[0]
	}
	person := r.Schema == "Person"
	for _, n := range names {
		for _, d := range dates {
			ms := ix.Match(match.Query{Name: n, Schema: r.Schema, BirthDate: d, DocumentNumber: doc, Nationality: nat}, match.Options{Limit: 2, Threshold: linkScore})
			if len(ms) == 0 {
				continue
			}
			m := ms[0]
			if len(ms) > 1 && ms[1].Score > m.Score-0.05 {
				continue // ambiguous
			}
			switch {
			case !person && nameScore(m) < 0.93:
				continue
			case person && !agrees(m) && !(d == "" && doc == "" && len(strings.Fields(n)) >= 3 && feature(m, "nationality") >= 0 && (nameScore(m) >= 0.97 || nameScore(m) >= respeltScore && feature(m, "nationality") > 0)):
				// Without a date or document on our side, only a name of
				// three parts or more and no other nationality: near-exact,
				// or respelt with the same nationality (Rashid Taan Kathim,
				// KAZIM, Rashid Taan: both Iraqi, neither dated).
				continue
			}
			j, err := strconv.Atoi(m.EntityID)
			if err == nil {
				return j, true
			}
		}
	}
	return 0, false
}

// respeltScore is the least name score at which a respelt full name of
// three parts or more and the same nationality link two undated records.
const respeltScore = 0.9

// feature returns the score of a match's first explanation feature named
// name, or 0.
func feature(m match.Match, name string) float64 {
	for _, f := range m.Explanation {
		if f.Feature == name {
			return f.Score
		}
	}
	return 0
}

// agrees reports whether a match carries an agreeing birth date or document.
func agrees(m match.Match) bool {
	for _, f := range m.Explanation {
		if (f.Feature == "birth_date" && f.Score >= 0.5) || (f.Feature == "identifier" && f.Score >= 0.9) {
			return true
		}
	}
	return false
}

func nameScore(m match.Match) float64 {
	for _, f := range m.Explanation {
		if f.Feature == "name" {
			return f.Score
		}
	}
	return 0
}
