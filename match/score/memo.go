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
// A Memo is valid for one query's parts: call Reset whenever they change.
// It is not safe for concurrent use (keep one per goroutine's scratch).
type Memo struct {
	tab   []memoSlot // open addressing, a power of two long
	n     int        // slots used in this epoch
	epoch uint32
	// Skeletons of two neighbouring parts written together (NameBound):
	// the query's by place, records' by their parts' ids, in arena.
	qjoin   [16][2]uint32 // offset and length+1 in arena; 0 not yet
	joins   []memoSlot    // key idA<<32|idB, sim unused, epoch; value in off
	joinOff []uint32      // per joins slot: offset<<8 | length
	joinN   int
	arena   []byte
}

type memoSlot struct {
	key   uint64
	epoch uint32
	sim   float64
}

// The table starts at memoMinSlots and doubles when half full, up to
// memoMaxSlots (1.5 MB): past it similarities are worked out every time.
const (
	memoMinSlots = 1 << 10
	memoMaxSlots = 1 << 16
)

// Reset forgets every similarity (in constant time).
func (m *Memo) Reset() {
	m.epoch++
	m.n, m.joinN = 0, 0
	m.qjoin = [16][2]uint32{}
	m.arena = m.arena[:0]
	if m.epoch == 0 { // wrapped: stamps of old epochs could match again
		clear(m.tab)
		clear(m.joins)
		m.epoch = 1
	}
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
	if m == nil || m.epoch == 0 || len(m.arena) > memoMaxArena {
		return compute()
	}
	if query {
		if e := m.qjoin[k]; e[1] != 0 {
			return m.arena[e[0] : e[0]+e[1]-1]
		}
		sk := compute()
		m.qjoin[k] = [2]uint32{uint32(len(m.arena)), uint32(len(sk)) + 1}
		m.arena = append(m.arena, sk...)
		return sk
	}
	a, b := x[k].ID, x[k+1].ID
	if a == 0 || b == 0 {
		return compute()
	}
	if len(m.joins) == 0 {
		m.joins = make([]memoSlot, memoMinSlots)
		m.joinOff = make([]uint32, memoMinSlots)
	}
	key := uint64(a)<<32 | uint64(b)
	mask := uint64(len(m.joins) - 1)
	i := key * 0x9e3779b97f4a7c15 >> 40 & mask
	for ; m.joins[i].epoch == m.epoch; i = (i + 1) & mask {
		if m.joins[i].key == key {
			o := m.joinOff[i]
			return m.arena[o>>8 : o>>8+o&0xff]
		}
	}
	sk := compute()
	if 2*(m.joinN+1) > len(m.joins) || len(sk) > 0xff {
		return sk // full: worked out every time
	}
	m.joins[i] = memoSlot{key: key, epoch: m.epoch}
	m.joinOff[i] = uint32(len(m.arena))<<8 | uint32(len(sk))
	m.joinN++
	m.arena = append(m.arena, sk...)
	return sk
}

// memoMaxArena bounds the joined skeletons kept per query.
const memoMaxArena = 1 << 20

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
// when it was worked out before in this query.
func (m *Memo) sim(q *Part, qi int, r *Part, bare bool) float64 {
	if m == nil || r.ID == 0 || m.epoch == 0 {
		return partSim(q.Text, q.Skel, r.Text, r.Skel, bare)
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
