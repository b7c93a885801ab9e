package search

import (
	"context"
	"reflect"
	"slices"
	"sync"

	"concord"
	"concord/match"
)

// Bounds of Apply.
const (
	applyReaders = 4   // entities read from the store at once
	applyChunk   = 256 // entities applied per hold of the write lock
)

// Refresh re-reads one entity after a change and updates the indexes.
func (s *Service) Refresh(ctx context.Context, id string) error {
	return s.Apply(ctx, []string{id})
}

// Apply re-reads the entities with these ids after a change (an import, a
// contribution, a retraction, a reshare) and updates the indexes without a
// rebuild: each entity's public record and what every other audience says
// of it. A changed public record is merged again: it leaves its merged
// record when it no longer is the same person as the others (which are
// merged again among themselves), and joins the records of other lists it
// now is the same person as (see Merge). What did not change is left
// alone, so that a change one viewer may not see leaves every index that
// viewer reads as it was. Queries go on meanwhile and see the batch
// applied a chunk at a time; other writers may run between chunks.
//
// A batch of any size is applied this way, never by a rebuild: whether the
// indexes are rebuilt must not depend on how many records some member
// changed.
func (s *Service) Apply(ctx context.Context, ids []string) error {
	ids = dedupe(ids)
	for start := 0; start < len(ids); start += applyChunk {
		if err := s.applyChunk(ctx, ids[start:min(start+applyChunk, len(ids))]); err != nil {
			return err
		}
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.compact()
	return nil
}

func (s *Service) applyChunk(ctx context.Context, ids []string) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	reads, err := s.readAll(ctx, ids)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, id := range ids {
		s.setFragments(id, reads[i].frags)
		s.setPublic(id, reads[i].pub)
	}
	return nil
}

// compactFrom is the number of removed or replaced records from which an
// index holding more of them than live ones is compacted (Service.compactAt
// when set: tests).
const compactFrom = 1000

// compact replaces the indexes that hold more removed or replaced records
// than live ones (and at least compactFrom) by compacted copies. Callers
// hold wmu: no write happens meanwhile, and queries go on.
func (s *Service) compact() {
	from := compactFrom
	if s.compactAt > 0 {
		from = s.compactAt
	}
	due := func(ix *match.Index) bool { return ix.Dead() > max(ix.Len(), from) }
	s.mu.RLock()
	base := s.base
	if due(base) {
		base = base.Compact()
	}
	classes := map[concord.Audience]*match.Index{}
	for a, ix := range s.classes {
		if due(ix) {
			classes[a] = ix.Compact()
		}
	}
	s.mu.RUnlock()
	if base == s.base && len(classes) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for a, ix := range classes {
		s.classes[a] = ix
	}
	if base != s.base {
		s.base = base
		for _, ix := range s.classes {
			ix.WeighBy(base)
		}
	}
}

// entityRead is what split read of one entity.
type entityRead struct {
	pub   *match.Record
	frags map[concord.Audience]match.Record
}

// readAll splits the entities with these ids, a few at a time.
func (s *Service) readAll(ctx context.Context, ids []string) ([]entityRead, error) {
	out := make([]entityRead, len(ids))
	errs := make([]error, len(ids))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(applyReaders, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i].pub, out[i].frags, errs[i] = s.split(ctx, ids[i])
			}
		}()
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// setPublic puts an entity's public record (nil: none) into the base index.
// Callers hold mu.
func (s *Service) setPublic(id string, pub *match.Record) {
	var before []string // the merged record id was in, in order
	if root, ok := s.clusterOf[id]; ok {
		if pub != nil && reflect.DeepEqual(s.parts[id], *pub) {
			return // its public record is unchanged: so is the merge
		}
		before = slices.Clone(s.members[root])
		s.detach(id, root)
	} else {
		if pub != nil && s.base.Holds(*pub) {
			return
		}
		s.base.Remove(id)
	}
	if pub == nil {
		return
	}
	if partners := s.partners(*pub); len(partners) > 0 {
		s.join(*pub, partners, before)
		return
	}
	s.base.Upsert(*pub)
}

// detach takes id out of the merged record root; the others are merged
// again among themselves (they may no longer be one person without it).
func (s *Service) detach(id, root string) {
	ids := s.members[root]
	s.base.Remove(root)
	delete(s.members, root)
	var rest []match.Record
	for _, x := range ids {
		delete(s.clusterOf, x)
		if x != id {
			rest = append(rest, s.parts[x])
		}
		delete(s.parts, x)
	}
	merged, members := Merge(rest)
	for _, r := range merged {
		s.put(r, members[r.ID], rest)
	}
}

// put indexes r, the merged record of the entities ids (of recs) or, when
// ids is empty, a record merged with none.
func (s *Service) put(r match.Record, ids []string, recs []match.Record) {
	s.base.Upsert(r)
	if len(ids) < 2 {
		return
	}
	s.members[r.ID] = ids
	for _, x := range ids {
		s.clusterOf[x] = r.ID
		if k := slices.IndexFunc(recs, func(p match.Record) bool { return p.ID == x }); k >= 0 {
			s.parts[x] = recs[k]
		}
	}
}

// partnerQueries bounds the names and birth dates of a record that are
// screened to find the records it may be merged with.
const partnerQueries = 4

// partners returns the base records (merged ids) pub is the same person as,
// by the rules of Merge applied to pub and the records its names find.
func (s *Service) partners(pub match.Record) []string {
	dates := pub.BirthDates[:min(len(pub.BirthDates), 2)]
	if len(dates) == 0 {
		dates = []string{""}
	}
	var roots []string
	for _, n := range pub.Names[:min(len(pub.Names), partnerQueries)] {
		for _, d := range dates {
			for _, m := range s.base.Match(match.Query{Name: n, Schema: pub.Schema, BirthDate: d}, match.Options{Limit: 4, Threshold: 0.75}) {
				if m.EntityID != pub.ID && !slices.Contains(roots, m.EntityID) {
					roots = append(roots, m.EntityID)
				}
			}
		}
	}
	if len(roots) == 0 {
		return nil
	}
	recs := []match.Record{pub}
	for _, root := range roots {
		recs = append(recs, s.partsOf(root)...)
	}
	_, members := Merge(recs)
	var group []string
	for _, ids := range members {
		if slices.Contains(ids, pub.ID) {
			group = ids
		}
	}
	var out []string
	for _, root := range roots {
		if slices.ContainsFunc(group, func(x string) bool { return s.root(x) == root }) {
			out = append(out, root)
		}
	}
	return out
}

// partsOf returns the public records of the entities merged into root.
func (s *Service) partsOf(root string) []match.Record {
	ids, ok := s.members[root]
	if !ok {
		r, _ := s.base.Record(root)
		return []match.Record{r}
	}
	out := make([]match.Record, 0, len(ids))
	for _, x := range ids {
		out = append(out, s.parts[x])
	}
	return out
}

// join merges pub with the base records partners (while no two of them
// come from one list). The entities keep the order they had in the merged
// record before (pub's too), the others follow; the first names it.
func (s *Service) join(pub match.Record, partners []string, before []string) {
	recs := []match.Record{}
	lists := map[string]bool{dataset(&pub): true}
	for _, root := range partners {
		ps := s.partsOf(root)
		if slices.ContainsFunc(ps, func(p match.Record) bool { return lists[dataset(&p)] }) {
			continue
		}
		for _, p := range ps {
			lists[dataset(&p)] = true
		}
		recs = append(recs, ps...)
		s.base.Remove(root)
		for _, x := range s.members[root] {
			delete(s.clusterOf, x)
			delete(s.parts, x)
		}
		delete(s.members, root)
	}
	if len(recs) == 0 {
		s.base.Upsert(pub)
		return
	}
	recs = append(recs, pub)
	pos := func(r match.Record) int {
		if i := slices.Index(before, r.ID); i >= 0 {
			return i
		}
		return len(before)
	}
	slices.SortStableFunc(recs, func(a, b match.Record) int { return pos(a) - pos(b) })
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	s.put(match.Combine(recs), ids, recs)
}
