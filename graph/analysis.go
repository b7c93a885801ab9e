package graph

import (
	"math/rand/v2"
	"sort"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/topo"
)

// Analysis describes the network around an entity: its connected
// components, its communities (Louvain modularity) and its most central
// entities (betweenness).
type Analysis struct {
	Entity      Node        `json:"entity"`
	Hops        int         `json:"hops"`
	Nodes       int         `json:"nodes"` // entities analysed: those within hops
	Edges       int         `json:"edges"`
	Truncated   bool        `json:"truncated,omitempty"`
	Components  [][]string  `json:"components"`  // largest first; the entity's component first among equals
	Communities []Community `json:"communities"` // largest first
	Modularity  float64     `json:"modularity"`
	Central     []Central   `json:"central"` // most central first
}

// Community is one community of the analysis.
type Community struct {
	Members []string `json:"members"`
}

// Central is an entity with its centrality.
type Central struct {
	Node
	Betweenness float64 `json:"betweenness"`
	Degree      int     `json:"degree"`
}

// Analyse analyses the entities within hops of id (at most MaxNodes of
// them): components, communities, and the top most central entities
// (10 when 0).
func (v *View) Analyse(id string, hops, top int) (*Analysis, error) {
	defer v.read()()
	if err := checkHops(hops); err != nil {
		return nil, err
	}
	start, ok := v.lookup(id)
	if !ok {
		return nil, notFound(id)
	}
	if top <= 0 {
		top = 10
	}
	order, _, depth := v.walk(start, hops)
	a := &Analysis{Entity: v.node(start, 0), Hops: hops}
	if len(order) > MaxNodes {
		order, a.Truncated = order[:MaxNodes], true
	}
	g, back := v.materialise(order)
	a.Nodes, a.Edges = g.Nodes().Len(), g.Edges().Len()
	for _, c := range topo.ConnectedComponents(g) {
		a.Components = append(a.Components, v.ids(c, back))
	}
	sort.SliceStable(a.Components, func(i, j int) bool { return len(a.Components[i]) > len(a.Components[j]) })
	// Louvain with a fixed seed: the same view gives the same communities.
	red := community.Modularize(g, 1, rand.NewPCG(1, 2))
	comms := red.Communities()
	a.Modularity = float64(int64(community.Q(g, comms, 1)*1e6+0.5)) / 1e6
	for _, c := range comms {
		a.Communities = append(a.Communities, Community{Members: v.ids(c, back)})
	}
	sort.SliceStable(a.Communities, func(i, j int) bool {
		if len(a.Communities[i].Members) != len(a.Communities[j].Members) {
			return len(a.Communities[i].Members) > len(a.Communities[j].Members)
		}
		return a.Communities[i].Members[0] < a.Communities[j].Members[0]
	})
	bw := network.Betweenness(g)
	for r, n := range back {
		a.Central = append(a.Central, Central{Node: v.node(n, depth[n]), Betweenness: round(bw[int64(r)]), Degree: g.From(int64(r)).Len()})
	}
	sort.SliceStable(a.Central, func(i, j int) bool {
		if a.Central[i].Betweenness != a.Central[j].Betweenness {
			return a.Central[i].Betweenness > a.Central[j].Betweenness
		}
		if a.Central[i].Degree != a.Central[j].Degree {
			return a.Central[i].Degree > a.Central[j].Degree
		}
		return a.Central[i].ID < a.Central[j].ID
	})
	if len(a.Central) > top {
		a.Central = a.Central[:top]
	}
	return a, nil
}

func round(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

// ids names gonum nodes by entity id, sorted.
func (v *View) ids(ns []gg.Node, back []int32) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = v.ix.nodes[back[n.ID()]].id
	}
	sort.Strings(out)
	return out
}
