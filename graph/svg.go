package graph

import (
	"fmt"
	"html"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/graph/layout"
	"gonum.org/v1/gonum/graph/simple"
)

// WriteSVG draws a subgraph as an SVG picture a person can read: nodes laid
// out by gonum's Eades force-directed layout (seeded, so the same subgraph
// gives the same picture), listed entities in red, the entity asked about
// ringed, accounts and wallets as squares, every edge labelled with its
// type, and each node and edge carrying its provenance in a tooltip.
func WriteSVG(w io.Writer, s *Subgraph) error {
	const size, margin, r = 900.0, 110.0, 9.0
	g := simple.NewUndirectedGraph()
	idx := map[string]int64{}
	for i, n := range s.Nodes {
		idx[n.ID] = int64(i)
		g.AddNode(simple.Node(i))
	}
	for _, e := range s.Edges {
		a, b := idx[e.From], idx[e.To]
		if a != b && !g.HasEdgeBetween(a, b) {
			g.SetEdge(simple.Edge{F: simple.Node(a), T: simple.Node(b)})
		}
	}
	pos := make([][2]float64, len(s.Nodes))
	if len(s.Nodes) > 1 {
		eades := layout.EadesR2{Repulsion: 1, Rate: 0.05, Updates: 60, Theta: 0.2, Src: rand.NewPCG(7, 11)}
		opt := layout.NewOptimizerR2(g, eades.Update)
		for opt.Update() {
		}
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for i := range s.Nodes {
			c := opt.Coord2(int64(i))
			pos[i] = [2]float64{c.X, c.Y}
			minX, minY, maxX, maxY = math.Min(minX, c.X), math.Min(minY, c.Y), math.Max(maxX, c.X), math.Max(maxY, c.Y)
		}
		sx, sy := (size-2*margin)/math.Max(maxX-minX, 1e-9), (size-2*margin)/math.Max(maxY-minY, 1e-9)
		for i := range pos {
			pos[i] = [2]float64{margin + (pos[i][0]-minX)*sx, margin + (pos[i][1]-minY)*sy}
		}
	} else {
		pos[0] = [2]float64{size / 2, size / 2}
	}
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="100%%" font-family="sans-serif" font-size="11" role="img" aria-label="network">`+"\n", size, size)
	// Presentation attributes, not a style sheet: the console's content
	// security policy allows no inline style, and the picture is inlined.
	// Edges first, under the nodes; parallel edges between a pair share
	// one line and list their types.
	type pair struct{ a, b int64 }
	byPair := map[pair][]Edge{}
	var pairs []pair
	for _, e := range s.Edges {
		a, b := idx[e.From], idx[e.To]
		k := pair{min(a, b), max(a, b)}
		if byPair[k] == nil {
			pairs = append(pairs, k)
		}
		byPair[k] = append(byPair[k], e)
	}
	for _, k := range pairs {
		es := byPair[k]
		var types, tips []string
		stroke := "#8a94a6"
		for _, e := range es {
			if !slices.Contains(types, e.Type) {
				types = append(types, e.Type)
			}
			if e.Type == Payment {
				stroke = "#c77d00"
			}
			tips = append(tips, fmt.Sprintf("%s %s→%s %s %s %v", e.Type, e.From, e.To, e.Label, e.Link, e.Refs))
		}
		sort.Strings(types)
		a, b := pos[k.a], pos[k.b]
		p(`<g><title>%s</title><line stroke="%s" stroke-width="1.2" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, esc(strings.Join(tips, "\n")), stroke, a[0], a[1], b[0], b[1])
		p(`<text fill="#555" font-size="9" x="%.1f" y="%.1f" text-anchor="middle">%s</text></g>`+"\n", (a[0]+b[0])/2, (a[1]+b[1])/2-2, esc(strings.Join(types, ", ")))
	}
	for i, n := range s.Nodes {
		c := pos[i]
		fill := "#4a78c2"
		if n.Listed {
			fill = "#c62828"
		}
		tip := fmt.Sprintf("%s (%s) %s", n.Caption, n.Schema, strings.Join(n.Refs, " "))
		p(`<g><title>%s</title>`, esc(tip))
		if n.Schema == "BankAccount" || n.Schema == "CryptoWallet" {
			p(`<rect fill="#6d8f3a" stroke="#fff" x="%.1f" y="%.1f" width="%.0f" height="%.0f"/>`, c[0]-r, c[1]-r, 2*r, 2*r)
		} else {
			p(`<circle fill="%s" stroke="#fff" stroke-width="1.5" cx="%.1f" cy="%.1f" r="%.0f"/>`, fill, c[0], c[1], r)
		}
		if n.Depth == 0 {
			p(`<circle cx="%.1f" cy="%.1f" r="%.0f" fill="none" stroke="#111" stroke-width="2"/>`, c[0], c[1], r+4)
		}
		label := n.Caption
		if len([]rune(label)) > 32 {
			label = string([]rune(label)[:31]) + "…"
		}
		p(`<text fill="#111" x="%.1f" y="%.1f" text-anchor="middle">%s</text></g>`+"\n", c[0], c[1]+r+12, esc(label))
	}
	_, err := io.WriteString(w, "</svg>\n")
	return err
}

func esc(s string) string { return html.EscapeString(s) }
