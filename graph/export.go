package graph

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// WriteGraphML writes a subgraph as GraphML (Gephi, yEd, Cytoscape,
// NetworkX read it): node attributes caption, schema, listed, depth and
// refs; edge attributes type, label, link, refs and datasets.
func WriteGraphML(w io.Writer, s *Subgraph) error {
	type data struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
	type gnode struct {
		ID   string `xml:"id,attr"`
		Data []data `xml:"data"`
	}
	type gedge struct {
		ID     string `xml:"id,attr"`
		Source string `xml:"source,attr"`
		Target string `xml:"target,attr"`
		Data   []data `xml:"data"`
	}
	type key struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	type gml struct {
		XMLName xml.Name `xml:"graphml"`
		NS      string   `xml:"xmlns,attr"`
		Keys    []key    `xml:"key"`
		Graph   struct {
			ID          string  `xml:"id,attr"`
			EdgeDefault string  `xml:"edgedefault,attr"`
			Nodes       []gnode `xml:"node"`
			Edges       []gedge `xml:"edge"`
		} `xml:"graph"`
	}
	doc := gml{NS: "http://graphml.graphdrawing.org/xmlns"}
	doc.Keys = append(doc.Keys, []key{
		{"caption", "node", "caption", "string"}, {"schema", "node", "schema", "string"}, {"listed", "node", "listed", "boolean"},
		{"depth", "node", "depth", "int"}, {"nrefs", "node", "refs", "string"},
		{"type", "edge", "type", "string"}, {"label", "edge", "label", "string"}, {"link", "edge", "link", "string"},
		{"erefs", "edge", "refs", "string"}, {"datasets", "edge", "datasets", "string"},
	}...)
	doc.Graph.ID, doc.Graph.EdgeDefault = "concord", "directed"
	for _, n := range s.Nodes {
		doc.Graph.Nodes = append(doc.Graph.Nodes, gnode{ID: n.ID, Data: []data{{"caption", n.Caption}, {"schema", n.Schema},
			{"listed", fmt.Sprint(n.Listed)}, {"depth", fmt.Sprint(n.Depth)}, {"nrefs", strings.Join(n.Refs, " ")}}})
	}
	for i, e := range s.Edges {
		doc.Graph.Edges = append(doc.Graph.Edges, gedge{ID: fmt.Sprint("e", i), Source: e.From, Target: e.To, Data: []data{{"type", e.Type},
			{"label", e.Label}, {"link", e.Link}, {"erefs", strings.Join(e.Refs, " ")}, {"datasets", strings.Join(e.Datasets, " ")}}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// WriteCytoscape writes a subgraph in Cytoscape.js JSON
// ({"elements": {"nodes": [{"data": …}], "edges": [{"data": …}]}}), which
// Cytoscape desktop imports too.
func WriteCytoscape(w io.Writer, s *Subgraph) error {
	type el struct {
		Data map[string]any `json:"data"`
	}
	out := struct {
		Elements struct {
			Nodes []el `json:"nodes"`
			Edges []el `json:"edges"`
		} `json:"elements"`
	}{}
	out.Elements.Nodes, out.Elements.Edges = []el{}, []el{}
	for _, n := range s.Nodes {
		out.Elements.Nodes = append(out.Elements.Nodes, el{map[string]any{"id": n.ID, "label": n.Caption, "schema": n.Schema,
			"listed": n.Listed, "depth": n.Depth, "refs": n.Refs}})
	}
	for i, e := range s.Edges {
		out.Elements.Edges = append(out.Elements.Edges, el{map[string]any{"id": fmt.Sprint("e", i), "source": e.From, "target": e.To,
			"type": e.Type, "label": e.Label, "link": e.Link, "refs": e.Refs, "datasets": e.Datasets}})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
