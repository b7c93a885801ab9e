package search_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/importer"
	"concord/internal/importer/unxml"
	"concord/internal/seed"
)

// The scenarios of TestHiddenRecordsChangeNothing: the public lists every
// world holds, and for one seed a viewer, the member contributions, the
// records the viewer may not see and what the viewer asks.

// listed is a record of a public list, as the scenario uses it.
type listed struct {
	id, name, birth, nat, schema string
}

// lists are the public data of every world: a sample of the bundled UN list
// and a second list ("eu") holding some of the same persons under their
// names reordered, which the service merges with the UN records.
type lists struct {
	un, eu, eu2 *concord.ImportBatch
	// common lists thirty persons of one name: more than the engine scores
	// for a query, so which are candidates depends on the index's order.
	common    *concord.ImportBatch
	commonIDs []string
	recs      []listed
}

func publicLists(t *testing.T) *lists {
	t.Helper()
	var recs []importer.Record
	i := 0
	if _, err := unxml.Read(seed.UNList(), "un_consolidated.xml", func(r importer.Record) error {
		if i%6 == 0 {
			recs = append(recs, r)
		}
		i++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	pub := concord.Provenance{Audience: concord.AudiencePublic, Handling: concord.TLPClear, Seen: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}
	l := &lists{un: importer.Batch("un", "2026-02", "un_consolidated.xml", recs, pub)}
	var eu []importer.Record
	for _, r := range recs {
		m := r.Main()
		lr := listed{id: m.ID, name: m.First("name"), birth: m.First("birthDate"), nat: m.First("nationality"), schema: m.Schema}
		if lr.name == "" {
			continue
		}
		l.recs = append(l.recs, lr)
		parts := strings.Fields(lr.name)
		if m.Schema == "Person" && lr.birth != "" && len(parts) >= 2 && len(eu) < 20 {
			e := concord.NewEntity(fmt.Sprintf("eu-%d", len(eu)+1), "Person")
			e.Add("name", strings.Join(append(parts[1:], parts[0]), " "))
			e.Add("birthDate", lr.birth[:4])
			eu = append(eu, importer.Record{Ref: "eu:" + strconv.Itoa(len(eu)+1), Entities: []*concord.Entity{e}})
		}
	}
	l.eu = importer.Batch("eu", "1", "eu.ftm.json", eu, pub)
	// Its next version: one person's birth year changes (no longer the UN
	// record's), one more UN person is listed, one record goes.
	eu2 := slices.Clone(eu[1 : len(eu)-1])
	moved := *eu[1].Entities[0]
	moved.Properties = map[string][]string{"name": moved.Properties["name"], "birthDate": {"1901"}}
	eu2[0] = importer.Record{Ref: eu[1].Ref, Entities: []*concord.Entity{&moved}}
	for _, r := range l.recs[len(l.recs)/2:] {
		if parts := strings.Fields(r.name); r.schema == "Person" && r.birth != "" && len(parts) >= 2 {
			e := concord.NewEntity("eu-new", "Person")
			e.Add("name", strings.Join(append(parts[1:], parts[0]), " "))
			e.Add("birthDate", r.birth[:4])
			eu2 = append(eu2, importer.Record{Ref: "eu:new", Entities: []*concord.Entity{e}})
			break
		}
	}
	l.eu2 = importer.Batch("eu", "2", "eu.ftm.json", eu2, pub)
	var common []importer.Record
	for i := range 30 {
		e := concord.NewEntity(fmt.Sprintf("cm-%d", i), "Person")
		e.Add("name", "Mohammed Ali Hassan")
		e.Add("birthDate", strconv.Itoa(1950+i))
		common = append(common, importer.Record{Ref: "cm:" + strconv.Itoa(i), Entities: []*concord.Entity{e}})
		l.commonIDs = append(l.commonIDs, e.ID)
	}
	l.common = importer.Batch("cm", "1", "common.ftm.json", common, pub)
	return l
}

// members and groups of every world: ttwg = {es, fr}, africa = {fr, de}.
var (
	memberIDs = []string{"es", "fr", "uz", "de"}
	groupsOf  = map[string][]string{"es": {"ttwg"}, "fr": {"ttwg", "africa"}, "uz": nil, "de": {"africa"}}
)

func audiencesOf(m string) []concord.Audience {
	out := []concord.Audience{concord.MemberAudience(m), concord.AudienceCoalition}
	for _, g := range groupsOf[m] {
		out = append(out, concord.GroupAudience(g))
	}
	return out
}

// contribution is one set of statements a member contributes.
type contribution struct {
	member string
	stmts  []concord.Statement
}

// scenario is one trial: a viewer, the contributions every world holds, the
// records only world B holds, and what the viewer does.
type scenario struct {
	lists           *lists
	viewer          string
	background      []contribution
	hidden          []contribution // new records the viewer may not see
	hiddenOnVisible []contribution // hidden statements on records it sees
	visibleIDs      []string       // contributed records the viewer sees
	hiddenIDs       []string
	queries         []query
}

type query struct{ name, birth, nat string }

func newScenario(sd uint64, l *lists) *scenario {
	rng := rand.New(rand.NewPCG(sd, 0x5eed))
	sc := &scenario{lists: l, viewer: memberIDs[rng.IntN(len(memberIDs))]}
	pick := func() listed { return l.recs[rng.IntN(len(l.recs))] }
	n := 0
	record := func(owner string, a concord.Audience, schema, name, birth, nat string) contribution {
		n++
		id := fmt.Sprintf("m-%s-%04d", owner, n)
		e := concord.NewEntity(id, schema)
		e.Add("name", name)
		if schema == "Person" {
			e.Add("birthDate", birth)
			if nat != "" {
				e.Add("nationality", nat)
			}
		}
		return contribution{owner, e.Statements(provenance(rng, owner, id, a))}
	}
	// Every world: three records per member under each of its audiences,
	// named like listed persons or from their name parts, and an alias on a
	// listed person.
	for _, m := range memberIDs {
		for _, a := range audiencesOf(m) {
			for range 3 {
				p := pick()
				name := p.name
				if rng.IntN(2) == 0 {
					name = mixName(rng, l)
				}
				c := record(m, a, p.schema, name, p.birth, p.nat)
				sc.background = append(sc.background, c)
				if sees(sc.viewer, c.stmts[0]) {
					sc.visibleIDs = append(sc.visibleIDs, c.stmts[0].EntityID)
				}
			}
		}
		p := pick()
		sc.background = append(sc.background, statementOn(rng, m, audiencesOf(m)[rng.IntN(len(audiencesOf(m)))], p.id, p.schema, "alias", pick().name))
	}
	// World B only: forty records of other members under audiences the
	// viewer is not in, most named exactly like listed persons.
	var hiddenAud []struct {
		owner string
		a     concord.Audience
	}
	for _, m := range memberIDs {
		for _, a := range audiencesOf(m) {
			if m != sc.viewer && !slices.Contains(audiencesOf(sc.viewer), a) {
				hiddenAud = append(hiddenAud, struct {
					owner string
					a     concord.Audience
				}{m, a})
			}
		}
	}
	for range 40 {
		h := hiddenAud[rng.IntN(len(hiddenAud))]
		p := pick()
		name := p.name
		switch rng.IntN(5) {
		case 0:
			name = mixName(rng, l)
		case 1:
			name = typo(rng, name)
		}
		c := record(h.owner, h.a, p.schema, name, p.birth, p.nat)
		sc.hidden = append(sc.hidden, c)
		sc.hiddenIDs = append(sc.hiddenIDs, c.stmts[0].EntityID)
	}
	// In half the trials, world B also holds hidden statements on records the
	// viewer sees: aliases named like other listed persons, birth dates.
	if sd%2 == 0 {
		targets := slices.Clone(sc.visibleIDs)
		targets = append(targets, l.commonIDs[rng.IntN(10)], l.commonIDs[10+rng.IntN(20)])
		for range 12 {
			targets = append(targets, pick().id)
		}
		for _, id := range targets {
			h := hiddenAud[rng.IntN(len(hiddenAud))]
			prop, val := "alias", pick().name
			if rng.IntN(3) == 0 {
				prop, val = "birthDate", strconv.Itoa(1950+rng.IntN(40))
			}
			sc.hiddenOnVisible = append(sc.hiddenOnVisible, statementOn(rng, h.owner, h.a, id, "Person", prop, val))
		}
	}
	// The viewer asks for listed persons, for the names of hidden records,
	// for the records it sees, and for travellers no list holds.
	for range 12 {
		p := pick()
		q := query{name: p.name, nat: p.nat}
		if rng.IntN(2) == 0 {
			q.birth = p.birth
		}
		sc.queries = append(sc.queries, q)
	}
	for _, c := range sc.hidden[:10] {
		sc.queries = append(sc.queries, query{name: firstValue(c.stmts, "name"), birth: firstValue(c.stmts, "birthDate")})
	}
	for _, c := range sc.background[:6] {
		sc.queries = append(sc.queries, query{name: firstValue(c.stmts, "name")})
	}
	sc.queries = append(sc.queries, query{name: "Amina Yusupova", birth: "1992-07-01"}, query{name: "Mohammed Ali", birth: "1985-03-14"}, query{name: mixName(rng, l)},
		query{name: "Mohammed Ali Hassan"}, query{name: "Mohammed Ali Hassan", birth: "1975"})
	return sc
}

// provenance is a member's contribution provenance under audience a, with a
// handling the audience allows.
func provenance(rng *rand.Rand, owner, ref string, a concord.Audience) concord.Provenance {
	hs := concord.TLPs[:3]
	if strings.HasPrefix(string(a), "member:") {
		hs = concord.TLPs
	}
	return concord.Provenance{Dataset: "member-" + owner, SourceRef: owner + ":" + ref, ContributedBy: owner,
		Audience: a, Handling: hs[rng.IntN(len(hs))]}
}

// statementOn is one statement a member adds to an existing record.
func statementOn(rng *rand.Rand, owner string, a concord.Audience, id, schema, prop, value string) contribution {
	e := concord.NewEntity(id, schema)
	e.Add(prop, value)
	return contribution{owner, e.Statements(provenance(rng, owner, id, a))[1:]}
}

// sees is the expected visibility of a contributed statement.
func sees(viewer string, s concord.Statement) bool {
	return s.ContributedBy == viewer || slices.Contains(audiencesOf(viewer), s.Audience)
}

func firstValue(stmts []concord.Statement, prop string) string {
	for _, s := range stmts {
		if s.Prop == prop {
			return s.Value
		}
	}
	return ""
}

// mixName joins name parts of two listed persons.
func mixName(rng *rand.Rand, l *lists) string {
	a := strings.Fields(l.recs[rng.IntN(len(l.recs))].name)
	b := strings.Fields(l.recs[rng.IntN(len(l.recs))].name)
	return a[0] + " " + b[len(b)-1]
}

// typo swaps two adjacent letters of a name.
func typo(rng *rand.Rand, s string) string {
	r := []rune(s)
	if len(r) < 4 {
		return s
	}
	i := 1 + rng.IntN(len(r)-2)
	r[i], r[i+1] = r[i+1], r[i]
	return string(r)
}
