// Package search is the matching service: it keeps the engine's in-memory
// index in step with the store and answers match queries for a viewer,
// returning only what that viewer may see and scoring only what it sees.
//
// The index is built from every statement (the system view) so that one index
// serves all viewers. Entities whose statements are all public are answered
// from it directly; for the others (entities carrying member contributions)
// every candidate is re-read through the viewer's filter and scored again on
// what the viewer sees, so a hidden alias can neither produce nor raise a hit.
//
// Records of different lists describing the same person are merged (see
// Merge) into one indexed record carrying every list's ref.
package search

import (
	"context"
	"slices"
	"sort"
	"sync"

	"concord"
	"concord/access"
	"concord/match"
)

// Store is what the service reads: entities, and the members and groups
// whose audiences tell restricted statements from public ones.
type Store interface {
	concord.EntityStore
	Members(ctx context.Context) ([]concord.Member, error)
	Groups(ctx context.Context) ([]concord.Group, error)
}

// Service answers match queries against the store's entities.
type Service struct {
	store Store

	mu         sync.RWMutex
	ix         *match.Index
	restricted map[string]bool     // indexed ids with at least one non-public statement
	members    map[string][]string // merged id → ids of the entities merged into it
	clusterOf  map[string]string   // entity id → merged id, for merged entities
}

// publicView is the filter of an anonymous reader of published lists.
var publicView = concord.Filter{Audiences: []concord.Audience{concord.AudiencePublic}, Handlings: concord.TLPs}

// New builds the index from the store.
func New(ctx context.Context, st Store) (*Service, error) {
	s := &Service{store: st}
	if err := s.Rebuild(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Rebuild reloads every matchable entity from the store.
func (s *Service) Rebuild(ctx context.Context) error {
	q := concord.EntityQuery{Schemata: Matchable}
	// Entities with any statement that is not public: usually few (member
	// contributions), so this pass is cheap.
	nonPublic, err := s.nonPublicView(ctx)
	if err != nil {
		return err
	}
	restrictedEntity := map[string]bool{}
	if err := s.store.EachEntity(ctx, nonPublic, q, func(e *concord.Entity) error {
		restrictedEntity[e.ID] = true
		return nil
	}); err != nil {
		return err
	}
	var recs []match.Record
	q.Props = recordProps
	if err := s.store.EachEntity(ctx, concord.System, q, func(e *concord.Entity) error {
		recs = append(recs, RecordOf(e))
		return nil
	}); err != nil {
		return err
	}
	merged, members := Merge(recs)
	clusterOf := map[string]string{}
	restricted := map[string]bool{}
	for root, ids := range members {
		for _, id := range ids {
			clusterOf[id] = root
			if restrictedEntity[id] {
				restricted[root] = true
			}
		}
	}
	for id := range restrictedEntity {
		if _, ok := clusterOf[id]; !ok {
			restricted[id] = true
		}
	}
	ix := match.Build(slices.Values(merged))
	s.mu.Lock()
	s.ix, s.restricted, s.members, s.clusterOf = ix, restricted, members, clusterOf
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

func valueCount(e *concord.Entity) int {
	n := 0
	for _, vs := range e.Properties {
		n += len(vs)
	}
	return n + len(e.Refs)
}

// group returns the indexed id an entity belongs to and the ids merged into
// it. Callers hold s.mu.
func (s *Service) group(id string) (string, []string) {
	root := id
	if r, ok := s.clusterOf[id]; ok {
		root = r
	}
	if ids, ok := s.members[root]; ok {
		return root, slices.Clone(ids)
	}
	return root, []string{root}
}

// view reads the entities of a group through f and merges what is visible;
// ok is false when f sees none of them. restricted tells whether f's view
// differs from the public one for any of them.
func (s *Service) view(ctx context.Context, f concord.Filter, ids []string) (rec match.Record, ok, restricted bool, err error) {
	var parts []match.Record
	for _, id := range ids {
		e, err := s.store.Entity(ctx, f, id)
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			continue
		}
		if err != nil {
			return rec, false, false, err
		}
		if !contains(Matchable, e.Schema) {
			continue
		}
		pub, err := s.store.Entity(ctx, publicView, id)
		if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
			return rec, false, false, err
		}
		if err != nil || valueCount(pub) != valueCount(e) {
			restricted = true
		}
		parts = append(parts, RecordOf(e))
	}
	if len(parts) == 0 {
		return rec, false, restricted, nil
	}
	return Combine(parts), true, restricted, nil
}

// Refresh re-reads one entity (and the entities merged with it) after a
// change and updates the index. A new entity is indexed on its own; it is
// merged with other lists' records at the next Rebuild.
func (s *Service) Refresh(ctx context.Context, id string) error {
	s.mu.RLock()
	root, ids := s.group(id)
	s.mu.RUnlock()
	rec, ok, restricted, err := s.view(ctx, concord.System, ids)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !ok {
		s.ix.Remove(root)
		delete(s.restricted, root)
		if len(ids) > 1 {
			delete(s.members, root)
			for _, x := range ids {
				delete(s.clusterOf, x)
			}
		}
		return nil
	}
	if rec.ID != root { // the group's first entity is gone: re-key the group
		s.ix.Remove(root)
		delete(s.restricted, root)
		if len(ids) > 1 {
			rest := slices.DeleteFunc(ids, func(x string) bool { return x == root })
			delete(s.members, root)
			delete(s.clusterOf, root)
			s.members[rec.ID] = rest
			for _, x := range rest {
				s.clusterOf[x] = rec.ID
			}
		}
	}
	s.ix.Upsert(rec)
	if restricted {
		s.restricted[rec.ID] = true
	} else {
		delete(s.restricted, rec.ID)
	}
	return nil
}

// Len is the number of indexed records (merged groups count once).
func (s *Service) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix.Len()
}

// MatchAll screens q against everything (the operator's view, used by the
// command line).
func (s *Service) MatchAll(q match.Query, opt match.Options) []match.Match {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix.Match(q, opt)
}

// Match screens q for viewer v: only entities v may see are returned, and
// entities carrying restricted statements are scored on v's view of them.
func (s *Service) Match(ctx context.Context, v access.Viewer, q match.Query, opt match.Options) ([]match.Match, error) {
	if !v.Can(access.Match) && !v.Can(access.Screen) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "matching needs the match scope")
	}
	limit := opt.Limit
	if limit <= 0 {
		limit = match.DefaultLimit
	}
	// Ask for more candidates than needed: some may be hidden from v.
	wide := opt
	wide.Limit = limit*2 + 10
	type recheck struct {
		i   int
		ids []string
	}
	s.mu.RLock()
	res := s.ix.Match(q, wide)
	var check []recheck
	for i, m := range res {
		if s.restricted[m.EntityID] {
			_, ids := s.group(m.EntityID)
			check = append(check, recheck{i, ids})
		}
	}
	s.mu.RUnlock()
	if len(check) > 0 {
		f := v.Filter()
		keep := res[:0:0]
		j := 0
		for i, m := range res {
			if j < len(check) && check[j].i == i {
				rec, ok, _, err := s.view(ctx, f, check[j].ids)
				j++
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
				// rec carries the id of the first part v sees: a hidden
				// entity's id never reaches v.
				if rescored, ok := s.score(q, rec, opt); ok {
					keep = append(keep, rescored)
				}
				continue
			}
			keep = append(keep, m)
		}
		res = keep
		sort.SliceStable(res, func(a, b int) bool {
			if res[a].Score != res[b].Score {
				return res[a].Score > res[b].Score
			}
			return res[a].EntityID < res[b].EntityID
		})
	}
	if len(res) > limit {
		res = res[:limit]
	}
	return res, nil
}

// score scores one record outside the index, with the index's statistics.
func (s *Service) score(q match.Query, r match.Record, opt match.Options) (match.Match, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix.Score(q, r, opt)
}
