// Package index finds every PDQ hash within a Hamming radius of a query
// among millions, by multi-index hashing (Norouzi, Punjani and Fleet, "Fast
// Search in Hamming Space with Multi-Index Hashing", CVPR 2012): the 256
// bits are split into m disjoint sub-strings, each with a table from its
// value to the hashes that have it. If two hashes are within radius r, then
// by the pigeonhole principle, writing r = q·m + a, one of the first a+1
// sub-strings is within q bits or one of the others within q−1; so each
// table is probed with every value within its share of the radius, and
// each hash found is verified on all 256 bits by popcount. Nothing within
// the radius is missed (recall 1.0, tested against Scan, the brute-force
// popcount over every hash) and each match is reported once.
//
// Each table entry carries 96 more bits of its hash, so that most
// candidates are refused from the table itself, read in sequence, without
// a random memory access to their hash: memory goes to 16 bytes an entry
// a part (about 290 bytes a hash with 16 parts), lookups are cache misses
// fewer. The number of sub-strings follows the size of the index (16 of
// 16 bits up to a few million hashes, 14 of 18–19 bits for ten million),
// since the best split balances the probes against the entries each probe
// reads.
// Hashes added after a build are scanned by brute force until there are
// enough of them to rebuild the tables, which happens without blocking
// queries. The package is pure: no I/O; a build runs its parts on all
// CPUs and returns when they are done.
package index

import (
	"fmt"
	"math/bits"
	"slices"
	"sync"

	"concord/media/pdq"
)

// Match is one indexed hash within the radius of a query.
type Match struct {
	ID       uint32 // the hash's id: its position in the order of Add
	Distance int
}

// Index holds PDQ hashes under dense ids (0, 1, 2… in the order added) and
// finds those within a radius of a query. It is safe for concurrent use:
// lookups run in parallel, additions and removals exclude each other.
type Index struct {
	mu         sync.RWMutex
	hashes     []pdq.Hash
	deleted    []uint64 // bit per id
	live       int
	base       *tables // built over ids < base.n; nil until there are enough
	rebuilding bool
	opts       Options
}

// Options tune an index; the zero value is right for most uses.
type Options struct {
	// Parts fixes the number of sub-strings (11..32: fewer would make tables
	// of 2^26 entries and more); 0 chooses it from the
	// number of hashes at each build.
	Parts int
	// MinTable is the number of hashes below which no tables are built and
	// every lookup scans (default 4096: a scan of that many is faster).
	MinTable int
}

// New returns an empty index.
func New(o Options) *Index {
	if o.MinTable <= 0 {
		o.MinTable = 4096
	}
	return &Index{opts: o}
}

// Build returns an index of hs, hs[i] under id i, with its tables built.
func Build(hs []pdq.Hash, o Options) *Index {
	x := New(o)
	x.hashes = slices.Clone(hs)
	x.deleted = make([]uint64, (len(hs)+63)/64)
	x.live = len(hs)
	if len(hs) >= x.opts.MinTable {
		x.base = buildTables(x.hashes, nil, x.parts(len(hs)))
	}
	return x
}

// Len is the number of hashes in the index, removed ones not counted.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.live
}

// Hash returns the hash under id and whether it is there (not removed).
func (x *Index) Hash(id uint32) (pdq.Hash, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if int(id) >= len(x.hashes) || x.isDeleted(id) {
		return pdq.Hash{}, false
	}
	return x.hashes[id], true
}

// Add adds hashes and returns the id of the first (the others follow in
// order). When enough hashes have been added since the last build the
// tables are rebuilt by the caller of Add, while lookups go on.
func (x *Index) Add(hs ...pdq.Hash) uint32 {
	x.mu.Lock()
	first := uint32(len(x.hashes))
	x.hashes = append(x.hashes, hs...)
	for len(x.deleted)*64 < len(x.hashes) {
		x.deleted = append(x.deleted, 0)
	}
	x.live += len(hs)
	snap, del, parts, ok := x.needBuild()
	x.mu.Unlock()
	if ok {
		t := buildTables(snap, del, parts)
		x.mu.Lock()
		x.base, x.rebuilding = t, false
		x.mu.Unlock()
	}
	return first
}

// Remove takes the hash under id out of the index; its id is not reused.
// It reports whether the hash was there.
func (x *Index) Remove(id uint32) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if int(id) >= len(x.hashes) || x.isDeleted(id) {
		return false
	}
	x.deleted[id/64] |= 1 << (id % 64)
	x.live--
	return true
}

func (x *Index) isDeleted(id uint32) bool { return x.deleted[id/64]>>(id%64)&1 == 1 }

// tail is the number of hashes not in the tables.
func (x *Index) tail() int {
	if x.base == nil {
		return len(x.hashes)
	}
	return len(x.hashes) - int(x.base.n)
}

// needBuild decides, under the write lock, whether to rebuild, and if so
// takes what the build needs: the hashes so far (entries never change once
// added, so the slice can be read without the lock), and a copy of the
// removals.
func (x *Index) needBuild() ([]pdq.Hash, []uint64, int, bool) {
	n := len(x.hashes)
	if x.rebuilding || n < x.opts.MinTable {
		return nil, nil, 0, false
	}
	limit := min(max(n/128, 1024), 1<<16)
	if x.base != nil && x.tail() <= limit {
		return nil, nil, 0, false
	}
	x.rebuilding = true
	return x.hashes[:n:n], slices.Clone(x.deleted), x.parts(n), true
}

// Rebuild rebuilds the tables over every hash now in the index (removed
// ones left out), e.g. after a bulk of removals.
func (x *Index) Rebuild() {
	x.mu.Lock()
	if x.rebuilding {
		x.mu.Unlock()
		return
	}
	n := len(x.hashes)
	if n < x.opts.MinTable {
		x.base = nil
		x.mu.Unlock()
		return
	}
	x.rebuilding = true
	snap, del, parts := x.hashes[:n:n], slices.Clone(x.deleted), x.parts(n)
	x.mu.Unlock()
	t := buildTables(snap, del, parts)
	x.mu.Lock()
	x.base, x.rebuilding = t, false
	x.mu.Unlock()
}

func (x *Index) parts(n int) int {
	if x.opts.Parts > 0 {
		return min(max(x.opts.Parts, 11), 32)
	}
	return ChooseParts(n)
}

// Lookup appends to dst every hash within radius of q, in order of distance
// then id, and returns it. A radius below 0 finds nothing; one of 256 or
// more finds every hash.
func (x *Index) Lookup(q pdq.Hash, radius int, dst []Match) []Match {
	if radius < 0 {
		return dst
	}
	radius = min(radius, pdq.Bits)
	x.mu.RLock()
	start := len(dst)
	t := x.base
	if t == nil || !t.worthProbing(radius, len(x.hashes)) {
		dst = x.scan(q, radius, 0, len(x.hashes), dst)
	} else {
		dst = t.lookup(x, q, radius, dst)
		dst = x.scan(q, radius, int(t.n), len(x.hashes), dst)
	}
	x.mu.RUnlock()
	sortMatches(dst[start:])
	return dst
}

// Scan is Lookup by brute force: the popcount distance to every hash.
// It is what the tables are tested against.
func (x *Index) Scan(q pdq.Hash, radius int, dst []Match) []Match {
	if radius < 0 {
		return dst
	}
	x.mu.RLock()
	start := len(dst)
	dst = x.scan(q, radius, 0, len(x.hashes), dst)
	x.mu.RUnlock()
	sortMatches(dst[start:])
	return dst
}

func (x *Index) scan(q pdq.Hash, radius, from, to int, dst []Match) []Match {
	hs := x.hashes[from:to]
	for i := range hs {
		h := &hs[i]
		d := bits.OnesCount64(h[0]^q[0]) + bits.OnesCount64(h[1]^q[1]) + bits.OnesCount64(h[2]^q[2]) + bits.OnesCount64(h[3]^q[3])
		if d <= radius {
			id := uint32(from + i)
			if !x.isDeleted(id) {
				dst = append(dst, Match{ID: id, Distance: d})
			}
		}
	}
	return dst
}

func sortMatches(m []Match) {
	slices.SortFunc(m, func(a, b Match) int {
		if a.Distance != b.Distance {
			return a.Distance - b.Distance
		}
		return int(a.ID) - int(b.ID)
	})
}

// Stats describe an index.
type Stats struct {
	Hashes  int   `json:"hashes"`  // live hashes
	Removed int   `json:"removed"` // removed, still holding their id
	Tail    int   `json:"tail"`    // added since the last build, scanned
	Parts   int   `json:"parts"`   // sub-strings of the tables (0: no tables)
	Bytes   int64 `json:"bytes"`   // memory held by hashes and tables
}

// Stats returns the index's figures.
func (x *Index) Stats() Stats {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := Stats{Hashes: x.live, Removed: len(x.hashes) - x.live, Tail: x.tail()}
	s.Bytes = int64(cap(x.hashes))*32 + int64(cap(x.deleted))*8
	if x.base != nil {
		s.Parts = len(x.base.parts)
		for _, p := range x.base.parts {
			s.Bytes += int64(cap(p.starts))*4 + int64(cap(p.ents))*16
		}
	}
	return s
}

func (s Stats) String() string {
	return fmt.Sprintf("%d hashes (%d removed, %d not in tables), %d parts, %.1f MiB", s.Hashes, s.Removed, s.Tail, s.Parts, float64(s.Bytes)/(1<<20))
}
