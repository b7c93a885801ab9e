package search

import (
	"context"
	"slices"

	"concord"
	"concord/match"
)

// Rebuild reloads every matchable entity from the store: the public
// records in one pass, then each entity with statements of another
// audience, split by audience.
func (s *Service) Rebuild(ctx context.Context) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.rebuild(ctx)
}

// rebuild is Rebuild; callers hold wmu.
func (s *Service) rebuild(ctx context.Context) error {
	q := concord.EntityQuery{Schemata: Matchable, Props: recordProps}
	var recs []match.Record
	if err := s.store.EachEntity(ctx, publicView, q, func(e *concord.Entity) error {
		recs = append(recs, RecordOf(e))
		return nil
	}); err != nil {
		return err
	}
	// Merged over recs: a million records are not held twice.
	merged, members, parts := mergeInPlace(recs)
	recs = nil
	clusterOf := map[string]string{}
	for root, ids := range members {
		for _, id := range ids {
			clusterOf[id] = root
		}
	}
	// The records are dropped as they are indexed: what the index keeps of
	// them is their strings, not the records.
	base := match.Build(func(yield func(match.Record) bool) {
		for i := range merged {
			r := merged[i]
			merged[i] = match.Record{}
			if !yield(r) {
				return
			}
		}
	})
	merged = nil

	nonPublic, err := s.nonPublicView(ctx)
	if err != nil {
		return err
	}
	var restricted []string
	if err := s.store.EachEntity(ctx, nonPublic, q, func(e *concord.Entity) error {
		restricted = append(restricted, e.ID)
		return nil
	}); err != nil {
		return err
	}
	classes := map[concord.Audience]*match.Index{}
	for start := 0; start < len(restricted); start += applyChunk {
		reads, err := s.readAll(ctx, restricted[start:min(start+applyChunk, len(restricted))])
		if err != nil {
			return err
		}
		for _, rd := range reads {
			for a, r := range rd.frags {
				if classes[a] == nil {
					classes[a] = match.NewIndex()
					classes[a].WeighBy(base)
				}
				classes[a].Upsert(r)
			}
		}
	}
	audiences := make([]concord.Audience, 0, len(classes))
	for a := range classes {
		audiences = append(audiences, a)
	}
	slices.Sort(audiences)

	s.mu.Lock()
	s.base, s.members, s.clusterOf, s.parts = base, members, clusterOf, parts
	s.classes, s.audiences = classes, audiences
	s.mu.Unlock()
	return nil
}

// nonPublicView admits every statement whose audience is not public.
func (s *Service) nonPublicView(ctx context.Context) (concord.Filter, error) {
	f := concord.Filter{Audiences: []concord.Audience{concord.AudienceCoalition}, Handlings: concord.TLPs}
	ms, err := s.store.Members(ctx)
	if err != nil {
		return f, err
	}
	for _, m := range ms {
		f.Audiences = append(f.Audiences, concord.MemberAudience(m.ID))
	}
	gs, err := s.store.Groups(ctx)
	if err != nil {
		return f, err
	}
	for _, g := range gs {
		f.Audiences = append(f.Audiences, concord.GroupAudience(g.ID))
	}
	return f, nil
}

// split reads an entity's statements and assembles what each audience says
// of it: the public record (nil when there is none) and one record per
// other audience. An entity that is gone yields nothing.
func (s *Service) split(ctx context.Context, id string) (*match.Record, map[concord.Audience]match.Record, error) {
	stmts, err := s.store.Statements(ctx, concord.System, id)
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	by := map[concord.Audience][]concord.Statement{}
	for _, st := range stmts {
		if st.Prop == "id" || slices.Contains(recordProps, st.Prop) {
			by[st.Audience] = append(by[st.Audience], st)
		}
	}
	var pub *match.Record
	frags := map[concord.Audience]match.Record{}
	for a, ss := range by {
		e := concord.Assemble(ss)[0]
		if !slices.Contains(Matchable, e.Schema) {
			continue
		}
		r := RecordOf(e)
		if a == concord.AudiencePublic {
			pub = &r
		} else {
			frags[a] = r
		}
	}
	return pub, frags, nil
}

// setFragments replaces what the non-public audiences say of an entity.
// Callers hold mu.
func (s *Service) setFragments(id string, frags map[concord.Audience]match.Record) {
	for _, a := range s.audiences {
		if _, ok := frags[a]; !ok {
			s.classes[a].Remove(id)
		}
	}
	for a, r := range frags {
		ix := s.classes[a]
		if ix != nil && ix.Holds(r) {
			continue // unchanged: the audience's index stays as it is
		}
		if ix == nil {
			ix = match.NewIndex()
			ix.WeighBy(s.base)
			s.classes[a] = ix
			i, _ := slices.BinarySearch(s.audiences, a)
			s.audiences = slices.Insert(s.audiences, i, a)
		}
		ix.Upsert(r)
	}
}
