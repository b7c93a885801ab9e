package index

import (
	"math"
	"math/bits"
	"runtime"
	"sync"

	"concord/media/pdq"
)

// tables are the sub-string tables over the hashes with ids below n.
type tables struct {
	n     uint32
	parts []part
}

// part is one sub-string: bits [off, off+width) of the hash read as one
// 256-bit big-endian number, and, for each of its 2^width values v, the
// entries ents[starts[v]:starts[v+1]] of the hashes having it.
//
// Each entry carries, beside the id, 96 other bits of its hash (bits
// [fp, fp+96), disjoint from the part): a hash found by probing value v
// is at least popcount(v ^ q_i) + popcount(fingerprint ^ q's) bits from
// the query, so most candidates are refused from the entry itself, read
// in sequence with its neighbours, without a random load of their hash.
type part struct {
	off, width uint
	fp         uint
	starts     []uint32
	ents       []entry
}

type entry struct {
	id uint32
	fp [3]uint32
}

// layout splits 256 bits into m parts, the first 256 mod m one bit wider,
// each with the 96 bits after it (or before it, near the end) as its
// fingerprint.
func layout(m int) []part {
	ps := make([]part, m)
	w, extra := 256/m, 256%m
	off := 0
	for i := range ps {
		ps[i].off = uint(off)
		ps[i].width = uint(w)
		if i < extra {
			ps[i].width++
		}
		off += int(ps[i].width)
		if end := ps[i].off + ps[i].width; end+96 <= 256 {
			ps[i].fp = end
		} else {
			ps[i].fp = ps[i].off - 96
		}
	}
	return ps
}

// sub reads bits [off, off+w) of h, w ≤ 32, off+w ≤ 256.
func sub(h *pdq.Hash, off, w uint) uint32 {
	i, s := off>>6, off&63
	x := h[i] << s
	if s+w > 64 {
		x |= h[i+1] >> (64 - s)
	}
	return uint32(x >> (64 - w))
}

func fingerprint(h *pdq.Hash, off uint) [3]uint32 {
	return [3]uint32{sub(h, off, 32), sub(h, off+32, 32), sub(h, off+64, 32)}
}

// Cost model of a lookup, in units of one random memory access: a probe
// reads its bucket bounds and the start of its entries (two), an entry
// read in sequence costs a tenth.
const (
	probeCost = 2.0
	entryCost = 0.1
)

// maxBytesPerHash bounds the memory of the tables: 16 bytes an entry in
// each part, plus the bucket bounds.
const maxBytesPerHash = 320

// ChooseParts is the number of sub-strings for n hashes: the one with the
// least estimated work at the default radius among those whose tables take
// at most maxBytesPerHash bytes a hash (beyond a fixed 16 MiB).
func ChooseParts(n int) int {
	best, bestCost := 16, math.Inf(1)
	for m := 11; m <= 16; m++ {
		ps := layout(m)
		mem := float64(16 * m * n)
		for _, p := range ps {
			mem += 4 * math.Ldexp(1, int(p.width))
		}
		if mem > maxBytesPerHash*float64(n)+(16<<20) {
			continue
		}
		probes, cands := estimate(ps, pdq.DefaultRadius, n)
		if c := probeCost*probes + entryCost*cands; c < bestCost {
			best, bestCost = m, c
		}
	}
	return best
}

// estimate is the number of probes and of candidates a lookup at radius r
// makes among n uniformly spread hashes.
func estimate(ps []part, r, n int) (probes, cands float64) {
	m := len(ps)
	q, a := r/m, r%m
	for i, p := range ps {
		t := q
		if i > a {
			t = q - 1
		}
		if t < 0 {
			continue
		}
		var c float64
		for k := 0; k <= min(t, int(p.width)); k++ {
			c += binom(int(p.width), k)
		}
		probes += c
		cands += c * float64(n) / math.Ldexp(1, int(p.width))
	}
	return probes, cands
}

func binom(n, k int) float64 {
	r := 1.0
	for i := range k {
		r = r * float64(n-i) / float64(i+1)
	}
	return r
}

// worthProbing tells whether the tables beat a scan of n hashes at radius
// r (a scan reads each hash in sequence, a tenth of a random access): at
// large radii the probes outnumber the hashes.
func (t *tables) worthProbing(r, n int) bool {
	probes, cands := estimate(t.parts, r, n)
	return probeCost*probes+entryCost*cands < 0.1*float64(n)
}

// buildTables builds the tables over hs (ids 0..len-1), leaving out the ids
// whose bit is set in del (nil: none), by a counting sort per part, the
// parts on as many goroutines as there are CPUs.
func buildTables(hs []pdq.Hash, del []uint64, m int) *tables {
	t := &tables{n: uint32(len(hs)), parts: layout(m)}
	live := len(hs)
	if del != nil {
		live = 0
		for id := range hs {
			if del[id/64]>>(id%64)&1 == 0 {
				live++
			}
		}
	}
	next := make(chan int, len(t.parts))
	for i := range t.parts {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(t.parts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				t.parts[i].build(hs, del, live)
			}
		}()
	}
	wg.Wait()
	return t
}

func (p *part) build(hs []pdq.Hash, del []uint64, live int) {
	starts := make([]uint32, (1<<p.width)+1)
	for id := range hs {
		if del == nil || del[id/64]>>(id%64)&1 == 0 {
			starts[sub(&hs[id], p.off, p.width)+1]++
		}
	}
	for v := 1; v < len(starts); v++ {
		starts[v] += starts[v-1]
	}
	ents := make([]entry, live)
	fill := make([]uint32, 1<<p.width)
	copy(fill, starts[:len(starts)-1])
	for id := range hs {
		if del == nil || del[id/64]>>(id%64)&1 == 0 {
			h := &hs[id]
			v := sub(h, p.off, p.width)
			ents[fill[v]] = entry{id: uint32(id), fp: fingerprint(h, p.fp)}
			fill[v]++
		}
	}
	p.starts, p.ents = starts, ents
}

// lookup appends the matches among the tabled hashes. Part i is probed
// with every value within t_i bits of the query's sub-string; a hash found
// there is reported only if no earlier part would have found it, so each
// match comes once.
func (t *tables) lookup(x *Index, q pdq.Hash, r int, dst []Match) []Match {
	m := len(t.parts)
	qa, a := r/m, r%m
	var qs [32]uint32
	var radii [32]int
	for i := range t.parts {
		p := &t.parts[i]
		qs[i] = sub(&q, p.off, p.width)
		radii[i] = qa
		if i > a {
			radii[i] = qa - 1
		}
	}
	hs := x.hashes
	for i := range t.parts {
		p := &t.parts[i]
		ti := radii[i]
		if ti < 0 {
			continue
		}
		qf := fingerprint(&q, p.fp)
		// Probe the query's value, then every value with k of its bits
		// flipped, k = 1..ti (the k-subsets in Gosper's order).
		v := qs[i]
		limit := uint64(1) << p.width
		for k := 0; k <= ti && k <= int(p.width); k++ {
			rest := r - k // what the bits outside the part may still differ by
			for mask := uint64(1)<<k - 1; mask < limit; {
				probe := v ^ uint32(mask)
				for e := range p.ents[p.starts[probe]:p.starts[probe+1]] {
					en := &p.ents[int(p.starts[probe])+e]
					if bits.OnesCount32(en.fp[0]^qf[0])+bits.OnesCount32(en.fp[1]^qf[1])+bits.OnesCount32(en.fp[2]^qf[2]) > rest {
						continue
					}
					h := &hs[en.id]
					d := bits.OnesCount64(h[0]^q[0]) + bits.OnesCount64(h[1]^q[1]) + bits.OnesCount64(h[2]^q[2]) + bits.OnesCount64(h[3]^q[3])
					if d > r || x.isDeleted(en.id) || foundBefore(t.parts[:i], h, &qs, &radii) {
						continue
					}
					dst = append(dst, Match{ID: en.id, Distance: d})
				}
				if mask == 0 {
					break
				}
				c := mask & -mask
				n := mask + c
				mask = ((n^mask)>>2)/c | n
			}
		}
	}
	return dst
}

// foundBefore tells whether one of the parts before this one, probed at
// its radius, finds h.
func foundBefore(ps []part, h *pdq.Hash, qs *[32]uint32, radii *[32]int) bool {
	for j := range ps {
		if radii[j] >= 0 && bits.OnesCount32(sub(h, ps[j].off, ps[j].width)^qs[j]) <= radii[j] {
			return true
		}
	}
	return false
}

// neighbours calls fn with every w-bit value within t bits of v (the
// enumeration lookup makes, kept for its test).
func neighbours(v uint32, w uint, t int, fn func(uint32)) {
	fn(v)
	limit := uint64(1) << w
	for k := 1; k <= t && k <= int(w); k++ {
		for mask := uint64(1)<<k - 1; mask < limit; {
			fn(v ^ uint32(mask))
			c := mask & -mask
			r := mask + c
			mask = ((r^mask)>>2)/c | r
		}
	}
}
