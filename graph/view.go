package graph

import (
	"slices"
	"strings"
	"sync"

	"concord"
)

// View is the network as one filter sees it. Each question reads the
// index as it is then (changes applied since the View was made included).
type View struct {
	ix    *Index
	f     concord.Filter
	mu    sync.Mutex
	allow []bool // per visibility
}

// View assembles the network for f: only what f's statements say.
func (ix *Index) View(f concord.Filter) *View {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	v := &View{ix: ix, f: f}
	v.extend()
	return v
}

// extend decides the visibilities added to the index since allow was.
func (v *View) extend() {
	for _, x := range v.ix.vis[len(v.allow):] {
		s := concord.Statement{ContributedBy: x.contributedBy, Audience: x.audience, Handling: x.handling}
		v.allow = append(v.allow, v.f.Allows(&s))
	}
}

// read holds the index for one question (changes wait) and returns the
// function that lets it go.
func (v *View) read() func() {
	v.ix.mu.RLock()
	v.mu.Lock()
	v.extend()
	return func() {
		v.mu.Unlock()
		v.ix.mu.RUnlock()
	}
}

func (v *View) any(vs []uint16) bool {
	for _, x := range vs {
		if v.allow[x] {
			return true
		}
	}
	return false
}

func (v *View) all(vs []uint16) bool {
	for _, x := range vs {
		if !v.allow[x] {
			return false
		}
	}
	return true
}

// visible reports whether the viewer sees node n.
func (v *View) visible(n int32) bool { return v.any(v.ix.nodes[n].visAll()) }

// lookup returns the node of an entity the viewer sees.
func (v *View) lookup(id string) (int32, bool) {
	n, ok := v.ix.byID[id]
	if !ok || !v.visible(n) {
		return 0, false
	}
	return n, true
}

// Has reports whether the viewer sees the entity in the network.
func (v *View) Has(id string) bool {
	defer v.read()()
	_, ok := v.lookup(id)
	return ok
}

// listed reports whether the viewer sees n as a record of a published list.
func (v *View) listed(n int32) bool { return v.any(v.ix.nodes[n].listed()) }

// Node is an entity of a view.
type Node struct {
	ID      string   `json:"id"`
	Caption string   `json:"caption"`
	Schema  string   `json:"schema"`
	Listed  bool     `json:"listed"`
	Refs    []string `json:"refs"`
	Depth   int      `json:"depth"` // hops from the entity asked about
}

func (v *View) node(n int32, depth int) Node {
	nd := &v.ix.nodes[n]
	out := Node{ID: nd.id, Caption: nd.id, Listed: v.listed(n), Depth: depth, Refs: []string{}}
	for _, x := range nd.schemas { // the most specific schema the viewer is told, as concord.Assemble
		if !v.allow[x.vis] {
			continue
		}
		if a, b := concord.SchemaByName(x.value), concord.SchemaByName(out.Schema); out.Schema == "" || a != nil && b != nil && a.Is(out.Schema) && !b.Is(x.value) {
			out.Schema = x.value
		}
	}
caption:
	for p := range captionProps {
		for _, x := range nd.names {
			if int(x.prop) == p && v.allow[x.vis] {
				out.Caption = x.value
				break caption
			}
		}
	}
	for _, r := range nd.refs {
		if v.allow[r.vis] && !slices.Contains(out.Refs, r.value) {
			out.Refs = append(out.Refs, r.value)
		}
	}
	return out
}

// Edge is a link of a view, with its provenance: the record that states it
// (Link: an Ownership, an account, a Payment) or the value two records
// share (Label), and the source records (Refs) and datasets it comes from.
type Edge struct {
	From     string   `json:"from"`
	To       string   `json:"to"`
	Type     string   `json:"type"`
	Label    string   `json:"label,omitempty"`
	Link     string   `json:"link,omitempty"`
	Refs     []string `json:"refs"`
	Datasets []string `json:"datasets"`
}

// hop is one edge at a node: the other end and how to describe it.
type hop struct {
	to     int32
	edge   int32 // index in ix.edges, or -1 for a shared value
	shared *holder
	key    sharedKey
}

// hops calls fn for every edge at n the viewer sees; fn returns false to
// stop.
func (v *View) hops(n int32, fn func(h hop) bool) {
	ix := v.ix
	for _, ei := range ix.nodes[n].adj() {
		e := &ix.edges[ei]
		other := e.to
		if other == n {
			other = e.from
		}
		if !v.all(e.needs) || !v.visible(other) {
			continue
		}
		if !fn(hop{to: other, edge: ei}) {
			return
		}
	}
	for _, val := range ix.nodes[n].values {
		if !v.allow[val.vis] {
			continue
		}
		hs := ix.shared[val.key]
		if len(hs) < 2 {
			continue
		}
		seen := 0
		for i := range hs {
			if v.allow[hs[i].vis] && v.visible(hs[i].node) {
				seen++
			}
		}
		if seen < 2 || seen > MaxShared {
			continue
		}
		for i := range hs {
			h := &hs[i]
			if h.node == n || !v.allow[h.vis] || !v.visible(h.node) {
				continue
			}
			if !fn(hop{to: h.node, edge: -1, shared: h, key: val.key}) {
				return
			}
		}
	}
}

// edgeOf describes a hop from n.
func (v *View) edgeOf(n int32, h hop) Edge {
	ix := v.ix
	if h.edge >= 0 {
		e := &ix.edges[h.edge]
		return Edge{From: ix.nodes[e.from].id, To: ix.nodes[e.to].id, Type: e.typ, Label: strings.Join(v.seen(e.labels), ", "), Link: e.link,
			Refs: v.seen(e.refs), Datasets: v.seen(e.datasets)}
	}
	a, b := v.node(n, 0), v.node(h.to, 0)
	refs := append(slices.Clone(a.Refs), b.Refs...)
	return Edge{From: a.ID, To: b.ID, Type: h.key.typ, Label: h.shared.propName() + ": " + h.shared.raw, Refs: nonNil(refs), Datasets: []string{}}
}

// seen is the values the viewer sees.
func (v *View) seen(ns []named) []string {
	out := []string{}
	for _, x := range ns {
		if v.allow[x.vis] && !slices.Contains(out, x.value) {
			out = append(out, x.value)
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
