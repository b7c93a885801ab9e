package match

import (
	"iter"
	"math"
	"slices"
	"strings"
	"sync"

	"concord/match/index"
	"concord/match/keys"
	"concord/match/normalize"
	"concord/match/score"
)

// Index is the in-memory screening index.
type Index struct {
	mu     sync.RWMutex
	keys   *index.Index
	intern *index.Interner
	// texts numbers the distinct texts of record parts from 1 (part.tid),
	// so that a query remembers each part pair's similarity once
	// (score.Memo); textOf[tid-1] is the text of id tid, the one copy a
	// part's text is read from.
	texts  map[string]uint32
	textOf []string
	// termOf[tid-1] is normalize.OrgTerm of textOf[tid-1]: the line of
	// organisation words across languages the text is a word of, or 0.
	termOf []uint8
	slots  []entry
	meta   []uint8 // per slot: parts in its shortest name (1..255), 0 when dead
	byID   map[string]uint32
	live   int
	dead   []int32 // per key: postings that point at dead slots
	// Scratch space is kept on a free list rather than in a sync.Pool: at
	// watchlist scale it holds arrays of tens of MB that a pool would drop
	// at every GC, making queries reallocate and zero them (latency spikes
	// and GC pressure when several workers screen).
	freeMu sync.Mutex
	free   []*scratch
	// stats, when set, is the index whose statistics weigh parts (WeighBy).
	stats *Index
}

// part is one name part of a record, 16 bytes without a pointer: its
// text and skeleton are read through ids (Index.text, Index.skel), since
// at millions of records two string headers per part were a sixth of the
// index.
type part struct {
	// key is the id of the part's skeleton in Index.keys; for an unknown
	// part, the place of its skeleton in entry.local.
	key uint32
	// tid is the id of the part's text (Index.textOf[tid-1]); for a local
	// part, the place of its text in entry.local.
	tid     uint32
	weak    bool
	bare    bool // transliterated from Arabic script (no short vowels)
	kind    normalize.Kind
	chain   uint8
	marks   uint8 // partFamily, partArticle: one byte, so that a part stays 16 bytes
	unknown bool  // skeleton not in the index (records prepared by Score)
	local   bool  // text not numbered by the index (records prepared by Score)
	// jlen is one more than the length of the skeleton of this part's
	// text and the next one's joined (score.Part.JoinLen), 0 for the last
	// part of a name.
	jlen uint8
}

// Marks of a part: written as the family name (normalize.Token.Family),
// written after an Arabic article that was dropped (Token.Article).
const (
	partFamily uint8 = 1 << iota
	partArticle
)

func partMarks(family, article bool) uint8 {
	return uint8(b2u(family)) | uint8(b2u(article))<<1
}

func (p *part) family() bool  { return p.marks&partFamily != 0 }
func (p *part) article() bool { return p.marks&partArticle != 0 }

// text returns the text of part p of entry e. Callers hold a lock.
func (ix *Index) text(e *entry, p *part) string { return partText(ix.textOf, e, p) }

// term returns normalize.OrgTerm of the text of part p of entry e.
// Callers hold a lock.
func (ix *Index) term(e *entry, p *part) uint8 {
	if p.local {
		return normalize.OrgTerm(e.local()[p.tid])
	}
	return ix.termOf[p.tid-1]
}

func partText(textOf []string, e *entry, p *part) string {
	if p.local {
		return e.local()[p.tid]
	}
	return textOf[p.tid-1]
}

// skel returns the skeleton of part p of entry e. Callers hold a lock.
func (ix *Index) skel(e *entry, p *part) string {
	if p.unknown {
		return e.local()[p.key]
	}
	return ix.keys.Name(p.key)
}

// memoID is the id score.Memo knows part p by (0: not remembered).
func memoID(p *part) uint32 {
	if p.local {
		return 0
	}
	return p.tid
}

// setJoinLens sets the jlen of parts ps of entry e.
func setJoinLens(textOf []string, e *entry, ps []part) {
	var t, sk [128]byte
	for i := 0; i+1 < len(ps); i++ {
		j := append(append(t[:0], partText(textOf, e, &ps[i])...), partText(textOf, e, &ps[i+1])...)
		ps[i].jlen = uint8(min(len(keys.AppendSkeleton(sk[:0], string(j))), 254)) + 1
	}
}

type name struct {
	raw   string
	parts []part
	weak  bool
	alt   bool // another reading of a name in Arabic script (recordreadings.go)
	// acr marks an acronym derived from the record's names (acronym.go),
	// a weak name not counted in the record's shortest name (minParts).
	acr bool
	// korean marks a person's name in its canonical Korean reading
	// (korean.go), not counted in the record's shortest name (minParts):
	// it joins the given syllables, and a record should not rank as one
	// of short names among the candidates for it.
	korean bool
	// translated is set on an organisation's name read with its words in
	// English (orgtranslate.go): it scores translatedFactor of a match.
	translated bool
	// twin is set when an earlier name of the record has the same parts
	// and flags: it scores what that one scores (twins.go).
	twin bool
}

// minParts returns least, or the count of n's parts when fewer: the
// record's shortest name (entry.minParts), which a derived acronym and a
// Korean reading do not set.
func (n *name) minParts(least uint8) uint8 {
	if n.acr || n.korean {
		return least
	}
	return min(least, uint8(min(len(n.parts), 255)))
}

// romanReadings returns a name's other romanisations, each "" when it has
// none: a Chinese name in the other of pinyin and Wade-Giles
// (wadegiles.go, with its Han readings), and a person's name that reads
// as Korean in its canonical Korean reading (korean.go; person says the
// name may be a person's). The index and the query read names alike.
func romanReadings(s string, person bool) [3]string {
	kr := ""
	if person {
		kr = koreanReading(s)
	}
	return [3]string{hanReadings(s), wadeGilesReading(s), kr}
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{keys: index.New(), intern: index.NewInterner(), texts: make(map[string]uint32), byID: make(map[string]uint32)}
}

// Build indexes all records (later records with an ID seen before replace
// the earlier ones), then packs the postings (index.Index.Freeze).
func Build(records iter.Seq[Record]) *Index {
	ix := NewIndex()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for r := range records {
		ix.upsert(r)
	}
	ix.keys.Freeze()
	return ix
}

// Upsert adds r, replacing any record with the same ID.
func (ix *Index) Upsert(r Record) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.upsert(r)
}

// Remove deletes the record with this ID, if any.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(id)
}

// Len returns the number of live records.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

func (ix *Index) remove(id string) {
	if s, ok := ix.byID[id]; ok {
		// The slot stays in the postings: count it out of the document
		// frequencies that weigh parts.
		e := &ix.slots[s]
		var seen map[uint32]bool
		for _, n := range e.names {
			if n.acr {
				continue // no postings of its skeletons (upsert)
			}
			for _, p := range n.parts {
				if seen[p.key] {
					continue
				}
				if seen == nil {
					seen = make(map[uint32]bool)
				}
				seen[p.key] = true
				if n := ix.keys.Keys(); len(ix.dead) < n {
					ix.dead = append(ix.dead, make([]int32, n-len(ix.dead))...)
				}
				ix.dead[p.key]++
			}
		}
		ix.slots[s] = entry{dead: true}
		ix.meta[s] = 0
		delete(ix.byID, id)
		ix.live--
	}
}

func (ix *Index) upsert(r Record) {
	ix.remove(r.ID)
	slot := uint32(len(ix.slots))
	var skb2 []byte
	e := ix.prepare(r, func(p *part, text string, skel []byte, acr bool) bool {
		p.key = ix.keys.KeyBytes(skel)
		if acr {
			// A derived acronym is found by its spelling (the text keys
			// below), not by its skeleton: its letters would count in the
			// frequency, and so the weight, of the names' parts that share
			// the skeleton (ABD, Abid), and draw their queries.
			return true
		}
		first := len(ix.keys.Exact(p.key)) == 0
		ix.keys.AddExact(p.key, slot)
		keys.Deletes(ix.keys.Name(p.key), func(d []byte) {
			dk := ix.keys.KeyBytes(d)
			ix.keys.AddNear(dk, slot)
			if first {
				ix.keys.AddSource(dk, p.key)
			}
		})
		// A part written with its article attached (Alqahtani) is near
		// the part without it (score.PartSim compares them so).
		if r, ok := score.AttachedArticle(text); ok {
			rk := ix.keys.KeyBytes(keys.AppendSkeleton(skb2[:0], r))
			ix.keys.AddNear(rk, slot)
			if first {
				ix.keys.AddSource(rk, p.key)
			}
		}
		return true
	}, true)
	var kb []byte
	for _, n := range e.names {
		ps := n.parts[:min(len(n.parts), maxTextParts)]
		for i := range ps {
			kb = appendTextKey(kb[:0], ix.text(&e, &ps[i]), "")
			ix.keys.AddExact(ix.keys.KeyBytes(kb), slot)
			for j := range ps[i+1:] {
				kb = appendTextKey(kb[:0], ix.text(&e, &ps[i]), ix.text(&e, &ps[i+1+j]))
				ix.keys.AddExact(ix.keys.KeyBytes(kb), slot)
			}
		}
	}
	ix.slots = append(ix.slots, e)
	ix.meta = append(ix.meta, max(1, e.minParts))
	ix.byID[r.ID] = slot
	ix.live++
}

// cleanNames returns names with each one cleaned (normalize.Clean: the
// invisible marks, tatweel and presentation forms that software adds);
// names itself when none changes.
func cleanNames(names []string) []string {
	for i, n := range names {
		if c := normalize.Clean(n); c != n {
			out := slices.Clone(names)
			out[i] = c
			for j := i + 1; j < len(out); j++ {
				out[j] = normalize.Clean(out[j])
			}
			return out
		}
	}
	return names
}

// prepare turns r into an entry. keyFn, called for every name part with
// its text and skeleton, sets the part's key (and indexes it when
// building); it returns false when the index has no such key (the
// skeleton is then kept in the entry). With intern false the index is not
// modified (strings are not interned, texts not numbered), so prepare may
// run under the read lock.
//
// keyFn numbers a part's skeleton (false: not in the index); acr says the
// part is of an acronym derived from the record's names (acronym.go).
func (ix *Index) prepare(r Record, keyFn func(p *part, text string, skel []byte, acr bool) bool, intern bool) entry {
	str := func(s string) string { return s }
	if intern {
		str = ix.intern.String
	}
	e := entry{id: r.ID, schema: str(r.Schema), caption: r.Caption, gender: normGender(r.Gender)}
	r.Names, r.WeakNames = cleanNames(r.Names), cleanNames(r.WeakNames)
	var local []string
	var toks []normalize.Token
	var skb []byte
	addName := func(raw string, weak, alt, acr bool) {
		toks = appendNameTokens(toks[:0], raw, r.Schema)
		if len(toks) == 0 {
			return
		}
		n := name{raw: raw, weak: weak, alt: alt, acr: acr, parts: make([]part, len(toks))}
		for i, t := range toks {
			skb = keys.AppendSkeleton(skb[:0], t.Text)
			p := part{weak: t.Weak, bare: t.Bare, kind: t.Kind, chain: t.Chain, marks: partMarks(t.Family, t.Article)}
			if p.tid = ix.textID(t.Text, intern); p.tid == 0 {
				p.tid, p.local = uint32(len(local)), true
				local = append(local, t.Text)
			}
			if !keyFn(&p, t.Text, skb, acr) {
				p.key, p.unknown = uint32(len(local)), true
				local = append(local, string(skb))
			}
			n.parts[i] = p
		}
		e.names = append(e.names, n)
	}
	seen := make(map[string]bool, len(r.Names)+len(r.WeakNames))
	var alts []string
	for _, s := range r.Names {
		if !seen[s] {
			seen[s] = true
			addName(s, false, false, false)
			// Its other romanisations too (romanReadings: pinyin and
			// Wade-Giles, a Korean person's canonical reading).
			for i, alt := range romanReadings(s, r.Schema == "Person") {
				if alt != "" && !seen[alt] {
					seen[alt] = true
					k := len(e.names)
					addName(alt, false, false, false)
					if i == 2 && len(e.names) > k {
						e.names[k].korean = true
					}
				}
			}
			// An organisation's name with its acronym in brackets or
			// after a spaced slash is indexed as the name and as the
			// acronym too (acronym.go).
			if r.Schema != "Person" {
				outer, acr, ok := acronymNames(s)
				if !ok {
					// Or after a spaced slash (acronym.go).
					outer, acr, ok = slashAcronym(s)
				}
				if ok {
					for _, alt := range [2]string{outer, acr} {
						if !seen[alt] {
							seen[alt] = true
							addName(alt, false, false, false)
						}
					}
				}
			}
			// A name in Arabic script is indexed under its other
			// readings too (recordreadings.go).
			alts = recordReadings(alts[:0], s)
			if r.Schema != "Person" {
				// An organisation's name translated (orgtranslate.go).
				if t := orgTranslation(s); t != "" && !seen[t] {
					seen[t] = true
					k := len(e.names)
					addName(t, false, true, false)
					if len(e.names) > k {
						e.names[k].translated = true
					}
				}
			}
			for _, alt := range alts {
				if !seen[alt] {
					seen[alt] = true
					addName(alt, false, true, false)
				}
			}
		}
	}
	for _, s := range r.WeakNames {
		if !seen[s] {
			seen[s] = true
			addName(s, true, false, false)
		}
	}
	// An organisation's names are indexed under their acronyms too, as
	// weak names (acronym.go).
	if r.Schema != "Person" {
		var acrs []string
		for _, s := range r.Names {
			acrs = derivedAcronyms(acrs, s)
		}
		for _, s := range acrs {
			if !seen[s] {
				seen[s] = true
				addName(s, true, false, true)
			}
		}
	}
	var rawDates, nats, ids, rawIDs []string
	for _, s := range r.BirthDates {
		if d, ok := score.ParseDate(s); ok {
			e.dates = append(e.dates, d)
			rawDates = append(rawDates, s)
		}
	}
	for _, s := range r.Nationalities {
		nats = append(nats, str(s))
	}
	for _, s := range r.Identifiers {
		if n := score.NormID(s); len(n) >= 4 {
			ids = append(ids, n)
			rawIDs = append(rawIDs, s)
		}
	}
	e.setVals(r.Refs, rawDates, nats, ids, rawIDs, local)
	e.minParts = 255
	for _, n := range e.names {
		setJoinLens(ix.textOf, &e, n.parts)
		e.minParts = n.minParts(e.minParts)
	}
	markTwins(e.names, 0)
	return e
}

// textID returns the id of a record part's text, numbering it when add
// is set (building), else 0 for a text no indexed part has.
func (ix *Index) textID(t string, add bool) uint32 {
	if id, ok := ix.texts[t]; ok || !add {
		return id
	}
	t = strings.Clone(t)
	ix.textOf = append(ix.textOf, t)
	ix.termOf = append(ix.termOf, normalize.OrgTerm(t))
	id := uint32(len(ix.textOf))
	ix.texts[t] = id
	return id
}

// df returns the number of live records carrying key k.
func (ix *Index) df(k uint32) int {
	n := len(ix.keys.Exact(k))
	if int(k) < len(ix.dead) {
		n -= int(ix.dead[k])
	}
	return n
}

// partWeight turns a key's document frequency into an evidence weight in
// [0.05, 1]: inverse document frequency on a log scale, relative to a key
// that only one record has.
func partWeight(df int, logN float64) float64 {
	if df < 1 {
		df = 1
	}
	var ldf float64
	if df < len(logTable) {
		ldf = logTable[df]
	} else {
		ldf = math.Log(float64(df))
	}
	w := (logN - ldf) / logN
	if w < 0.05 {
		w = 0.05
	}
	return w
}

// logTable holds log(df) for the document frequencies most parts have.
var logTable = func() []float64 {
	t := make([]float64, 1<<12)
	for i := 1; i < len(t); i++ {
		t[i] = math.Log(float64(i))
	}
	return t
}()
