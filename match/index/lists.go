package index

// lists holds one posting list per key, in two forms. Frozen lists (what a
// snapshot decodes into, or what Freeze packs) sit in groups of
// postingsGroup keys, each group one array of postings and the offsets of
// its keys' lists in it: 4 bytes a key and none per list. Lists written
// since (a build, or an upsert after a load) are their own slices, found
// through own, which exists only once one is written; a frozen list that
// changes is copied there first and its frozen space stays unused until
// the index is rebuilt or compacted.
//
// Per key that is 4 bytes frozen (8 with own), against the 24 of a slice
// header per key and list (three lists per key: 72 bytes) and the spare
// capacity of millions of small slices.
type lists struct {
	groups []group
	frozen int // keys the groups cover
	// own[k] is 1 + the place of key k's own list in mine, 0 when it has
	// none (nil until the first list is written).
	own  []uint32
	mine [][]uint32
}

// group is the frozen lists of postingsGroup keys (fewer in the last):
// key g*postingsGroup+i has flat[off[i]:off[i+1]].
type group struct {
	off  []uint32
	flat []uint32
}

// get returns key k's list (do not modify it).
func (l *lists) get(k uint32) []uint32 {
	if int(k) < len(l.own) {
		if i := l.own[k]; i != 0 {
			return l.mine[i-1]
		}
	}
	if int(k) < l.frozen {
		g := &l.groups[k/postingsGroup]
		i := k % postingsGroup
		a, b := g.off[i], g.off[i+1]
		return g.flat[a:b:b]
	}
	return nil
}

// add appends doc to key k's list, of keys keys in all, unless the list
// ends with doc or a later one already.
func (l *lists) add(k, doc uint32, keys int) {
	p := l.get(k)
	if n := len(p); n > 0 && p[n-1] >= doc {
		return
	}
	l.set(k, append(p, doc), keys)
}

// set makes p key k's list (its own from now on).
func (l *lists) set(k uint32, p []uint32, keys int) {
	if len(l.own) < keys {
		l.own = append(l.own, make([]uint32, keys-len(l.own))...)
	}
	if i := l.own[k]; i != 0 {
		l.mine[i-1] = p
		return
	}
	l.mine = append(l.mine, p)
	l.own[k] = uint32(len(l.mine))
}

// size returns the number of postings of keys keys.
func (l *lists) size(keys int) (n int) {
	for k := range uint32(keys) {
		n += len(l.get(k))
	}
	return n
}

// freeze packs the lists of keys keys into groups, with no spare capacity
// and no slice per list; get returns the same lists after.
func (l *lists) freeze(keys int) {
	if l.own == nil && l.frozen == keys {
		return
	}
	var groups []group
	for g := 0; g < keys; g += postingsGroup {
		n := min(postingsGroup, keys-g)
		total := 0
		for k := range n {
			total += len(l.get(uint32(g + k)))
		}
		gr := group{off: make([]uint32, n+1), flat: make([]uint32, 0, total)}
		for k := range n {
			gr.flat = append(gr.flat, l.get(uint32(g+k))...)
			gr.off[k+1] = uint32(len(gr.flat))
		}
		groups = append(groups, gr)
	}
	*l = lists{groups: groups, frozen: keys}
}
