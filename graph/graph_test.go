package graph

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"concord"
)

var (
	public = concord.Provenance{Dataset: "un", Audience: concord.AudiencePublic, Handling: concord.TLPClear}
	esOnly = concord.Provenance{Dataset: "member-es", ContributedBy: "es", Audience: concord.MemberAudience("es"), Handling: concord.TLPAmber}
	ttwg   = concord.Provenance{Dataset: "member-fr", ContributedBy: "fr", Audience: concord.GroupAudience("ttwg"), Handling: concord.TLPAmber}
)

func ent(id, schema string, p concord.Provenance, props ...string) []concord.Statement {
	e := concord.NewEntity(id, schema)
	for i := 0; i+1 < len(props); i += 2 {
		e.Add(props[i], props[i+1])
	}
	p.SourceRef = strings.ReplaceAll(id, "-", ":")
	return e.Statements(p)
}

// world is a small network: a listed person L with a family member F, an
// associate A of F, a counterparty C who pays A's account; Spain knows C
// owns company X, which shares an address with listed organisation O.
func world() [][]concord.Statement {
	return [][]concord.Statement{
		ent("un-L", "Person", public, "name", "Abu Listed"),
		ent("un-O", "Organization", public, "name", "Listed Front", "address", "12 Rue des Martyrs, Idlib, Syria"),
		ent("un-F", "Family", public, "person", "un-L", "relative", "ofac-F", "relationship", "brother"),
		ent("ofac-F", "Person", public, "name", "Brother Listed"),
		ent("m-A", "Associate", esOnly, "person", "ofac-F", "associate", "m-Apers"),
		ent("m-Apers", "Person", esOnly, "name", "Associate Person"),
		ent("m-acct", "BankAccount", esOnly, "holder", "m-Apers", "iban", "DE89370400440532013000"),
		ent("m-C", "Person", esOnly, "name", "Counter Party"),
		ent("m-cacct", "BankAccount", esOnly, "holder", "m-C", "iban", "GB82WEST12345698765432"),
		ent("m-pay", "Payment", esOnly, "payer", "m-cacct", "beneficiary", "m-acct", "amount", "5000", "currency", "EUR"),
		ent("fr-X", "Company", ttwg, "name", "Xylo Trading", "address", "12, rue des Martyrs — Idlib (Syria)"),
		ent("fr-own", "Ownership", ttwg, "owner", "m-C", "asset", "fr-X", "percentage", "60"),
	}
}

func build(sets [][]concord.Statement) *Index {
	ix := NewIndex()
	for _, s := range sets {
		ix.Add(s)
	}
	return ix
}

var (
	esView = concord.Filter{Member: "es", Audiences: []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition, concord.MemberAudience("es"), concord.GroupAudience("ttwg")}, Handlings: concord.TLPs}
	frView = concord.Filter{Member: "fr", Audiences: []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition, concord.MemberAudience("fr"), concord.GroupAudience("ttwg")}, Handlings: concord.TLPs}
	uzView = concord.Filter{Member: "uz", Audiences: []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition, concord.MemberAudience("uz")}, Handlings: concord.TLPs}
)

func TestExposure(t *testing.T) {
	ix := build(world())
	v := ix.View(esView)
	ex, err := v.Exposure("m-C", 6, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !ex.Exposed || len(ex.Paths) != 3 {
		t.Fatalf("exposure %+v", ex)
	}
	// Nearest first: through the company France shares with Spain (C owns
	// X, X shares an address with O), then the money (C holds an account
	// that paid A's account, A is associated with F, listed too, F is L's
	// brother).
	var got []string
	for _, p := range ex.Paths {
		var ids, types []string
		for _, n := range p.Nodes {
			ids = append(ids, n.ID)
		}
		for _, s := range p.Steps {
			if len(s) == 0 {
				t.Fatalf("step without an edge in %+v", p)
			}
			types = append(types, s[0].Type)
		}
		got = append(got, strings.Join(ids, ">")+" "+strings.Join(types, ","))
	}
	want := []string{
		"m-C>fr-X>un-O ownership,shared_address",
		"m-C>m-cacct>m-acct>m-Apers>ofac-F holds,payment,holds,associate",
		"m-C>m-cacct>m-acct>m-Apers>ofac-F>un-L holds,payment,holds,associate,family",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("paths\n got %q\nwant %q", got, want)
	}
	pay := ex.Paths[1].Steps[1][0]
	if pay.Link != "m-pay" || pay.Label != "5000, EUR" || pay.Refs[0] != "m:pay" || pay.Datasets[0] != "member-es" {
		t.Errorf("payment edge %+v", pay)
	}
	if n := ex.Paths[2].Nodes[5]; !n.Listed || n.Caption != "Abu Listed" || n.Refs[0] != "un:L" {
		t.Errorf("listed node %+v", n)
	}
	// Within 1 hop, nothing; France sees neither C nor its money.
	if ex, _ := v.Exposure("m-C", 1, 0); ex.Exposed {
		t.Errorf("1 hop: %+v", ex.Paths)
	}
	if _, err := ix.View(frView).Exposure("m-C", 3, 0); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("France: %v", err)
	}
	if ex, _ := ix.View(frView).Exposure("fr-X", 3, 0); !ex.Exposed || len(ex.Paths[0].Nodes) != 2 {
		t.Errorf("France's company: %+v", ex)
	}
	// A listed entity is exposed at once.
	if ex, _ := ix.View(uzView).Exposure("un-L", 1, 0); !ex.Exposed || len(ex.Paths[0].Nodes) != 1 {
		t.Errorf("listed itself: %+v", ex)
	}
}

func TestNeighbourhoodAndPaths(t *testing.T) {
	ix := build(world())
	v := ix.View(esView)
	sub, err := v.Neighbourhood("ofac-F", 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for _, n := range sub.Nodes {
		ids[n.ID] = n.Depth
	}
	want := map[string]int{"ofac-F": 0, "un-L": 1, "m-Apers": 1, "m-acct": 2}
	if !reflect.DeepEqual(ids, want) || len(sub.Edges) != 3 {
		t.Errorf("neighbourhood %v, %d edges", ids, len(sub.Edges))
	}
	// Uzbekistan sees the public part only.
	sub, _ = ix.View(uzView).Neighbourhood("ofac-F", 2, 0)
	if len(sub.Nodes) != 2 {
		t.Errorf("uz neighbourhood %+v", sub.Nodes)
	}
	ps, err := v.Paths("m-C", "un-O", 4, 0)
	if err != nil || len(ps) != 1 || len(ps[0].Nodes) != 3 {
		t.Fatalf("paths %+v %v", ps, err)
	}
	if s := ps[0].Steps[1][0]; s.Type != SharedAddress || !strings.Contains(s.Label, "Rue des Martyrs") || len(s.Refs) != 2 {
		t.Errorf("shared address step %+v", s)
	}
	if ps, _ := v.Paths("m-C", "un-O", 1, 0); len(ps) != 0 {
		t.Errorf("paths within 1: %+v", ps)
	}
	if _, err := v.Paths("m-C", "nobody", 3, 0); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Error(err)
	}
	if _, err := v.Neighbourhood("m-C", 9, 0); concord.ErrorCode(err) != concord.EINVALID {
		t.Error(err)
	}
	a, err := v.Analyse("m-C", 6, 3)
	if err != nil {
		t.Fatal(err)
	}
	if a.Nodes != 8 || len(a.Components) != 1 || len(a.Communities) < 2 || a.Central[0].Betweenness == 0 {
		t.Errorf("analysis %+v", a)
	}
}

func TestSharedValueCap(t *testing.T) {
	// A value held by more than MaxShared records is not a link; the count
	// is of the holders the viewer sees.
	var sets [][]concord.Statement
	for i := 0; i < MaxShared; i++ {
		sets = append(sets, ent(fmt.Sprint("un-p", i), "Person", public, "name", fmt.Sprint("P ", i), "passportNumber", "X1234567"))
	}
	sets = append(sets, ent("m-hidden", "Person", esOnly, "name", "Hidden", "passportNumber", "X1234567"))
	ix := build(sets)
	if sub, _ := ix.View(uzView).Neighbourhood("un-p0", 1, 0); len(sub.Nodes) != MaxShared {
		t.Errorf("uz: %d nodes", len(sub.Nodes))
	}
	if sub, _ := ix.View(esView).Neighbourhood("un-p0", 1, 0); len(sub.Nodes) != 1 {
		t.Errorf("es (51 holders): %d nodes", len(sub.Nodes))
	}
}

// TestHiddenChangesNothing is the access property of the network: for
// random worlds and viewers, every answer of a view equals the answer of a
// network built only from the statements the viewer may see.
func TestHiddenChangesNothing(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 5
	}
	auds := []concord.Provenance{public, esOnly, ttwg,
		{Dataset: "member-uz", ContributedBy: "uz", Audience: concord.MemberAudience("uz"), Handling: concord.TLPRed},
		{Dataset: "member-es", ContributedBy: "es", Audience: concord.AudienceCoalition, Handling: concord.TLPGreen}}
	viewers := []concord.Filter{esView, frView, uzView,
		{Member: "uz", Audiences: []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition, concord.MemberAudience("uz")}, Handlings: []concord.TLP{concord.TLPClear, concord.TLPGreen}}}
	for seed := 0; seed < seeds; seed++ {
		rng := rand.New(rand.NewPCG(uint64(seed), 9))
		var sets [][]concord.Statement
		n := 30
		id := func() string { return fmt.Sprint("e", rng.IntN(n)) }
		for i := 0; i < n; i++ {
			schema := []string{"Person", "Organization", "BankAccount", "Company"}[rng.IntN(4)]
			var ss []concord.Statement
			for j := 0; j < 1+rng.IntN(2); j++ {
				ss = append(ss, ent(fmt.Sprint("e", i), schema, auds[rng.IntN(len(auds))], "name", fmt.Sprint("N", i, j),
					"address", []string{"1 Main Street Town", "2 High Road City", ""}[rng.IntN(3)], "holder", id())...)
			}
			sets = append(sets, ss)
		}
		for i := 0; i < 40; i++ {
			typ := []string{"Ownership", "Family", "Associate", "UnknownLink", "Payment", "Directorship", "Membership"}[rng.IntN(7)]
			l := linkSchemata[typ]
			a, b := auds[rng.IntN(len(auds))], auds[rng.IntN(len(auds))]
			ss := append(ent(fmt.Sprint("l", i), typ, a, l.from, id(), "role", "r"), ent(fmt.Sprint("l", i), typ, b, l.to, id())...)
			sets = append(sets, ss)
		}
		full := build(sets)
		for _, f := range viewers {
			var seen [][]concord.Statement
			for _, ss := range sets {
				var keep []concord.Statement
				for i := range ss {
					if f.Allows(&ss[i]) {
						keep = append(keep, ss[i])
					}
				}
				if len(keep) > 0 {
					seen = append(seen, keep)
				}
			}
			got, want := full.View(f), build(seen).View(concord.System)
			for i := 0; i < n; i++ {
				e := fmt.Sprint("e", i)
				for _, q := range []func(v *View) (any, error){
					func(v *View) (any, error) { return v.Neighbourhood(e, 3, 0) },
					func(v *View) (any, error) { return v.Exposure(e, 4, 0) },
					func(v *View) (any, error) { return v.Paths(e, fmt.Sprint("e", (i+7)%n), 5, 0) },
					func(v *View) (any, error) { return v.Analyse(e, 3, 5) },
				} {
					a, errA := q(got)
					b, errB := q(want)
					ja, _ := json.Marshal(a)
					jb, _ := json.Marshal(b)
					if concord.ErrorCode(errA) != concord.ErrorCode(errB) || !bytes.Equal(ja, jb) {
						t.Fatalf("seed %d viewer %s entity %s:\n view  %s %v\n built %s %v", seed, f.Member, e, ja, errA, jb, errB)
					}
				}
			}
		}
	}
}

func TestExports(t *testing.T) {
	sub, err := build(world()).View(esView).Neighbourhood("m-C", 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	var gml bytes.Buffer
	if err := WriteGraphML(&gml, sub); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Graph struct {
			Nodes []struct {
				ID string `xml:"id,attr"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(gml.Bytes(), &doc); err != nil || len(doc.Graph.Nodes) != len(sub.Nodes) || len(doc.Graph.Edges) != len(sub.Edges) {
		t.Errorf("GraphML: %v\n%s", err, gml.String())
	}
	var cy bytes.Buffer
	if err := WriteCytoscape(&cy, sub); err != nil {
		t.Fatal(err)
	}
	var c struct {
		Elements struct {
			Nodes []struct{ Data map[string]any }
			Edges []struct{ Data map[string]any }
		}
	}
	if err := json.Unmarshal(cy.Bytes(), &c); err != nil || len(c.Elements.Nodes) != len(sub.Nodes) || c.Elements.Edges[0].Data["source"] == nil {
		t.Errorf("Cytoscape: %v %s", err, cy.String())
	}
	var svg bytes.Buffer
	if err := WriteSVG(&svg, sub); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&svg)
	circles := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if s, ok := tok.(xml.StartElement); ok && (s.Name.Local == "circle" || s.Name.Local == "rect") {
			circles++
		}
	}
	if circles < len(sub.Nodes) {
		t.Errorf("SVG draws %d of %d nodes", circles, len(sub.Nodes))
	}
}

// TestCaseRecordsAreNotInTheNetwork: a case's persons and a minor's watch
// record never become nodes, even when they share a document with a
// listed person.
func TestCaseRecordsAreNotInTheNetwork(t *testing.T) {
	ix := NewIndex()
	pub := concord.Provenance{Dataset: "un", SourceRef: "un:QDi.1", Audience: concord.AudiencePublic, Handling: concord.TLPClear}
	listed := concord.NewEntity("un-1", "Person")
	listed.Add("name", "Listed Person")
	listed.Add("passportNumber", "P123")
	ix.Add(listed.Statements(pub))
	mine := concord.Provenance{Dataset: "cases-fr", ContributedBy: "fr", Audience: "member:fr", Handling: concord.TLPAmber}
	det := concord.NewEntity("det-1", concord.SchemaDetainee)
	det.Add("name", "Held Person")
	det.Add("passportNumber", "P123")
	ix.Add(det.Statements(mine))
	w := concord.NewEntity("watch-fr-det-2", "Person")
	w.Add("name", "Young Person")
	w.Add("passportNumber", "P123")
	w.Add("topics", concord.TopicMinor)
	ix.Add(w.Statements(mine))
	for _, id := range []string{"det-1", "watch-fr-det-2"} {
		if _, ok := ix.byID[id]; ok {
			t.Errorf("%s is a node of the network", id)
		}
	}
}
