package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"concord"
)

// randomEntity is entity id's statements drawn from rng: a person,
// organisation, account or company holding something and sharing an
// address, or a link of any kind between two of the n entities, under
// audiences drawn from auds; nil now and then (the entity is gone).
func randomEntity(rng *rand.Rand, id string, n int, auds []concord.Provenance) []concord.Statement {
	other := func() string { return fmt.Sprint("e", rng.IntN(n)) }
	if rng.IntN(8) == 0 {
		return nil
	}
	var ss []concord.Statement
	if rng.IntN(2) == 0 {
		schema := []string{"Person", "Organization", "BankAccount", "Company"}[rng.IntN(4)]
		for j := 0; j < 1+rng.IntN(2); j++ {
			ss = append(ss, ent(id, schema, auds[rng.IntN(len(auds))], "name", fmt.Sprint("N", id, j),
				"address", []string{"1 Main Street Town", "2 High Road City", ""}[rng.IntN(3)], "holder", other())...)
		}
		return ss
	}
	typ := []string{"Ownership", "Family", "Associate", "UnknownLink", "Payment", "Directorship", "Membership"}[rng.IntN(7)]
	l := linkSchemata[typ]
	a, b := auds[rng.IntN(len(auds))], auds[rng.IntN(len(auds))]
	ss = append(ent(id, typ, a, l.from, other(), "role", "r"), ent(id, typ, b, l.to, other())...)
	if rng.IntN(3) == 0 {
		ss = append(ss, ent(id, typ, b, l.to, other())...)
	}
	return ss
}

// answers is every question about every entity, as JSON, for viewer f.
func answers(ix *Index, f concord.Filter, n int) []byte {
	v := ix.View(f)
	var out bytes.Buffer
	for i := 0; i < n; i++ {
		e := fmt.Sprint("e", i)
		for _, q := range []func() (any, error){
			func() (any, error) { return v.Neighbourhood(e, 3, 0) },
			func() (any, error) { return v.Neighbourhood(e, 2, 4) }, // truncated: the order counts
			func() (any, error) { return v.Exposure(e, 4, 0) },
			func() (any, error) { return v.Paths(e, fmt.Sprint("e", (i+7)%n), 5, 0) },
			func() (any, error) { return v.Analyse(e, 3, 5) },
		} {
			a, err := q()
			j, _ := json.Marshal(a)
			fmt.Fprintf(&out, "%s %s %s\n", e, concord.ErrorCode(err), j)
		}
	}
	return out.Bytes()
}

// An index that follows changes entity by entity (records changed,
// added, removed, their audiences changed) answers every viewer exactly as
// one built afresh from the final statements, in the store's order or any
// other, and so does its snapshot.
func TestReplaceIsARebuild(t *testing.T) {
	seeds := 6
	if testing.Short() || raceEnabled {
		seeds = 2
	}
	auds := []concord.Provenance{public, esOnly, ttwg,
		{Dataset: "member-uz", ContributedBy: "uz", Audience: concord.MemberAudience("uz"), Handling: concord.TLPRed},
		{Dataset: "member-es", ContributedBy: "es", Audience: concord.AudienceCoalition, Handling: concord.TLPGreen}}
	viewers := []concord.Filter{esView, frView, uzView, concord.System}
	const n = 40
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 11))
		state := map[string][]concord.Statement{}
		for i := range n {
			id := fmt.Sprint("e", i)
			state[id] = randomEntity(rng, id, n, auds)
		}
		ix := NewIndex()
		for _, id := range rng.Perm(n) {
			ix.Add(state[fmt.Sprint("e", id)])
		}
		for step := range 60 {
			id := fmt.Sprint("e", rng.IntN(n))
			switch rng.IntN(3) {
			case 0: // its audience changes: the same statements, another provenance
				p := auds[rng.IntN(len(auds))]
				ss := slices.Clone(state[id])
				for i := range ss {
					ss[i].Dataset, ss[i].ContributedBy, ss[i].Audience, ss[i].Handling = p.Dataset, p.ContributedBy, p.Audience, p.Handling
				}
				state[id] = ss
			default:
				state[id] = randomEntity(rng, id, n, auds)
			}
			if rng.IntN(2) == 0 {
				ix.Replace(id, state[id])
			} else {
				ix.ReplaceAll([]string{id}, state)
			}
			if step%20 != 19 {
				continue
			}
			inOrder, shuffled := NewIndex(), NewIndex()
			for _, id := range slices.Sorted(maps.Keys(state)) {
				inOrder.Add(state[id])
			}
			for _, i := range rng.Perm(n) {
				shuffled.Add(state[fmt.Sprint("e", i)])
			}
			decoded, err := DecodeIndex(&reader{b: encode(ix)})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range viewers {
				want := answers(inOrder, f, n)
				for name, got := range map[string]*Index{"followed": ix, "built in another order": shuffled, "decoded": decoded} {
					if a := answers(got, f, n); !bytes.Equal(a, want) {
						t.Fatalf("seed %d step %d viewer %q: %s differs from a build in id order:\n%s\nwant\n%s", seed, step, f.Member, name, a, want)
					}
				}
			}
			// Removed edges are gone from the snapshot (an entity removed
			// leaves an empty node, as one that is only linked to).
			if a, b := decoded.nodesEdges(), inOrder.nodesEdges(); a[1] != b[1] || a[0] < b[0] {
				t.Errorf("seed %d: the snapshot has %v nodes and edges, a build %v", seed, a, b)
			}
		}
	}
}

// Questions go on while entities change (run with -race).
func TestReplaceWhileAsked(t *testing.T) {
	ix := build(world())
	v := ix.View(esView)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range 200 {
				if _, err := v.Neighbourhood("un-L", 4, 0); err != nil {
					t.Error(err)
					return
				}
				if _, err := ix.View(frView).Exposure("fr-X", 4, 0); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for i := range 200 {
		p := []concord.Provenance{esOnly, ttwg, {Dataset: "member-uz", ContributedBy: "uz", Audience: concord.MemberAudience("uz"), Handling: concord.TLPRed}}[i%3]
		ix.Replace("fr-own", ent("fr-own", "Ownership", p, "owner", "m-C", "asset", "fr-X", "percentage", fmt.Sprint(i)))
		ix.Replace("m-new", ent("m-new", "Person", p, "name", fmt.Sprint("New ", i), "address", "12 Rue des Martyrs, Idlib, Syria"))
	}
	wg.Wait()
}

func (ix *Index) nodesEdges() [2]int {
	n, e := ix.Len()
	return [2]int{n, e}
}
