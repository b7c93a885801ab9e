package graph

import (
	"errors"
	"fmt"
	"slices"

	"concord"
	"concord/internal/snapshot"
)

// ErrCorrupt is returned by DecodeIndex for an index that does not hold
// together (an edge to a node that is not there, a visibility out of
// range).
var ErrCorrupt = errors.New("network snapshot is corrupt")

// snapshotFormat is written first and changes whenever what follows does
// (above any count of visibilities a snapshot without it began with).
const snapshotFormat = 1<<17 + 2

// Encode writes the index, every fact with its visibility, so that
// DecodeIndex gives it back as it is (the maps are derived again, the
// edges removed by changes are left out).
func (ix *Index) Encode(e snapshot.Encoder) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	// Edge numbers without the removed ones.
	renum := make([]int32, len(ix.edges))
	dead := make([]bool, len(ix.edges))
	for _, i := range ix.free {
		dead[i] = true
	}
	live := int32(0)
	for i := range renum {
		renum[i] = live
		if !dead[i] {
			live++
		}
	}
	edges := func(es []int32) {
		e.Uvarint(uint64(len(es)))
		for _, a := range es {
			e.Uvarint(uint64(renum[a]))
		}
	}
	e.Uvarint(snapshotFormat)
	e.Uvarint(uint64(len(ix.vis)))
	for _, v := range ix.vis {
		e.String(v.contributedBy)
		e.String(string(v.audience))
		e.String(string(v.handling))
	}
	e.Uvarint(uint64(len(ix.nodes)))
	for i := range ix.nodes {
		n := &ix.nodes[i]
		e.String(n.id)
		e.String(n.schema)
		encodeNamed(e, n.schemas)
		encodeVis(e, n.visAll())
		encodeVis(e, n.listed())
		e.Uvarint(uint64(len(n.names)))
		for _, p := range n.names {
			e.String(captionProps[p.prop])
			e.String(p.value)
			e.Uvarint(uint64(p.vis))
		}
		encodeNamed(e, n.refs)
		edges(n.adj())
		edges(n.own())
		e.Uvarint(uint64(len(n.values)))
		for _, v := range n.values {
			e.String(v.key.typ)
			e.String(v.key.value)
			e.Uvarint(uint64(v.vis))
		}
	}
	e.Uvarint(uint64(live))
	for i := range ix.edges {
		if dead[i] {
			continue
		}
		x := &ix.edges[i]
		e.Uvarint(uint64(x.from))
		e.Uvarint(uint64(x.to))
		e.String(x.typ)
		encodeVis(e, x.needs)
		e.String(x.link)
		encodeNamed(e, x.labels)
		encodeNamed(e, x.refs)
		encodeNamed(e, x.datasets)
	}
	e.Uvarint(uint64(len(ix.shared)))
	for k, hs := range ix.shared {
		e.String(k.typ)
		e.String(k.value)
		e.Uvarint(uint64(len(hs)))
		for _, h := range hs {
			e.Uvarint(uint64(h.node))
			e.Uvarint(uint64(h.vis))
			e.String(h.propName())
			e.String(h.raw)
		}
	}
}

func encodeVis(e snapshot.Encoder, vs []uint16) {
	e.Uvarint(uint64(len(vs)))
	for _, v := range vs {
		e.Uvarint(uint64(v))
	}
}

func encodeNamed(e snapshot.Encoder, ns []named) {
	e.Uvarint(uint64(len(ns)))
	for _, n := range ns {
		e.String(n.value)
		e.Uvarint(uint64(n.vis))
	}
}

// decoder checks every count and reference as it reads. Short lists are
// cut from arenas (one allocation for thousands of them; each capped, so
// that a later Add appends to a copy).
type decoder struct {
	d      snapshot.Decoder
	err    error
	visA   arena[uint16]
	namedA arena[named]
}

// arena hands out slices of shared arrays.
type arena[T any] struct{ buf []T }

// arenaChunk is the length of an arena's arrays; arenaMax the longest
// list cut from one (a longer one, or a count a corrupt snapshot claims,
// grows as it is read).
const (
	arenaChunk = 1 << 14
	arenaMax   = 256
)

func (a *arena[T]) take(n int) []T {
	if len(a.buf) < n {
		a.buf = make([]T, arenaChunk)
	}
	s := a.buf[:n:n]
	a.buf = a.buf[n:]
	return s
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrCorrupt, what)
	}
}

func (d *decoder) ok() bool { return d.err == nil && d.d.Err() == nil }

// count reads a length that cannot exceed max.
func (d *decoder) count(max int, what string) int {
	n := d.d.Uvarint()
	if n > uint64(max) {
		d.fail(what)
		return 0
	}
	return int(n)
}

// ref reads an index below n.
func (d *decoder) ref(n int, what string) uint64 {
	x := d.d.Uvarint()
	if x >= uint64(n) {
		d.fail(what)
		return 0
	}
	return x
}

// maxList bounds the length of one list (a bad count fails instead of
// allocating).
const maxList = 1 << 26

// list reads a count and then each item, into a slice of a (short
// lists) or one of its own.
func list[T any](d *decoder, a *arena[T], what string, item func() T) []T {
	n := d.count(maxList, what)
	if n == 0 {
		return nil
	}
	var out []T
	if n <= arenaMax {
		out = a.take(n)[:0]
	} else {
		out = make([]T, 0, 1024)
	}
	for range n {
		out = append(out, item())
		if !d.ok() {
			return nil
		}
	}
	return out
}

// list2 reads two lists written one after the other into one slice, and
// returns it with the first one's length; tmp is scratch space.
func list2[T any](d *decoder, a *arena[T], tmp *[]T, what, what2 string, item func() T) ([]T, uint32) {
	*tmp = (*tmp)[:0]
	n1 := 0
	for i, w := range [2]string{what, what2} {
		for range d.count(maxList, w) {
			*tmp = append(*tmp, item())
			if !d.ok() {
				return nil, 0
			}
		}
		if i == 0 {
			n1 = len(*tmp)
		}
	}
	n := len(*tmp)
	if n == 0 {
		return nil, 0
	}
	var out []T
	if n <= arenaMax {
		out = a.take(n)
	} else {
		out = make([]T, n)
	}
	copy(out, *tmp)
	return out, uint32(n1)
}

func (d *decoder) vis(nvis int) []uint16 {
	return list(d, &d.visA, "visibilities", func() uint16 { return uint16(d.ref(nvis, "visibility")) })
}

func (d *decoder) named(nvis int) []named {
	return list(d, &d.namedA, "values", func() named {
		return named{value: d.d.String(), vis: uint16(d.ref(nvis, "visibility"))}
	})
}

// DecodeIndex reads an index written by Encode. An index that does not
// decode, or whose references do not hold, is refused with an error
// (ErrCorrupt, or the decoder's).
func DecodeIndex(src snapshot.Decoder) (*Index, error) {
	d := &decoder{d: src}
	ix := NewIndex()
	if f := src.Uvarint(); f != snapshotFormat {
		d.fail(fmt.Sprintf("format %d, want %d", f, snapshotFormat))
		return nil, d.error()
	}
	nvis := d.count(1<<16, "visibilities")
	if nvis > 0 {
		ix.vis = make([]vis, 0, nvis)
	}
	for range nvis {
		v := vis{contributedBy: src.String(), audience: concord.Audience(src.String()), handling: concord.TLP(src.String())}
		if _, dup := ix.visOf[v]; dup {
			d.fail("visibility twice")
		}
		ix.visOf[v] = uint16(len(ix.vis))
		ix.vis = append(ix.vis, v)
	}
	nnodes := d.count(1<<31-1, "nodes")
	if !d.ok() {
		return nil, d.error()
	}
	if nnodes > 0 {
		ix.nodes = make([]node, 0, min(nnodes, 1<<24))
		ix.byID = make(map[string]int32, min(nnodes, 1<<24))
	}
	var (
		names  arena[propVal]
		adj    arena[int32]
		values arena[valueRef]
		// scratch of list2
		visTmp  []uint16
		linkTmp []int32
	)
	for range nnodes {
		n := node{id: src.String(), schema: src.String()}
		n.schemas = d.named(nvis)
		n.vis, n.nVis = list2(d, &d.visA, &visTmp, "visibilities", "visibilities", func() uint16 { return uint16(d.ref(nvis, "visibility")) })
		n.names = list(d, &names, "names", func() propVal {
			p := slices.Index(captionProps, src.String())
			if p < 0 {
				d.fail("name property")
			}
			return propVal{prop: uint8(max(p, 0)), value: src.String(), vis: uint16(d.ref(nvis, "visibility"))}
		})
		n.refs = d.named(nvis)
		// Edge numbers are checked once the edges are known.
		edgeRef := func() int32 {
			x := src.Uvarint()
			if x >= 1<<31 {
				d.fail("edge of a node")
			}
			return int32(x)
		}
		n.links, n.nAdj = list2(d, &adj, &linkTmp, "edges of a node", "edges a node states", edgeRef)
		n.values = list(d, &values, "shared values", func() valueRef {
			return valueRef{key: sharedKey{src.String(), src.String()}, vis: uint16(d.ref(nvis, "visibility"))}
		})
		if !d.ok() {
			return nil, d.error()
		}
		ix.byID[n.id] = int32(len(ix.nodes))
		ix.nodes = append(ix.nodes, n)
		if len(ix.byID) != len(ix.nodes) { // one look-up, not two
			d.fail("node twice")
			return nil, d.error()
		}
	}
	nedges := d.count(1<<31-1, "edges")
	if nedges > 0 {
		ix.edges = make([]edge, 0, min(nedges, 1<<20))
	}
	for range nedges {
		x := edge{from: int32(d.ref(nnodes, "edge end")), to: int32(d.ref(nnodes, "edge end")), typ: src.String()}
		x.needs = d.vis(nvis)
		x.link = src.String()
		x.labels = d.named(nvis)
		x.refs = d.named(nvis)
		x.datasets = d.named(nvis)
		if !d.ok() {
			return nil, d.error()
		}
		ix.edges = append(ix.edges, x)
	}
	for i := range ix.nodes {
		for _, a := range ix.nodes[i].adj() {
			if int(a) >= nedges {
				d.fail("edge of a node")
				return nil, d.error()
			}
		}
		for _, a := range ix.nodes[i].own() {
			if int(a) >= nedges || ix.edges[a].link != ix.nodes[i].id {
				d.fail("edge a node states")
				return nil, d.error()
			}
		}
	}
	nshared := d.count(1<<31-1, "shared values")
	if nshared > 0 {
		ix.shared = make(map[sharedKey][]holder, min(nshared, 1<<24))
	}
	for range nshared {
		k := sharedKey{src.String(), src.String()}
		k2 := d.count(maxList, "holders")
		hs := make([]holder, 0, min(k2, 1024))
		for range k2 {
			h := holder{node: int32(d.ref(nnodes, "holder")), vis: uint16(d.ref(nvis, "visibility"))}
			p, ok := slices.BinarySearch(sharedPropNames, src.String())
			if !ok {
				d.fail("holder property")
			}
			h.prop, h.raw = uint8(p), src.String()
			hs = append(hs, h)
			if !d.ok() {
				return nil, d.error()
			}
		}
		if !d.ok() {
			return nil, d.error()
		}
		if _, dup := ix.shared[k]; dup {
			d.fail("shared value twice")
			return nil, d.error()
		}
		ix.shared[k] = hs
	}
	if !d.ok() {
		return nil, d.error()
	}
	return ix, nil
}

func (d *decoder) error() error {
	if err := d.d.Err(); err != nil {
		return err
	}
	return d.err
}
