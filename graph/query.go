package graph

import (
	"slices"
	"sort"
	"strings"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/traverse"

	"concord"
)

// Bounds of one question.
const (
	MaxHops  = 6      // deepest neighbourhood, path or exposure
	MaxNodes = 2000   // nodes of a subgraph returned
	maxVisit = 200000 // nodes a walk may visit
)

// adapter presents a View to gonum: nodes are node indexes, an edge joins
// two nodes that at least one visible fact links.
type adapter struct{ v *View }

func (a adapter) From(id int64) gg.Nodes {
	var out []gg.Node
	seen := map[int32]bool{}
	a.v.hops(int32(id), func(h hop) bool {
		if !seen[h.to] {
			seen[h.to] = true
			out = append(out, simple.Node(h.to))
		}
		return true
	})
	if len(out) == 0 {
		return gg.Empty
	}
	return iterator.NewOrderedNodes(out)
}

func (a adapter) Edge(uid, vid int64) gg.Edge {
	return simple.Edge{F: simple.Node(uid), T: simple.Node(vid)}
}

// walk visits the nodes within hops of start, breadth first, and returns
// them in visiting order with their BFS parents and depths.
func (v *View) walk(start int32, hops int) (order []int32, parent map[int32]int32, depth map[int32]int) {
	parent = map[int32]int32{}
	depth = map[int32]int{start: 0}
	bf := traverse.BreadthFirst{
		Visit: func(n gg.Node) { order = append(order, int32(n.ID())) },
		Traverse: func(e gg.Edge) bool {
			u, w := int32(e.From().ID()), int32(e.To().ID())
			if _, ok := depth[w]; !ok {
				parent[w], depth[w] = u, depth[u]+1
			}
			return true
		},
	}
	bf.Walk(adapter{v}, simple.Node(start), func(n gg.Node, d int) bool { return d >= hops || len(order) >= maxVisit })
	return order, parent, depth
}

// Subgraph is a part of a view: nodes and the edges among them.
type Subgraph struct {
	Nodes     []Node `json:"nodes"`
	Edges     []Edge `json:"edges"`
	Truncated bool   `json:"truncated,omitempty"` // more nodes were within reach than returned
}

func notFound(string) error {
	return concord.Errorf(concord.ENOTFOUND, "entity not found in the network")
}

func checkHops(hops int) error {
	if hops < 1 || hops > MaxHops {
		return concord.Errorf(concord.EINVALID, "hops %d: want 1 to %d", hops, MaxHops)
	}
	return nil
}

// Neighbourhood returns the entities within hops of id and every edge
// among them, nearest first, at most limit nodes (MaxNodes when 0).
func (v *View) Neighbourhood(id string, hops, limit int) (*Subgraph, error) {
	defer v.read()()
	if err := checkHops(hops); err != nil {
		return nil, err
	}
	start, ok := v.lookup(id)
	if !ok {
		return nil, notFound(id)
	}
	if limit <= 0 || limit > MaxNodes {
		limit = MaxNodes
	}
	order, _, depth := v.walk(start, hops)
	sub := &Subgraph{}
	if len(order) > limit {
		order, sub.Truncated = order[:limit], true
	}
	return v.subgraph(order, depth, sub), nil
}

// subgraph fills sub with nodes and the visible edges among them.
func (v *View) subgraph(nodes []int32, depth map[int32]int, sub *Subgraph) *Subgraph {
	in := make(map[int32]bool, len(nodes))
	for _, n := range nodes {
		in[n] = true
	}
	type sharedEdge struct {
		a, b int32
		key  sharedKey
	}
	seenEdge := map[int32]bool{}
	seenShared := map[sharedEdge]bool{}
	sub.Nodes = make([]Node, 0, len(nodes))
	sub.Edges = []Edge{}
	for _, n := range nodes {
		sub.Nodes = append(sub.Nodes, v.node(n, depth[n]))
		v.hops(n, func(h hop) bool {
			if !in[h.to] {
				return true
			}
			if h.edge >= 0 {
				if seenEdge[h.edge] {
					return true
				}
				seenEdge[h.edge] = true
			} else {
				k := sharedEdge{min(n, h.to), max(n, h.to), h.key}
				if seenShared[k] {
					return true
				}
				seenShared[k] = true
			}
			sub.Edges = append(sub.Edges, v.edgeOf(n, h))
			return true
		})
	}
	return sub
}

// between returns every visible edge joining a and b.
func (v *View) between(a, b int32) []Edge {
	var out []Edge
	seen := map[sharedKey]bool{}
	v.hops(a, func(h hop) bool {
		if h.to != b {
			return true
		}
		if h.edge < 0 {
			if seen[h.key] {
				return true
			}
			seen[h.key] = true
		}
		out = append(out, v.edgeOf(a, h))
		return true
	})
	return out
}

// Path is a chain of entities from one to another; each step lists every
// edge that joins the two entities it connects, with its provenance.
type Path struct {
	Nodes []Node   `json:"nodes"`
	Steps [][]Edge `json:"steps"` // Steps[i] joins Nodes[i] and Nodes[i+1]
}

func (v *View) pathOf(ns []int32) Path {
	p := Path{Nodes: make([]Node, len(ns)), Steps: make([][]Edge, 0, len(ns)-1)}
	for i, n := range ns {
		p.Nodes[i] = v.node(n, i)
		if i > 0 {
			p.Steps = append(p.Steps, v.between(ns[i-1], n))
		}
	}
	return p
}

// Paths returns the shortest paths between a and b of at most hops edges,
// at most limit of them (10 when 0); none when they are farther apart.
func (v *View) Paths(a, b string, hops, limit int) ([]Path, error) {
	defer v.read()()
	if err := checkHops(hops); err != nil {
		return nil, err
	}
	na, ok := v.lookup(a)
	if !ok {
		return nil, notFound(a)
	}
	nb, ok := v.lookup(b)
	if !ok {
		return nil, notFound(b)
	}
	if limit <= 0 {
		limit = 10
	}
	if na == nb {
		return []Path{v.pathOf([]int32{na})}, nil
	}
	// The distance d from a to b, then the nodes on some shortest path (as
	// far from a as d minus their distance from b), as a gonum graph for
	// gonum's shortest paths.
	_, _, depthA := v.walk(na, hops)
	d, ok := depthA[nb]
	if !ok {
		return []Path{}, nil
	}
	orderB, _, depthB := v.walk(nb, d)
	var on []int32
	for _, x := range orderB {
		if da, ok := depthA[x]; ok && da+depthB[x] == d {
			on = append(on, x)
		}
	}
	g, back := v.materialise(on)
	all, _ := path.DijkstraAllFrom(simple.Node(slices.Index(back, na)), g).AllTo(int64(slices.Index(back, nb)))
	out := []Path{}
	for _, p := range all {
		if len(p)-1 > hops {
			continue
		}
		ns := make([]int32, len(p))
		for i, n := range p {
			ns[i] = back[n.ID()]
		}
		out = append(out, v.pathOf(ns))
	}
	sort.SliceStable(out, func(i, j int) bool { return pathKey(out[i]) < pathKey(out[j]) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func pathKey(p Path) string {
	k := ""
	for _, n := range p.Nodes {
		k += n.ID + "\x00"
	}
	return k
}

// materialise copies the visible edges among nodes into a gonum graph
// whose node ids are the nodes' ranks by entity id: what an algorithm makes
// of them (Louvain's order of moves) depends on the view alone, not on where
// hidden records put the nodes in the index. back maps ids to nodes.
func (v *View) materialise(nodes []int32) (g *simple.UndirectedGraph, back []int32) {
	back = slices.Clone(nodes)
	slices.SortFunc(back, func(a, b int32) int { return strings.Compare(v.ix.nodes[a].id, v.ix.nodes[b].id) })
	rank := make(map[int32]int64, len(back))
	g = simple.NewUndirectedGraph()
	for i, n := range back {
		rank[n] = int64(i)
		g.AddNode(simple.Node(i))
	}
	for _, n := range back {
		v.hops(n, func(h hop) bool {
			if r, ok := rank[h.to]; ok && !g.HasEdgeBetween(rank[n], r) {
				g.SetEdge(simple.Edge{F: simple.Node(rank[n]), T: simple.Node(r)})
			}
			return true
		})
	}
	return g, back
}

// Exposure is how a counterparty reaches listed entities: the nearest
// ones within the hops asked, each with the path that explains it.
type Exposure struct {
	Entity  Node   `json:"entity"`
	Hops    int    `json:"hops"`    // asked
	Exposed bool   `json:"exposed"` // a listed entity is within hops (or the entity is listed)
	Paths   []Path `json:"paths"`   // nearest first, one per listed entity reached
}

// Exposure tells whether id is within hops of a listed entity, and through
// what: at most limit listed entities (10 when 0), nearest first.
func (v *View) Exposure(id string, hops, limit int) (*Exposure, error) {
	defer v.read()()
	if err := checkHops(hops); err != nil {
		return nil, err
	}
	start, ok := v.lookup(id)
	if !ok {
		return nil, notFound(id)
	}
	if limit <= 0 {
		limit = 10
	}
	order, parent, _ := v.walk(start, hops)
	out := &Exposure{Entity: v.node(start, 0), Hops: hops, Paths: []Path{}}
	for _, n := range order {
		if !v.listed(n) {
			continue
		}
		var ns []int32
		for x := n; ; x = parent[x] {
			ns = append(ns, x)
			if x == start {
				break
			}
		}
		slices.Reverse(ns)
		out.Paths = append(out.Paths, v.pathOf(ns))
		if len(out.Paths) >= limit {
			break
		}
	}
	out.Exposed = len(out.Paths) > 0
	return out, nil
}
