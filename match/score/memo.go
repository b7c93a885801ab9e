package score

import "concord/match/keys"

// Memo remembers part similarities within one query: the candidates of a
// query share most of their parts (MOHAMMED, AL, ABU…, and the aliases of
// one record each other's), so the phonetic edit cost of a (query part,
// record part) pair is worked out once per query rather than once per
// name compared. A record part is known by its Part.ID (the caller's id of
// its canonical text; 0 is not remembered), a query part by its place in
// the query.
//
// A query part that has an ID from QueryID (the memo's own number for its
// text) is remembered by its text instead, from query to query: a part
// pair's similarity depends on the two texts only (and on whether either
// is bare), and a stream of payments or travellers repeats the same given
// and family names against the same record parts thousands of times.
//
// A Memo is valid for one query's parts: call Reset whenever they change.
// What it keeps by texts (query texts' similarities, record parts' joined
// skeletons) outlives Reset, so the record ids must name the same texts
// in every query (one index's ids). It is not safe for concurrent use
// (keep one per goroutine's scratch).
type Memo struct {
	tab   []memoSlot // open addressing, a power of two long
	n     int        // slots used in this epoch
	epoch uint32
	// Skeletons of two neighbouring parts written together (NameBound):
	// the query's by place in qarena, for one query; records' by their
	// parts' ids in jarena, for every query (they do not depend on it).
	qjoin  [16][2]uint32 // offset and length+1 in qarena; 0 not yet
	qarena []byte
	joins  []joinSlot // open addressing, a power of two long; key 0 free
	joinN  int
	jarena []byte
	// Similarities by texts, for every query: query texts numbered by
	// QueryID in qids, pairs in texts (open addressing, a power of two
	// long; key 0 free).
	qids  map[string]uint32
	texts []textSlot
	textN int
}

// textSlot is the similarity of a query text and a record part: key
// queryID<<33 | bare<<32 | record part ID.
type textSlot struct {
	key uint64
	sim float64
}

// joinSlot is the skeleton of two record parts joined: key idA<<32|idB,
// the skeleton at jarena[off:off+n].
type joinSlot struct {
	key uint64
	off uint32
	n   uint8
}

type memoSlot struct {
	key   uint64
	epoch uint32
	sim   float64
}

// The table starts at memoMinSlots and doubles when half full, up to
// memoMaxSlots (1.5 MB): past it similarities are worked out every time.
// The joined skeletons of record parts likewise up to joinMaxSlots (about
// 1.5 MB with their bytes), then start again empty.
//
// The similarities by texts go up to textMaxSlots (2 MB) for at most
// maxQueryTexts query texts; when either is reached, the next Reset
// starts them again empty.
const (
	memoMinSlots  = 1 << 10
	memoMaxSlots  = 1 << 16
	joinMaxSlots  = 1 << 16
	textMaxSlots  = 1 << 17
	maxQueryTexts = 1 << 14
)

// Reset forgets every similarity and the query's joined skeletons (in
// constant time).
func (m *Memo) Reset() {
	m.epoch++
	m.n = 0
	m.qjoin = [16][2]uint32{}
	m.qarena = m.qarena[:0]
	if m.epoch == 0 { // wrapped: stamps of old epochs could match again
		clear(m.tab)
		m.epoch = 1
	}
	if len(m.qids) >= maxQueryTexts || 2*(m.textN+1) > textMaxSlots {
		// Full: start again (between queries, so that no part of the
		// query being prepared holds an id of the texts forgotten).
		clear(m.qids)
		clear(m.texts)
		m.textN = 0
	}
}

// QueryID returns the memo's id of a query part's text, for Part.ID of
// the query's parts (after Reset): similarities are then remembered by
// the two texts, for every query. 0 (no id) once maxQueryTexts texts have
// ids, until Reset starts again.
func (m *Memo) QueryID(text string) uint32 {
	if id, ok := m.qids[text]; ok {
		return id
	}
	if len(m.qids) >= maxQueryTexts {
		return 0
	}
	if m.qids == nil {
		m.qids = make(map[string]uint32)
	}
	id := uint32(len(m.qids) + 1)
	m.qids[text] = id
	return id
}

// joinSkel returns the skeleton of parts x[k] and x[k+1] written
// together; query says x is the query (remembered by place), else a
// record name (remembered by its parts' ids when both have one).
func (m *Memo) joinSkel(x []Part, k int, query bool, buf []byte) []byte {
	compute := func() []byte {
		var t [128]byte
		j := append(append(t[:0], x[k].Text...), x[k+1].Text...)
		return keys.AppendSkeleton(buf[:0], string(j))
	}
	if m == nil || m.epoch == 0 {
		return compute()
	}
	if query {
		if e := m.qjoin[k]; e[1] != 0 {
			return m.qarena[e[0] : e[0]+e[1]-1]
		}
		sk := compute()
		m.qjoin[k] = [2]uint32{uint32(len(m.qarena)), uint32(len(sk)) + 1}
		m.qarena = append(m.qarena, sk...)
		return sk
	}
	a, b := x[k].ID, x[k+1].ID
	if a == 0 || b == 0 {
		return compute()
	}
	key := uint64(a)<<32 | uint64(b)
	if s := m.findJoin(key); s != nil && s.key == key {
		return m.jarena[s.off : s.off+uint32(s.n)]
	}
	sk := compute()
	if len(sk) > 0xff {
		return sk
	}
	if 2*(m.joinN+1) > len(m.joins) {
		m.growJoins()
	}
	*m.findJoin(key) = joinSlot{key: key, off: uint32(len(m.jarena)), n: uint8(len(sk))}
	m.joinN++
	m.jarena = append(m.jarena, sk...)
	return sk
}

// findJoin returns key's slot of joins, or the free slot where it goes
// (nil when there is no table yet).
func (m *Memo) findJoin(key uint64) *joinSlot {
	if len(m.joins) == 0 {
		return nil
	}
	mask := uint64(len(m.joins) - 1)
	for i := key * 0x9e3779b97f4a7c15 >> 40 & mask; ; i = (i + 1) & mask {
		if s := &m.joins[i]; s.key == 0 || s.key == key {
			return s
		}
	}
}

// growJoins doubles the table of record parts' joined skeletons, or, at
// joinMaxSlots, starts it again empty (with fresh bytes: skeletons handed
// out before stay as they were).
func (m *Memo) growJoins() {
	old := m.joins
	switch {
	case len(old) == 0:
		m.joins = make([]joinSlot, memoMinSlots)
		return
	case len(old) >= joinMaxSlots:
		clear(m.joins)
		m.joinN = 0
		m.jarena = make([]byte, 0, cap(m.jarena))
		return
	}
	m.joins = make([]joinSlot, 2*len(old))
	for _, s := range old {
		if s.key != 0 {
			*m.findJoin(s.key) = s
		}
	}
}

func memoKey(qi int, id uint32, bare bool) uint64 {
	k := uint64(qi)<<33 | uint64(id)
	if bare {
		k |= 1 << 32
	}
	return k
}

func (m *Memo) find(key uint64) *memoSlot {
	mask := uint64(len(m.tab) - 1)
	h := key * 0x9e3779b97f4a7c15
	for i := h >> 40 & mask; ; i = (i + 1) & mask {
		s := &m.tab[i]
		if s.epoch != m.epoch || s.key == key {
			return s
		}
	}
}

// sim returns partSim of query part qi and record part r, from the memo
// when it was worked out before: for the two texts in any query when q
// has an ID (QueryID), else in this query.
func (m *Memo) sim(q *Part, qi int, r *Part, bare bool) float64 {
	if m == nil || r.ID == 0 || m.epoch == 0 {
		return partSim(q.Text, q.Skel, r.Text, r.Skel, bare)
	}
	if q.ID != 0 {
		return m.textSim(q, r, bare)
	}
	key := memoKey(qi, r.ID, bare)
	if len(m.tab) == 0 {
		m.tab = make([]memoSlot, memoMinSlots)
	}
	s := m.find(key)
	if s.epoch == m.epoch {
		return s.sim
	}
	v := partSim(q.Text, q.Skel, r.Text, r.Skel, bare)
	if 2*(m.n+1) > len(m.tab) {
		if len(m.tab) >= memoMaxSlots {
			return v
		}
		m.grow()
		s = m.find(key)
	}
	*s = memoSlot{key: key, epoch: m.epoch, sim: v}
	m.n++
	return v
}

// grow doubles the table, keeping this epoch's entries.
func (m *Memo) grow() {
	old := m.tab
	m.tab = make([]memoSlot, 2*len(old))
	for _, s := range old {
		if s.epoch == m.epoch {
			*m.find(s.key) = s
		}
	}
}

// textSim is sim for a query part with an ID: remembered by the two
// texts.
func (m *Memo) textSim(q, r *Part, bare bool) float64 {
	key := uint64(q.ID)<<33 | uint64(r.ID)
	if bare {
		key |= 1 << 32
	}
	if len(m.texts) == 0 {
		m.texts = make([]textSlot, memoMinSlots)
	}
	s := m.findText(key)
	if s.key == key {
		return s.sim
	}
	v := partSim(q.Text, q.Skel, r.Text, r.Skel, bare)
	if 2*(m.textN+1) > len(m.texts) {
		if len(m.texts) >= textMaxSlots {
			return v // full until the next Reset
		}
		old := m.texts
		m.texts = make([]textSlot, 2*len(old))
		for _, o := range old {
			if o.key != 0 {
				*m.findText(o.key) = o
			}
		}
		s = m.findText(key)
	}
	*s = textSlot{key: key, sim: v}
	m.textN++
	return v
}

// findText returns key's slot of texts, or the free slot where it goes.
func (m *Memo) findText(key uint64) *textSlot {
	mask := uint64(len(m.texts) - 1)
	for i := key * 0x9e3779b97f4a7c15 >> 40 & mask; ; i = (i + 1) & mask {
		if s := &m.texts[i]; s.key == 0 || s.key == key {
			return s
		}
	}
}
