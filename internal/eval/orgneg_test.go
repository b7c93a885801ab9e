package eval

import (
	"math/rand/v2"
	"strings"
	"testing"

	"concord/match"
)

func TestOrgNegativesUnlisted(t *testing.T) {
	recs := []match.Record{
		{ID: "a", Schema: "Organization", Names: []string{"GREEN SHIPPING LTD."}, Refs: []string{"ofac:1"}},
		{ID: "b", Schema: "Organization", Names: []string{"PACIFIC STEEL FZE"}, Refs: []string{"ofac:2"}},
		{ID: "c", Schema: "Organization", Names: []string{"AL NOOR"}, Refs: []string{"un:1"}},
	}
	// Every plain word with every trade word is listed under some form:
	// each such draw is one the set must draw again.
	for _, p := range plainWords[:3] {
		for _, w := range tradeWords {
			recs = append(recs, match.Record{ID: p + w, Schema: "Organization", Names: []string{p + " " + w + " S.A.L."}, Refs: []string{"ofac:" + p + w}})
		}
	}
	names := &Names{Given: map[string][]string{}, Family: map[string][]string{}}
	for _, l := range regionLocales {
		names.Family[l] = []string{"Karimov", "Yilmaz", "Adeyemi", "Hosseini"}
	}
	listed := map[string]bool{}
	listedBare := map[string]bool{"green shipping": true, "pacific steel": true}
	for i := range recs {
		listed[foldKey(recs[i].Names[0])] = true
		listedBare[foldKey(strings.TrimSuffix(recs[i].Names[0], " S.A.L."))] = true
	}
	for _, sp := range []Split{SplitTune, SplitReport} {
		s := OrgNegativeSet(recs, names, 2000, rand.New(rand.NewPCG(1, 1)), sp)
		if len(s.Cases) != 2000 {
			t.Fatalf("%d cases, want 2000", len(s.Cases))
		}
		notes := map[string]int{}
		for _, c := range s.Cases {
			notes[c.Note]++
			if c.Want != "" || c.Query.Schema != "Organization" || c.Control {
				t.Fatalf("bad case %+v", c)
			}
			if listed[foldKey(c.Query.Name)] {
				t.Fatalf("%q is a listed name", c.Query.Name)
			}
			for _, f := range legalForms {
				if bare := strings.TrimSuffix(c.Query.Name, " "+f); bare != c.Query.Name && listedBare[foldKey(bare)] {
					t.Fatalf("%q is a listed name with another legal form", c.Query.Name)
				}
			}
		}
		for _, n := range []string{"initials-3+trade", "initials-4+trade", "initials+form", "plain-words", "regional-family", "regional-word"} {
			if notes[n] == 0 {
				t.Errorf("no case of %s: %v", n, notes)
			}
		}
		if s.Redrawn["plain-words"] == 0 {
			t.Errorf("redraws not counted: %v", s.Redrawn)
		}
	}
}
