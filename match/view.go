package match

import (
	"math"
	"slices"

	"concord/match/normalize"
)

// View is what one reader of an index sees beyond it: the index holds the
// records every reader sees (published lists), and a View adds, for one
// reader, what it alone may see. MatchView scores every candidate on the
// reader's form of the record with the index's statistics only, so what
// lies outside the index never changes a part weight, a candidate cap or a
// score for a reader who does not see it.
type View struct {
	// Extra returns what the reader sees of an indexed record beyond its
	// indexed form (values to add to it, see Combine); nil or empty when
	// nothing. It is called under the index's read lock: it must not call
	// back into the index.
	Extra func(id string) []Record
	// Include names indexed records to score whether or not the query's
	// candidates hold them (found as candidates elsewhere, e.g. through an
	// alias only the reader sees); Extra applies to them too.
	Include []string
	// Records are records outside the index to score as they are.
	Records []Record
	// Skip tells candidates of the index not to score (the reader's view
	// of them is scored elsewhere).
	Skip func(id string) bool
}

// MatchView is Match for a reader whose view is the index plus v.
// Candidates are the index's (capped as in Match) plus v.Include and
// v.Records; each is scored on the indexed record combined with
// v.Extra(id); the threshold and the limit apply after.
func (ix *Index) MatchView(q Query, opt Options, v View) []Match {
	if opt.Limit <= 0 {
		opt.Limit = DefaultLimit
	}
	if opt.Threshold <= 0 {
		opt.Threshold = DefaultThreshold
	}
	q.Name = normalize.Clean(q.Name) // invisible marks, presentation forms (normalize.Clean)
	names, tr := readingsOf(q.Name, q.Schema)
	if len(names) == 1 {
		return ix.match(q, opt, &v)
	}
	var out []Match
	for i, n := range names {
		qn := q
		qn.Name = n
		qn.translated = i >= len(names)-tr
		for _, m := range ix.match(qn, opt, &v) {
			if k := slices.IndexFunc(out, func(o Match) bool { return o.EntityID == m.EntityID }); k < 0 {
				out = append(out, m)
			} else if m.Score > out[k].Score {
				out[k] = m
			}
		}
	}
	sortMatches(out)
	if len(out) > opt.Limit {
		out = out[:opt.Limit]
	}
	return out
}

// Candidates returns the ids of the records Match would score for q, for
// every reading of its name: the best-credited records of compatible
// schema, at most a few dozen, in no particular order and unscored.
func (ix *Index) Candidates(q Query) []string {
	var out []string
	for _, n := range readings(normalize.Clean(q.Name), q.Schema) {
		qn := q
		qn.Name = n
		out = ix.candidateIDs(out, qn)
	}
	return out
}

func (ix *Index) candidateIDs(out []string, q Query) []string {
	defer ix.readLock()()
	s := ix.getScratch()
	defer ix.putScratch(s)
	if _, ok := ix.prepQuery(s, q); !ok {
		return out
	}
	ix.candidates(s)
	for _, c := range s.cands {
		e := &ix.slots[c.slot]
		if !e.dead && compatible(q.Schema, e.schema) && !slices.Contains(out, e.id) {
			out = append(out, e.id)
		}
	}
	return out
}

// Has reports whether a record with this id is indexed.
func (ix *Index) Has(id string) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	_, ok := ix.byID[id]
	return ok
}

// Record returns the indexed record with this id as the engine holds it:
// what scoring reads (names with at least one part, parseable birth dates,
// identifiers of four characters or more, nationalities, gender, refs).
func (ix *Index) Record(id string) (Record, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s, ok := ix.byID[id]
	if !ok {
		return Record{}, false
	}
	r := ix.slots[s].record()
	r.Names, r.WeakNames = slices.Clone(r.Names), slices.Clone(r.WeakNames)
	r.BirthDates, r.Nationalities = slices.Clone(r.BirthDates), slices.Clone(r.Nationalities)
	r.Identifiers, r.Refs = slices.Clone(r.Identifiers), slices.Clone(r.Refs)
	return r, true
}

// record turns an entry back into the record it was prepared from (its
// slices are the entry's).
func (e *entry) record() Record {
	r := Record{ID: e.id, Schema: e.schema, Caption: e.caption, Refs: e.refs(), BirthDates: e.rawDates(),
		Nationalities: e.nats(), Identifiers: e.rawIDs(), Gender: genderName(e.gender)}
	for _, n := range e.names {
		if n.alt {
			continue // prepare reads it again from the name it reads
		}
		if n.weak {
			r.WeakNames = append(r.WeakNames, n.raw)
		} else {
			r.Names = append(r.Names, n.raw)
		}
	}
	return r
}

// viewEntry returns e with the values of extra added after its own (as
// Combine does), for scoring without changing the index: only the extra
// values are prepared. Callers hold the read lock.
func (ix *Index) viewEntry(e *entry, extra []Record) entry {
	x := ix.prepare(Combine(append([]Record{{}}, extra...)), ix.lookupPart, false)
	v := *e
	v.names = slices.Clone(e.names)
	// x's parts keep what the index does not number in x's local
	// strings, placed after e's own.
	local := e.local()
	base := uint32(len(local))
	if xl := x.local(); len(xl) > 0 {
		local = append(slices.Clip(local), xl...)
	}
	for _, n := range x.names {
		if !slices.ContainsFunc(v.names, func(o name) bool { return o.raw == n.raw }) {
			if base > 0 {
				n.parts = slices.Clone(n.parts)
				for i := range n.parts {
					if p := &n.parts[i]; p.local {
						p.tid += base
					}
					if p := &n.parts[i]; p.unknown {
						p.key += base
					}
				}
			}
			v.names = append(v.names, n)
			v.minParts = n.minParts(v.minParts)
		}
	}
	markTwins(v.names, len(e.names))
	rawDates, ids, rawIDs := e.rawDates(), e.ids(), e.rawIDs()
	for i, d := range x.rawDates() {
		if !slices.Contains(rawDates, d) {
			v.dates, rawDates = append(slices.Clip(v.dates), x.dates[i]), append(rawDates, d)
		}
	}
	xids := x.ids()
	for i, id := range x.rawIDs() {
		if !slices.Contains(rawIDs, id) {
			ids, rawIDs = append(ids, xids[i]), append(rawIDs, id)
		}
	}
	v.setVals(union(e.refs(), x.refs()), rawDates, union(e.nats(), x.nats()), ids, rawIDs, local)
	if v.gender == 0 {
		v.gender = x.gender
	}
	return v
}

// WeighBy makes the part weights of ix — what a matched part is worth in a
// score, and the record count it is relative to — those of stats: a part
// weighs what it weighs among stats's records, whatever ix holds.
// Candidates are still found and capped among ix's own records. Queries on
// ix read-lock stats; do not write to stats from a reader of ix.
func (ix *Index) WeighBy(stats *Index) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.stats = stats
}

// readLock read-locks ix and the index it is weighed by, and returns the
// unlock.
func (ix *Index) readLock() func() {
	ix.mu.RLock()
	st := ix.stats
	if st != nil {
		st.mu.RLock()
	}
	return func() {
		if st != nil {
			st.mu.RUnlock()
		}
		ix.mu.RUnlock()
	}
}

// weightLogN is the log record count part weights are relative to.
func (ix *Index) weightLogN() float64 {
	if ix.stats != nil {
		return math.Log(float64(ix.stats.live) + 2)
	}
	return math.Log(float64(ix.live) + 2)
}

// dfOf returns the number of live records carrying skeleton key skel.
// Callers hold the read lock.
func (ix *Index) dfOf(skel string) int {
	id, ok := ix.keys.Find(skel)
	if !ok {
		return 0
	}
	return ix.df(id)
}

// lookupPart sets a part's key from the index without adding to it (parts
// no indexed record has are unknown: the rarest).
func (ix *Index) lookupPart(p *part, _ string, skel []byte, _ bool) bool {
	id, ok := ix.keys.Lookup(skel)
	p.key = id
	return ok
}

// Combine merges records into the first: its id, schema and caption, and
// every value of the others added after its own, in order, once.
func Combine(parts []Record) Record {
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

// Dead is the number of records removed or replaced whose space the index
// still holds (see Compact).
func (ix *Index) Dead() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.slots) - ix.live
}

// Compact returns a new index of the live records, in the order they were
// indexed, without the space removed and replaced ones hold. ix is
// unchanged; the new index is weighed as ix is.
func (ix *Index) Compact() *Index {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := Build(func(yield func(Record) bool) {
		for i := range ix.slots {
			if e := &ix.slots[i]; !e.dead && !yield(e.record()) {
				return
			}
		}
	})
	out.stats = ix.stats
	return out
}

// Holds reports whether the index holds r as it is: a record with r's id
// and the same values once prepared (what Upsert would store), so that
// upserting r again would change nothing but the slot it lives in.
func (ix *Index) Holds(r Record) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s, ok := ix.byID[r.ID]
	if !ok {
		return false
	}
	e := &ix.slots[s]
	p := ix.prepare(r, ix.lookupPart, false)
	if e.schema != p.schema || e.caption != p.caption || e.gender != p.gender || len(e.names) != len(p.names) ||
		!slices.Equal(e.refs(), p.refs()) || !slices.Equal(e.rawDates(), p.rawDates()) || !slices.Equal(e.nats(), p.nats()) || !slices.Equal(e.rawIDs(), p.rawIDs()) {
		return false
	}
	for i := range e.names {
		if e.names[i].raw != p.names[i].raw || e.names[i].weak != p.names[i].weak || e.names[i].alt != p.names[i].alt {
			return false
		}
	}
	return true
}
