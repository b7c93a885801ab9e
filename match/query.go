package match

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"

	"concord/match/index"
	"concord/match/keys"
	"concord/match/normalize"
	"concord/match/score"
)

// Work bounds per query.
const (
	maxCandidates = 16      // records fully scored per query
	maxCandBare   = 32      // ... when the query was transliterated from Arabic script
	largeIndex    = 250_000 // records from which twice as many are scored
	scanBudget    = 3000    // postings read before switching to probe mode
	nearWeight    = 0.6     // candidate credit of a one-deletion key match
	splitWeight   = 0.5     // candidate credit of half of a split query part
	altWeight     = 0.8     // candidate credit of a part's other reading (German ch, j, w; Uzbek x)
)

type qpart struct {
	text, skel string
	key        uint32
	known      bool
	df         int
	weak       bool
	bare       bool
	pkind      normalize.Kind
	chain      uint8
	family     bool
	article    bool
	// extra parts are not scored: they are adjacent query parts joined,
	// an unknown part split in two, or a part without its attached
	// article, used to find candidates and to
	// open comparisons for merged pairs. bits are the query parts they
	// stand for.
	extra bool
	bits  uint32
	kind  uint8 // for extras: kindJoin, kindSplit or kindText
	// alt is the key of the part's other reading (keys.AppendAltSkeleton:
	// German ch as kh, j as y, w as v; Uzbek x as kh), when records spell
	// it; it finds candidates and opens comparisons like the part's own.
	alt    uint32
	hasAlt bool
}

// Kinds of extra query parts.
const (
	kindJoin    = iota + 1 // two adjacent parts joined
	kindSplit              // half of an unknown part split in two
	kindText               // exact spelling of one part, or of two parts
	kindArticle            // a part without its attached article
)

type cand struct {
	slot uint32
	acc  float32
}

// probeReq is an exact list too long to scan, probed for found records.
type probeReq struct {
	list []uint32
	w    float32
}

// slotState is a record slot's candidate credit in the current query,
// valid when stamp is of this query.
type slotState struct {
	stamp uint32
	acc   float32
}

// scratch is per-query working memory, kept on the index's free list.
type scratch struct {
	translated bool        // the query name is a translated reading (orgtranslate.go)
	st         []slotState // per record slot, indexed by slot
	probes     []probeReq
	epoch      uint32
	touched    []uint32
	cands      []cand
	toks       []normalize.Token
	qparts     []qpart
	sp         []score.Part
	rp         []score.Part
	pairs      []score.Pair
	skb        []byte
	near       nearSet    // the keys near the query's parts
	memo       score.Memo // part similarities of the prepared query
	// candidates' working lists: query parts by rarity, a part's postings
	// lists and their credits; del holds skeletons' deletions.
	order []int
	lists [][]uint32
	ws    []float32
	del   [64]byte
	// whole leaves a query part in Arabic script unsplit (splitJoined);
	// splitBare says that splitJoined split one.
	whole, splitBare bool
}

func (ix *Index) getScratch() *scratch {
	var s *scratch
	ix.freeMu.Lock()
	if n := len(ix.free); n > 0 {
		s = ix.free[n-1]
		ix.free = ix.free[:n-1]
	}
	ix.freeMu.Unlock()
	if s == nil {
		s = &scratch{}
	}
	if n := len(ix.slots); len(s.st) < n {
		s.st = make([]slotState, n+n/4)
		s.epoch = 0
	}
	return s
}

// qctx is a prepared query (its name parts are in the scratch).
type qctx struct {
	q    Query
	bare bool // the name is in Arabic or another script without short vowels
	qd   score.Date
	qg   uint8
	qid  string
	logN float64
}

// prepQuery normalises q's name into s.qparts and s.sp and parses its
// qualifiers. ok is false when the name has no parts.
func (ix *Index) prepQuery(s *scratch, q Query) (qc qctx, ok bool) {
	s.translated = q.translated
	s.toks = appendNameTokens(s.toks[:0], q.Name, q.Schema)
	if len(s.toks) == 0 {
		return qc, false
	}
	ix.splitJoined(s)
	s.qparts = s.qparts[:0]
	for _, t := range s.toks {
		s.skb = keys.AppendSkeleton(s.skb[:0], t.Text)
		qp := qpart{text: t.Text, weak: t.Weak, bare: t.Bare, pkind: t.Kind, chain: t.Chain, family: t.Family, article: t.Article}
		if id, ok := ix.keys.Lookup(s.skb); ok {
			qp.key, qp.known, qp.skel = id, true, ix.keys.Name(id)
			qp.df = ix.df(id)
		} else {
			qp.skel = string(s.skb)
		}
		if alt, ok := keys.AppendAltSkeleton(s.skb[:0], t.Text); ok && string(alt) != qp.skel {
			s.skb = alt
			qp.alt, qp.hasAlt = ix.keys.Lookup(alt)
		}
		qp.bits = 1 << len(s.qparts)
		s.qparts = append(s.qparts, qp)
	}
	nReal := len(s.qparts)
	ix.joinsAndSplits(s, nReal)
	ix.markNear(s)
	qc.q = q
	qc.bare = s.toks[0].Bare
	qc.logN = ix.weightLogN()
	s.memo.Reset()
	s.sp = s.sp[:0]
	for _, qp := range s.qparts[:nReal] {
		df := qp.df
		if ix.stats != nil {
			df = ix.stats.dfOf(qp.skel)
		}
		w := kindWeight(partWeight(df, qc.logN), qp.pkind, qp.weak)
		s.sp = append(s.sp, score.Part{Text: qp.text, Skel: qp.skel, Weight: w, Bare: qp.bare, Kind: qp.pkind, Chain: qp.chain, Family: qp.family, Article: qp.article, ID: s.memo.QueryID(qp.text), Nick: score.NickFlags(qp.text), Term: normalize.OrgTerm(qp.text)})
	}
	if d, ok := score.ParseDate(q.BirthDate); ok {
		qc.qd = d
	}
	qc.qg = normGender(q.Gender)
	if q.DocumentNumber != "" {
		qc.qid = score.NormID(q.DocumentNumber)
	}
	return qc, true
}

// splitJoined rewrites a query part that no record spells, of six letters
// or more, where it is parts written together that records do spell:
//
//   - a particle attached in Latin (Alzumar, Elhabhab, Agmoussa,
//     Binladen): the rest, of four letters or more;
//   - two parts written as one (Islamqadhafi), either perhaps with its
//     article (Hamadalhablain, Alislamqadhafi): at the first place from
//     the left where both halves, of three letters or more, are spellings
//     of record parts;
//   - in Arabic script, only after a letter that does not connect to the
//     next (ا د ر ز و), where the space between two words is invisible and
//     often left out (ظاهرعويس → "dahr" "uis", Dahir Aweys).
func (ix *Index) splitJoined(s *scratch) {
	s.splitBare = false
	// Arabic script is spelt without short vowels: its parts are known
	// by their skeleton; a Latin part by its spelling.
	var bare bool
	known := func(t string) bool {
		if bare {
			s.skb = keys.AppendSkeleton(s.skb[:0], t)
		} else {
			s.skb = appendTextKey(s.skb[:0], t, "")
		}
		id, ok := ix.keys.Lookup(s.skb)
		return ok && ix.df(id) > 0
	}
	// rest returns t without an attached particle when records spell the
	// rest, else t.
	rest := func(t string) (string, bool) {
		for _, p := range attached {
			if len(t) >= len(p)+4 && strings.HasPrefix(t, p) && known(t[len(p):]) {
				return t[len(p):], true
			}
		}
		// An article attached to a part that records spell otherwise
		// (Elkaddafi for al-Qadhafi): the rest, of five letters or more,
		// when its skeleton is a record key and the whole is no known name.
		if len(t) >= 7 && (t[0] == 'a' || t[0] == 'e') && t[1] == 'l' && !strings.ContainsRune("aeiouy", rune(t[2])) && !normalize.KnownName(t) {
			s.skb = keys.AppendSkeleton(s.skb[:0], t[2:])
			if id, ok := ix.keys.Lookup(s.skb); ok && ix.df(id) > 0 {
				return t[2:], true
			}
		}
		return t, false
	}
	for i := 0; i < len(s.toks) && len(s.toks) < normalize.MaxTokens; i++ {
		t := s.toks[i]
		bare = t.Bare
		if len(t.Text) < 6 || t.Kind != normalize.KindName || (t.Bare && s.whole) || known(t.Text) {
			continue
		}
		if !t.Bare {
			if r, ok := rest(t.Text); ok {
				s.toks[i].Text = r
				continue
			}
			if ix.spelt(s, t.Text) {
				continue // a spelling of a record part (Dschamal, Chalil): not two parts
			}
		}
		for k := 3; k+3 <= len(t.Text); k++ {
			if t.Bare {
				switch t.Text[k-1] {
				case 'a', 'd', 'r', 'z', 'u', 'w':
				default:
					continue
				}
			}
			first, ok := t.Text[:k], known(t.Text[:k])
			if !ok && !t.Bare {
				first, ok = rest(first)
			}
			if !ok {
				continue
			}
			second, ok := t.Text[k:], known(t.Text[k:])
			if !ok && !t.Bare {
				second, ok = rest(second)
			}
			if !ok {
				continue
			}
			r := t
			t.Text, r.Text = first, second
			s.splitBare = s.splitBare || t.Bare
			s.toks = slices.Insert(s.toks, i+1, r)
			s.toks[i] = t
			i++
			break
		}
	}
}

// spelt reports whether records carry the skeleton of t, or of its other
// reading (keys.AppendAltSkeleton), so that t is a spelling of a record's
// part rather than two parts written together.
func (ix *Index) spelt(s *scratch, t string) bool {
	s.skb = keys.AppendSkeleton(s.skb[:0], t)
	if id, ok := ix.keys.Lookup(s.skb); ok && ix.df(id) > 0 {
		return true
	}
	if alt, ok := keys.AppendAltSkeleton(s.skb[:0], t); ok {
		s.skb = alt
		if id, ok := ix.keys.Lookup(alt); ok && ix.df(id) > 0 {
			return true
		}
	}
	return false
}

// attached are the articles and particles that Latin spellings write
// joined to the next part.
var attached = [...]string{"al", "el", "ul", "ag", "bin", "ben", "ibn"}

// joinsAndSplits appends extra query parts: two adjacent parts joined
// when the joined skeleton is a record key ("mute butsi" → mutebutsi), and
// an unknown part of six letters or more split where both halves are
// record keys (at most four splits: "innocentkaina" → innocent kaina).
func (ix *Index) joinsAndSplits(s *scratch, nReal int) {
	add := func(skel []byte, bits uint32) (qpart, bool) {
		id, ok := ix.keys.Lookup(skel)
		if !ok {
			return qpart{}, false
		}
		df := ix.df(id)
		if df == 0 {
			return qpart{}, false
		}
		return qpart{key: id, known: true, skel: ix.keys.Name(id), df: df, extra: true, bits: bits}, true
	}
	var buf [128]byte
	for i := 0; i+1 < nReal; i++ {
		a, b := s.qparts[i].text, s.qparts[i+1].text
		if len(a)+len(b) > len(buf) {
			continue
		}
		j := append(append(buf[:0], a...), b...)
		s.skb = keys.AppendSkeleton(s.skb[:0], string(j))
		if qp, ok := add(s.skb, 3<<i); ok {
			qp.text, qp.kind = s.qparts[i].text, kindJoin
			s.qparts = append(s.qparts, qp)
		}
	}
	for i := 0; i < nReal; i++ {
		t := s.qparts[i].text
		if s.qparts[i].df > 0 || len(t) < 6 {
			continue
		}
		found := 0
		for k := 3; k+3 <= len(t) && found < 4; k++ {
			s.skb = keys.AppendSkeleton(s.skb[:0], t[:k])
			l, ok := add(s.skb, 1<<i)
			if !ok {
				continue
			}
			s.skb = keys.AppendSkeleton(s.skb[:0], t[k:])
			r, ok := add(s.skb, 1<<i)
			if !ok {
				continue
			}
			l.text, r.text = t, t
			l.kind, r.kind = kindSplit, kindSplit
			s.qparts = append(s.qparts, l, r)
			found++
		}
	}
	// A part with its article attached (Alharamain) also stands for the
	// part without it, as records without the article spell it.
	for i := 0; i < nReal; i++ {
		if s.qparts[i].bare {
			continue
		}
		if r, ok := score.AttachedArticle(s.qparts[i].text); ok {
			s.skb = keys.AppendSkeleton(s.skb[:0], r)
			if qp, ok := add(s.skb, 1<<i); ok {
				qp.text, qp.kind = r, kindArticle
				s.qparts = append(s.qparts, qp)
			}
		}
	}
	// Exact spellings: rarer than skeletons, they find the record when
	// every skeleton is common (at watchlist scale "Baynah" → "bn").
	for i := 0; i < nReal && i < maxTextParts; i++ {
		s.skb = appendTextKey(s.skb[:0], s.qparts[i].text, "")
		if qp, ok := add(s.skb, 1<<i); ok {
			qp.text, qp.kind = s.qparts[i].text, kindText
			s.qparts = append(s.qparts, qp)
		}
		for j := i + 1; j < nReal && j < maxTextParts; j++ {
			s.skb = appendTextKey(s.skb[:0], s.qparts[i].text, s.qparts[j].text)
			if qp, ok := add(s.skb, 1<<i|1<<j); ok {
				qp.text, qp.kind = s.qparts[i].text, kindText
				s.qparts = append(s.qparts, qp)
			}
		}
	}
}

// maxTextParts bounds the parts of a name given exact-spelling keys (and
// pairs of them).
const maxTextParts = 5

// appendTextKey appends the exact-spelling key of part a, or of the pair
// a, b in either order. Skeletons never contain '='.
func appendTextKey(dst []byte, a, b string) []byte {
	dst = append(dst, '=')
	if b == "" {
		return append(dst, a...)
	}
	if b < a {
		a, b = b, a
	}
	return append(append(append(dst, a...), ' '), b...)
}

// markNear marks, for every query part, the keys within one edit
// (insertion, deletion, substitution, adjacent transposition) of its
// skeleton: the record parts it may match. Others are not compared.
func (ix *Index) markNear(s *scratch) {
	s.near.reset()
	mark := s.near.mark
	for i := range s.qparts {
		qp := &s.qparts[i]
		if qp.kind == kindText {
			continue
		}
		bit := qp.bits
		if qp.known {
			mark(qp.key, bit)
			for _, k := range ix.keys.Sources(qp.key) {
				mark(k, bit)
			}
		}
		if qp.hasAlt {
			mark(qp.alt, bit)
			for _, k := range ix.keys.Sources(qp.alt) {
				mark(k, bit)
			}
		}
		keys.DeletesIn(&s.del, qp.skel, func(d []byte) {
			if dk, ok := ix.keys.Lookup(d); ok {
				mark(dk, bit)
				for _, k := range ix.keys.Sources(dk) {
					mark(k, bit)
				}
			}
		})
	}
}

// nearMask returns the mask of query parts near key k.
func (s *scratch) nearMask(k uint32) uint32 { return s.near.get(k) }

// scoreEntry returns the total score of e for the prepared query and the
// index of its best name (-1 when no name matched at all).
//
// need > 0 says the caller keeps e only when its total reaches need (a
// threshold, or the last score of a full top k): a name whose bounds
// (score.NameMayReach) cannot reach it, or cannot beat a name already
// scored, is not compared. The result is then the same whenever the total
// reaches need; below it, it is only known to be below. At a need of
// rankNeed or less with no name scored yet (ranking at a tiny threshold,
// before the top k is full) the bounds are not asked: they would refuse
// only a name whose bound, with the qualifiers, is below need, which a
// name with a part near the query's does not have, so they would cost a
// bound on top of every comparison and save none.
func (ix *Index) scoreEntry(s *scratch, e *entry, qc *qctx, need float64) (float64, int) {
	org := orgRecord(e.schema)
	bestName, bestIdx := 0.0, -1
	var adj qual
	adjDone := false
	low, lowDone := 0.0, false // nameNeed(need, adj), once asked
	if need > 0 {
		// Qualifiers first: a birth date that conflicts can keep even a
		// perfect name below need.
		adj, adjDone = qualifiers(e, qc.qd, qc.q.Nationality, qc.qg, qc.qid, nil, 1), true
		if clamp01(combine(1, adj)) < need {
			return 0, -1
		}
	}
	for ni := range e.names {
		n := &e.names[ni]
		if n.twin {
			continue // scores what an earlier name scored (twins.go)
		}
		if n.alt && qc.bare {
			continue // a record's readings are for Latin queries: one in script has its own
		}
		if !s.nearName(n) {
			continue // no part near the query's: scores 0
		}
		short := shortAcronym(n)
		if short && need > shortAcronymCap {
			continue // its total is capped below need (acronym.go)
		}
		r := ix.recordParts(s, e, n, qc.logN)
		if need > rankNeed || bestName > 0 {
			if !lowDone {
				low, lowDone = nameNeed(need, adj), true
			}
			enough := func(ub float64) bool {
				ub *= nameFactor(n, s.translated)
				if short {
					ub = min(ub, shortAcronymCap)
				}
				return ub >= bestName && ub >= low
			}
			if !score.NameMayReach(s.sp, r, org, &s.memo, enough) {
				continue
			}
		}
		ns := ix.compareName(s, n, r, org)
		if short {
			ns = min(ns, shortAcronymCap)
		}
		if ns > bestName {
			bestName, bestIdx = ns, ni
		}
	}
	if bestIdx < 0 {
		return 0, -1
	}
	if !adjDone {
		adj = qualifiers(e, qc.qd, qc.q.Nationality, qc.qg, qc.qid, nil, 1)
	}
	total := clamp01(combine(bestName, adj))
	if shortAcronym(&e.names[bestIdx]) {
		// Met only through three initials: ranked, never alerting, whatever
		// the qualifiers add (acronym.go).
		total = min(total, shortAcronymCap)
	}
	return total, bestIdx
}

func (ix *Index) result(s *scratch, e *entry, total float64, ni int, qc *qctx) Match {
	return Match{
		EntityID: e.id, Caption: e.caption, Schema: e.schema, Refs: e.refs(),
		Score:       math.Round(total*10000) / 10000,
		Explanation: ix.explain(s, e, ni, qc.q, qc.qd, qc.qg, qc.qid, qc.logN),
	}
}

// putScratch returns s to the free list (bounded: scratch beyond it is
// left to the GC).
func (ix *Index) putScratch(s *scratch) {
	ix.freeMu.Lock()
	if len(ix.free) < maxFreeScratch {
		ix.free = append(ix.free, s)
	}
	ix.freeMu.Unlock()
}

// maxFreeScratch bounds the scratch kept between queries (one per
// concurrently screening goroutine is enough).
const maxFreeScratch = 16

// Match screens q against the index and returns matches with score ≥ the
// threshold, best first (ties by entity ID), at most opt.Limit.
//
// A name with a parenthesised part in another script, as lists write a
// name together with its original-script form ("Abdullah Sindhi
// (عبدالله السندي)"), is screened as each of the two names; a name with
// letters read differently by romanisation habits (see readings) is also
// screened as each reading. An entity scores its best.
func (ix *Index) Match(q Query, opt Options) []Match {
	return ix.MatchView(q, opt, View{})
}

// sortMatches orders matches best first, ties by entity ID.
func sortMatches(ms []Match) {
	slices.SortFunc(ms, func(a, b Match) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.EntityID, b.EntityID)
	})
}

// readings returns the names a query name is screened as: the name itself
// (or, with a parenthesised part in another script, the two names; with
// its acronym after a spaced slash, the whole and the name without it),
// each followed by its alternative readings, and an organisation's name
// in Arabic script by its translation (orgtranslate.go). Letters that
// romanisation habits render differently get one reading per habit, rather than one spelling
// for all: Maghreb and Somali spellings write ظ as d (ظاهر Dahir) and
// ق as g (قاسمي Gasmi); Persian, Urdu and Pashto ones write ض, ذ and ظ
// as z (فضل Fazl, نذیر Nazir) and ث as s; Russian writes Arabic h as г
// (Гасан Hasan); an Arabic spelling of a name from a language with a g
// may write it ك (كل آغا Gul Agha). A Chinese name is also screened in the other of pinyin
// and Wade-Giles (wadegiles.go), a person's name that reads as Korean in
// its canonical Korean reading (korean.go), a person's name with rn or cl in a word
// that is no known name as an OCR reads it (ocr.go: RNOHAMMED is
// Mohammed). schema is the query's.
func readings(name, schema string) []string {
	out, _ := readingsOf(name, schema)
	return out
}

// readingsOf is readings; translated is the number of readings at its end
// that translate an organisation's words (orgtranslate.go).
func readingsOf(name, schema string) (out []string, translated int) {
	var base []string
	if outer, inner, ok := splitParen(name); ok {
		base = []string{outer, inner}
	} else if outer, _, ok := slashAcronym(name); ok {
		// A name with its acronym after a spaced slash (acronym.go):
		// the whole and the name (the acronym alone, like a bracketed
		// one, is no query of its own).
		base = []string{name, outer}
	} else {
		base = []string{name}
	}
	if j := joinedAcronym(name, schema); j != "" {
		// TTP-JA, an acronym written in parts, is also screened as one
		// (TTPJA), as derived acronyms are indexed (acronym.go).
		base = append(slices.Clone(base), j)
	}
	out = base
	var trs []string
	for _, n := range base {
		for _, alt := range romanReadings(n, schema == "Person" || schema == "") {
			if alt != "" {
				if len(out) == len(base) {
					out = slices.Clone(base)
				}
				out = append(out, alt)
			}
		}
		for _, r := range altReadings {
			if strings.ContainsAny(n, r.letters) {
				if len(out) == len(base) {
					out = slices.Clone(base)
				}
				out = append(out, r.rep.Replace(n))
			}
		}
		if schema != "Person" {
			// An organisation's name translated (orgtranslate.go).
			if t := orgTranslation(n); t != "" && !slices.Contains(trs, t) {
				trs = append(trs, t)
			}
		}
		if strings.ContainsRune(n, 'ك') {
			// ك for a g (recordreadings.go): كل آغا is Gul Agha.
			if len(out) == len(base) {
				out = slices.Clone(base)
			}
			out = append(out, kafAsG.Replace(n))
		}
		if r := ocrReading(n, schema); r != "" {
			if len(out) == len(base) {
				out = slices.Clone(base)
			}
			out = append(out, r)
		}
	}
	if len(trs) > 0 {
		out = append(slices.Clone(out), trs...)
	}
	return out, len(trs)
}

// altReadings are the alternative readings of ambiguous letters.
var altReadings = func() []struct {
	letters string
	rep     *strings.Replacer
} {
	type reading = struct {
		letters string
		rep     *strings.Replacer
	}
	mk := func(pairs ...string) reading {
		var l strings.Builder
		for i := 0; i < len(pairs); i += 2 {
			l.WriteString(pairs[i])
		}
		return reading{l.String(), strings.NewReplacer(pairs...)}
	}
	return []reading{
		mk("ظ", "د", "ق", "گ"),                     // Maghreb, Somali
		mk("ض", "ز", "ذ", "ز", "ظ", "ز", "ث", "س"), // Persian, Urdu, Pashto
		mk("г", "х", "Г", "Х"),                     // Russian г for h
	}
}()

// splitParen splits "outer (inner) rest" into "outer rest" and "inner"
// when both hold letters and one of them is not in Latin script.
func splitParen(name string) (outer, inner string, ok bool) {
	i := strings.IndexByte(name, '(')
	if i < 0 {
		return "", "", false
	}
	j := strings.IndexByte(name[i:], ')')
	if j < 0 {
		j = len(name) - i
	}
	inner = name[i+1 : i+j]
	outer = name[:i]
	if i+j < len(name) && i+j+1 < len(name) {
		outer += " " + name[i+j+1:]
	}
	lo, no := letters(outer)
	li, ni := letters(inner)
	if !lo || !li || no == ni {
		return "", "", false // same script: an acronym or a part of the name
	}
	return outer, inner, true
}

// letters reports whether s has letters and whether any is not Latin.
func letters(s string) (any, nonLatin bool) {
	for _, r := range s {
		if unicode.IsLetter(r) {
			any = true
			if !unicode.Is(unicode.Latin, r) {
				nonLatin = true
			}
		}
	}
	return any, nonLatin
}

// match screens one reading of a query name for a reader with view v.
// A query whose part in Arabic script splitJoined cut in two is screened
// with the part whole too, and each record scores its better: the cut is
// made where both halves are record parts, but a record may write the two
// words as the query's one (خدايرحيم, cut khd + airhim, is KHUDAI RAHIM,
// which a merge of the record's parts meets only in the whole word).
func (ix *Index) match(q Query, opt Options, v *View) []Match {
	out, split := ix.matchOnce(q, opt, v, false)
	if !split {
		return out
	}
	whole, _ := ix.matchOnce(q, opt, v, true)
	return mergeMatches(out, whole, opt.Limit)
}

// mergeMatches merges two result lists of one query, each record with its
// better score, best first, at most limit.
func mergeMatches(out, more []Match, limit int) []Match {
	for _, m := range more {
		if k := slices.IndexFunc(out, func(o Match) bool { return o.EntityID == m.EntityID }); k < 0 {
			out = append(out, m)
		} else if m.Score > out[k].Score {
			out[k] = m
		}
	}
	sortMatches(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// matchOnce is match with the query's parts in Arabic script split
// (whole false) or not; split reports whether one was.
func (ix *Index) matchOnce(q Query, opt Options, v *View, whole bool) (_ []Match, split bool) {
	defer ix.readLock()()
	s := ix.getScratch()
	defer ix.putScratch(s)

	s.whole = whole
	qc, ok := ix.prepQuery(s, q)
	s.whole = false
	if !ok {
		return nil, false
	}
	split = s.splitBare
	ix.candidates(s)
	if len(s.cands) == 0 && len(v.Include) == 0 && len(v.Records) == 0 {
		return nil, split
	}
	type hit struct {
		e     *entry
		score float64
		name  int
	}
	var hits []hit
	// need is what a record must score to be kept: the threshold, then,
	// once Limit records are found, the Limit-th best score (a record
	// below it cannot enter the results; one equal to it may, by its ID).
	need := opt.Threshold
	var top []float64
	kth := func(hs []hit) float64 {
		if opt.Limit <= 0 || len(hs) < opt.Limit {
			return 0
		}
		top = top[:0]
		for _, h := range hs {
			top = append(top, h.score)
		}
		slices.Sort(top)
		return top[len(top)-opt.Limit]
	}
	consider := func(e *entry) {
		if v.Extra != nil {
			if extra := v.Extra(e.id); len(extra) > 0 {
				ve := ix.viewEntry(e, extra)
				e = &ve
			}
		}
		total, bestIdx := ix.scoreEntry(s, e, &qc, need)
		if bestIdx >= 0 && total >= opt.Threshold {
			hits = append(hits, hit{e, total, bestIdx})
			need = max(opt.Threshold, kth(hits))
		}
	}
	for _, c := range s.cands {
		if e := &ix.slots[c.slot]; !e.dead && compatible(q.Schema, e.schema) && (v.Skip == nil || !v.Skip(e.id)) {
			consider(e)
		}
	}
	for _, id := range v.Include {
		slot, ok := ix.byID[id]
		if !ok || slices.ContainsFunc(s.cands, func(c cand) bool { return c.slot == slot }) {
			continue
		}
		if e := &ix.slots[slot]; compatible(q.Schema, e.schema) {
			consider(e)
		}
	}
	for i := range v.Records {
		if r := &v.Records[i]; compatible(q.Schema, r.Schema) {
			e := ix.prepare(*r, ix.lookupPart, false)
			total, bestIdx := ix.scoreEntry(s, &e, &qc, need)
			if bestIdx >= 0 && total >= opt.Threshold {
				hits = append(hits, hit{&e, total, bestIdx})
				need = max(opt.Threshold, kth(hits))
			}
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.e.id, b.e.id)
	})
	if len(hits) > opt.Limit {
		hits = hits[:opt.Limit]
	}
	out := make([]Match, 0, len(hits))
	for _, h := range hits {
		out = append(out, ix.result(s, h.e, h.score, h.name, &qc))
	}
	return out, split
}

// Score scores q against r, which need not be in the index (or may be in
// it in another form, e.g. restricted to what one viewer may see), using
// the index's statistics (part document frequencies) exactly as Match
// does. ok is false when the schemas are incompatible, no name matches, or
// the score is below opt.Threshold (0 means DefaultThreshold). The index is
// not modified.
func (ix *Index) Score(q Query, r Record, opt Options) (Match, bool) {
	if opt.Threshold <= 0 {
		opt.Threshold = DefaultThreshold
	}
	if !compatible(q.Schema, r.Schema) {
		return Match{}, false
	}
	q.Name = normalize.Clean(q.Name)
	if names, tr := readingsOf(q.Name, q.Schema); len(names) > 1 {
		var best Match
		found := false
		for i, n := range names {
			qn := q
			qn.Name = n
			qn.translated = i >= len(names)-tr
			if m, ok := ix.score(qn, r, opt); ok && (!found || m.Score > best.Score) {
				best, found = m, true
			}
		}
		return best, found
	}
	return ix.score(q, r, opt)
}

// score is Score for one reading of the query name; a part in Arabic
// script that splitJoined cut is tried whole too, as match does.
func (ix *Index) score(q Query, r Record, opt Options) (Match, bool) {
	m, ok, split := ix.scoreOnce(q, r, opt, false)
	if split {
		if w, wok, _ := ix.scoreOnce(q, r, opt, true); wok && (!ok || w.Score > m.Score) {
			m, ok = w, true
		}
	}
	return m, ok
}

func (ix *Index) scoreOnce(q Query, r Record, opt Options, whole bool) (_ Match, ok, split bool) {
	defer ix.readLock()()
	e := ix.prepare(r, ix.lookupPart, false)
	s := ix.getScratch()
	defer ix.putScratch(s)
	s.whole = whole
	qc, ok := ix.prepQuery(s, q)
	s.whole = false
	if !ok {
		return Match{}, false, false
	}
	split = s.splitBare
	total, ni := ix.scoreEntry(s, &e, &qc, opt.Threshold)
	if ni < 0 || total < opt.Threshold {
		return Match{}, false, split
	}
	return ix.result(s, &e, total, ni, &qc), true, split
}

// nearName reports whether a part of n is near a query part (or unknown
// to the index): a name with none scores 0.
func (s *scratch) nearName(n *name) bool {
	for i := range n.parts {
		if p := &n.parts[i]; p.unknown || s.nearMask(p.key) != 0 {
			return true
		}
	}
	return false
}

// compareName compares the prepared query parts with record name n, whose
// parts recordParts prepared as r.
func (ix *Index) compareName(s *scratch, n *name, r []score.Part, org bool) float64 {
	res := score.CompareNamesMemo(s.sp, r, s.pairs, org, &s.memo)
	s.pairs = res.Pairs
	return res.Score * nameFactor(n, s.translated)
}

// nameFactor is the discount of a match on record name n: a weak alias's,
// or a translated reading's on either side (q says the query's reading is
// one), else 1.
func nameFactor(n *name, q bool) float64 {
	switch {
	case n.weak:
		return weakNameFactor
	case n.translated || q:
		return translatedFactor
	}
	return 1
}

// kindWeight adjusts a part's rarity weight w by its kind: a legal form
// weighs little whatever its rarity (its absence on one side costs little),
// an organisation symbol or an initial less than a name, a patronymic or
// particle-like part half.
func kindWeight(w float64, k normalize.Kind, weak bool) float64 {
	switch k {
	case normalize.KindLegal:
		return 0.1
	case normalize.KindSymbol:
		w *= 0.5
	case normalize.KindInitial:
		w *= 0.3
	case normalize.KindTitle:
		return titleWeight
	}
	if weak {
		w *= 0.5
	}
	return w
}

// titleWeight is the weight of a title kept as a part (Sheikh Omar).
const titleWeight = 0.15

// rankNeed is the need at or below which scoreEntry compares a record's
// first name without asking its bounds (see there).
const rankNeed = 1e-6

// nameNeed returns a name score below which a name cannot bring a record
// with qualifiers adj to a total of need: clamp01(combine(p, adj)) >= need
// implies p >= nameNeed(need, adj), so that the bound's test compares the
// name score with it rather than working out combine (a logarithm and an
// exponential) for every bound. The inverse of combine is taken a little
// low (nameNeedSlack, far above the rounding of either way of working it
// out), so the test lets through every name the exact one would, and a
// few more at the edge, which the comparison then scores.
//
// An agreeing qualifier that lifts only a name reaching liftFloor (q.lift,
// see combine) makes combine step up there: below liftFloor a name needs
// the inverse without the lift, at liftFloor or above the inverse with it.
func nameNeed(need float64, q qual) float64 {
	t := nameNeedAdj(need, q.adj)
	if q.lift == 0 || t >= liftFloor {
		// Without the lift a name needs more still (at least t), so no
		// name below liftFloor reaches need when t is at or above it.
		return t
	}
	// A name from liftFloor up reaches need (it is above t, with the lift);
	// below liftFloor it needs the inverse without the lift.
	return min(nameNeedAdj(need, q.adj-q.lift), liftFloor)
}

// nameNeedAdj is nameNeed for combine's log-odds adjustment adj applied to
// every name score.
func nameNeedAdj(need, adj float64) float64 {
	switch {
	case need <= 0:
		return 0
	case adj == 0:
		return need // combine(p, 0) is p
	case need >= 1:
		return 0 // only a logistic rounded to 1 reaches it: let all through
	}
	// combine clamps p into [1e-4, 0.995], then takes the logistic of its
	// log-odds plus adj: it reaches need when the clamped p reaches t.
	t := 1/(1+math.Exp(-(math.Log(need/(1-need))-adj))) - nameNeedSlack
	if t <= 1e-4 || t > 0.995 {
		// Every name reaches it (the clamp's floor does), or, above the
		// clamp's ceiling, scoreEntry has ruled the record out already
		// (a perfect name cannot reach need): let all through.
		return 0
	}
	return t
}

// nameNeedSlack is how far below the exact inverse nameNeed answers.
const nameNeedSlack = 1e-9

// weakNameFactor discounts matches on low-quality aliases.
const weakNameFactor = 0.92

// translatedFactor discounts matches on an organisation's name translated
// (orgtranslate.go): its words stand for one rendering of several (مقاتلة
// is fighting or combatant, اتحاد union or federation) and are the
// generic words of such names, so a translation is weaker evidence than a
// spelling of the same words, though stronger than a weak alias.
const translatedFactor = 0.97

func (ix *Index) recordParts(s *scratch, e *entry, n *name, logN float64) []score.Part {
	s.rp = s.rp[:0]
	for i := range n.parts {
		p := &n.parts[i]
		skel := ix.skel(e, p)
		df := 0
		switch {
		case ix.stats != nil:
			df = ix.stats.dfOf(skel)
		case !p.unknown:
			df = ix.df(p.key)
		}
		w := kindWeight(partWeight(df, logN), p.kind, p.weak)
		far := uint32(0)
		if !p.unknown {
			far = ^s.nearMask(p.key)
		}
		s.rp = append(s.rp, score.Part{Text: ix.text(e, p), Skel: skel, Weight: w, Far: far, Bare: p.bare, Kind: p.kind, Chain: p.chain, Family: p.family(), Article: p.article(), ID: memoID(p), JoinLen: p.jlen, Term: ix.term(e, p)})
	}
	return s.rp
}

// candidates fills s.cands with the best-credited record slots. Query parts
// are taken rarest first; each credits the records that carry its
// skeleton (weight 1) or a one-deletion neighbour (nearWeight), scaled by
// the part's rarity. Once scanBudget postings have been read, remaining
// (common) parts only credit records already found, by binary search; if
// no record has been found by then, the rarest common part's postings are
// scanned up to the budget and the others probed.
func (ix *Index) candidates(s *scratch) {
	if s.epoch > math.MaxUint32-uint32(len(s.qparts))-2 {
		clear(s.st) // epochs wrapped
		s.epoch = 0
	}
	s.touched = s.touched[:0]
	s.probes = s.probes[:0]
	order := s.order[:0]
	for i := range s.qparts {
		order = append(order, i)
	}
	s.order = order
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(s.qparts[a].df, s.qparts[b].df) })
	logN := math.Log(float64(ix.live) + 2)
	budget := scanBudget
	base := s.epoch
	for oi, i := range order {
		qp := &s.qparts[i]
		if !qp.known && len(qp.skel) < 3 {
			continue
		}
		w := float32(partWeight(qp.df, logN))
		if qp.kind == kindSplit {
			w *= splitWeight // half of a split: weaker evidence
		}
		lists, ws := s.lists[:0], s.ws[:0]
		if qp.known {
			lists = append(lists, ix.keys.Exact(qp.key), ix.keys.Near(qp.key))
			ws = append(ws, w, w*nearWeight)
		}
		if qp.hasAlt {
			lists = append(lists, ix.keys.Exact(qp.alt))
			ws = append(ws, w*altWeight)
		}
		if len(qp.skel) >= 3 && qp.kind != kindText {
			keys.DeletesIn(&s.del, qp.skel, func(d []byte) {
				if id, ok := ix.keys.Lookup(d); ok {
					lists = append(lists, ix.keys.Exact(id))
					ws = append(ws, w*nearWeight)
					if qp.df == 0 {
						// Substitutions only for parts no record spells
						// this way (typos): known parts have enough.
						lists = append(lists, ix.keys.Near(id))
						ws = append(ws, w*nearWeight*0.8)
					}
				}
			})
		}
		// Lists are taken best first while the budget lasts; an exact list
		// over budget is probed instead (credit records already found).
		s.lists, s.ws = lists, ws // keep what they grew to
		partStamp := base + uint32(oi) + 1
		for li, l := range lists {
			if len(l) > budget && !(li == 0 && len(s.touched) == 0) {
				if li == 0 && qp.known {
					s.probes = append(s.probes, probeReq{l, w})
				}
				continue
			}
			if len(l) > scanBudget {
				l = l[:scanBudget] // bounded even for the rarest common part
			}
			budget -= len(l)
			for _, d := range l {
				ss := &s.st[d]
				if ss.stamp > base && ss.stamp <= partStamp {
					if ss.stamp == partStamp {
						continue // already credited for this part
					}
				} else {
					ss.acc = 0
					s.touched = append(s.touched, d)
				}
				ss.stamp = partStamp
				ss.acc += ws[li]
			}
		}
	}
	// Probes run once every list has been scanned, so that they credit all
	// records found.
	for _, p := range s.probes {
		ix.probe(s, p.list, p.w, base)
	}
	s.epoch = base + uint32(len(s.qparts)) + 1
	// Among equally credited records prefer those with short names, which
	// the query covers best ("Saleh" finds the record whose alias is Saleh).
	for _, d := range s.touched {
		m := ix.meta[d]
		if m == 0 {
			s.st[d].acc = -1 // removed or replaced: never a candidate
			continue
		}
		s.st[d].acc -= 0.001 * float32(m)
	}
	k := maxCandidates
	if len(s.qparts) > 0 && s.qparts[0].bare {
		k = maxCandBare // spellings guessed without short vowels: credit is rougher
	}
	if ix.live > largeIndex {
		k *= 2 // more near neighbours of a common name compete
	}
	s.cands = topK(s.cands[:0], s.touched, s.st, k)
}

// probe credits the records already found that are in list ex: by
// walking ex when it is short, else by binary search for each found record.
func (ix *Index) probe(s *scratch, ex []uint32, w float32, base uint32) {
	if len(ex) < 8*len(s.touched) {
		for _, d := range ex {
			if s.st[d].stamp > base {
				s.st[d].acc += w
			}
		}
		return
	}
	for _, d := range s.touched {
		if index.Contains(ex, d) {
			s.st[d].acc += w
		}
	}
}

// topK keeps the k best-credited slots (ties by slot) with a bounded
// min-heap, then sorts them best first.
func topK(h []cand, touched []uint32, st []slotState, k int) []cand {
	less := func(a, b cand) bool { // a worse than b
		return a.acc < b.acc || a.acc == b.acc && a.slot > b.slot
	}
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			if r := l + 1; r < len(h) && less(h[r], h[l]) {
				l = r
			}
			if !less(h[l], h[i]) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for _, d := range touched {
		c := cand{d, st[d].acc}
		if len(h) < k {
			h = append(h, c)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !less(h[i], h[p]) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
			continue
		}
		if less(h[0], c) {
			h[0] = c
			down(0)
		}
	}
	slices.SortFunc(h, func(a, b cand) int {
		if c := cmp.Compare(b.acc, a.acc); c != 0 {
			return c
		}
		return cmp.Compare(a.slot, b.slot)
	})
	return h
}

func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// appendNameTokens appends the tokens of a name of schema s: an
// organisation's (orgRecord) with its misspelt organisation words read as
// table words wherever they stand, a person's without legal forms. Records and queries both go through it,
// so that both sides of a comparison are read alike.
func appendNameTokens(dst []normalize.Token, name, schema string) []normalize.Token {
	if orgRecord(schema) {
		return normalize.AppendOrgTokens(dst, name)
	}
	if schema == "Person" {
		return normalize.AppendPersonTokens(dst, name)
	}
	return normalize.AppendTokens(dst, name)
}
