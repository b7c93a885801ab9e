package match

// nearSet holds, for the prepared query, the keys near its parts (within
// one edit of a part's skeleton, see markNear) with the mask of the parts
// near each: an open-addressing table of the few hundred keys a query
// marks, which stays in cache while every part of every candidate's names
// is looked up in it (an array indexed by key, as large as the index's
// key space, would miss the cache on most look-ups).
type nearSet struct {
	tab   []nearSlot // a power of two long
	n     int        // slots used in this epoch
	epoch uint32
}

type nearSlot struct{ key, epoch, mask uint32 }

// nearSetMin is the table's first size; it doubles when half full.
const nearSetMin = 256

// reset forgets every key (in constant time).
func (t *nearSet) reset() {
	if len(t.tab) == 0 {
		t.tab = make([]nearSlot, nearSetMin)
	}
	t.epoch++
	t.n = 0
	if t.epoch == 0 { // wrapped: stamps of old epochs could match again
		clear(t.tab)
		t.epoch = 1
	}
}

func (t *nearSet) slot(k uint32) *nearSlot {
	mask := uint32(len(t.tab) - 1)
	h := k * 0x9e3779b1
	for i := (h ^ h>>15) & mask; ; i = (i + 1) & mask {
		if s := &t.tab[i]; s.epoch != t.epoch || s.key == k {
			return s
		}
	}
}

// mark adds bits to key k's mask.
func (t *nearSet) mark(k, bits uint32) {
	s := t.slot(k)
	if s.epoch == t.epoch {
		s.mask |= bits
		return
	}
	if 2*(t.n+1) > len(t.tab) {
		t.grow()
		s = t.slot(k)
	}
	*s = nearSlot{key: k, epoch: t.epoch, mask: bits}
	t.n++
}

// get returns key k's mask (0 when no query part is near it).
func (t *nearSet) get(k uint32) uint32 {
	if s := t.slot(k); s.epoch == t.epoch {
		return s.mask
	}
	return 0
}

// grow doubles the table, keeping this epoch's keys.
func (t *nearSet) grow() {
	old := t.tab
	t.tab = make([]nearSlot, 2*len(old))
	for _, s := range old {
		if s.epoch == t.epoch {
			*t.slot(s.key) = s
		}
	}
}
