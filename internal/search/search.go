// Package search is the matching service: it keeps the engine's in-memory
// indexes in step with the store and answers match queries for a viewer.
// What a viewer gets — results, their order, scores, explanations — is a
// function of what that viewer may see and nothing else.
//
// The statements of the store are split by audience. The published lists
// (audience public, which every viewer sees) form the base index: its
// records are merged across lists (see Merge), and its part statistics are
// the only ones any score uses. Every other audience (coalition, a group, a
// member) has an index of its own, holding for each entity what that
// audience's statements say of it. A viewer's query runs on the base index
// and on the indexes of the audiences the viewer is in — never on another —
// each capping its candidates on its own records; every candidate is then
// scored on the viewer's whole view of it (its public record plus what the
// viewer's audiences add) with the base statistics. A record the viewer may
// not see therefore takes no candidate slot, moves no part weight and
// changes no score.
//
// A member's own statements under an audience its member has left (a group
// it no longer belongs to) are not matched for it; everything else it sees
// is.
package search

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"concord"
	"concord/access"
	"concord/match"
)

// Store is what the service reads: entities and statements, and the members
// and groups whose audiences tell restricted statements from public ones.
type Store interface {
	concord.EntityStore
	Members(ctx context.Context) ([]concord.Member, error)
	Groups(ctx context.Context) ([]concord.Group, error)
}

// Service answers match queries against the store's entities.
type Service struct {
	store Store
	// wmu serialises writers (Rebuild, Refresh): they read the store
	// without holding mu, then apply under it.
	wmu sync.Mutex

	mu        sync.RWMutex
	base      *match.Index        // public records, merged across lists
	members   map[string][]string // merged id → ids of the entities merged into it
	clusterOf map[string]string   // entity id → merged id, for merged entities
	// parts holds the public record of each merged entity, to merge again
	// when one of them changes.
	parts     map[string]match.Record
	classes   map[concord.Audience]*match.Index // what each non-public audience says
	audiences []concord.Audience                // keys of classes, sorted
	compactAt int                               // dead records from which to compact; 0: compactFrom
}

// publicView is the filter of the published lists.
var publicView = concord.Filter{Audiences: []concord.Audience{concord.AudiencePublic}, Handlings: concord.TLPs}

// New builds the indexes from the store.
func New(ctx context.Context, st Store) (*Service, error) {
	s := Open(st)
	if err := s.Rebuild(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Open returns a service on st whose indexes are empty until Rebuild or
// Load fills them.
func Open(st Store) *Service {
	return &Service{store: st, base: match.NewIndex(), members: map[string][]string{}, clusterOf: map[string]string{},
		parts: map[string]match.Record{}, classes: map[concord.Audience]*match.Index{}}
}

// Len is the number of indexed records: the public records (merged records
// count once) and, for each other audience, the records it says something
// of.
func (s *Service) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := s.base.Len()
	for _, ix := range s.classes {
		n += ix.Len()
	}
	return n
}

// MatchAll screens q against everything (the operator's view, used by the
// command line).
func (s *Service) MatchAll(q match.Query, opt match.Options) []match.Match {
	return s.match(q, opt, func(concord.Audience) bool { return true })
}

// Match screens q for viewer v: only what v may see is returned, and every
// result is scored on v's view of it.
func (s *Service) Match(ctx context.Context, v access.Viewer, q match.Query, opt match.Options) ([]match.Match, error) {
	if !v.Can(access.Match) && !v.Can(access.Screen) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "matching needs the match scope")
	}
	f := v.Filter()
	if !whole(f, concord.AudiencePublic) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "matching needs a view of the published lists")
	}
	return s.match(q, opt, func(a concord.Audience) bool { return whole(f, a) }), nil
}

// whole reports whether f admits every statement of audience a.
func whole(f concord.Filter, a concord.Audience) bool {
	if f.All {
		return true
	}
	if !slices.Contains(f.Audiences, a) {
		return false
	}
	for _, h := range concord.TLPs {
		if !slices.Contains(f.Handlings, h) {
			return false
		}
	}
	return true
}

// match screens q on the base index and on the indexes of the audiences
// visible says the reader sees wholly.
func (s *Service) match(q match.Query, opt match.Options, visible func(concord.Audience) bool) []match.Match {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var vis []*match.Index
	for _, a := range s.audiences {
		if ix := s.classes[a]; ix.Len() > 0 && visible(a) {
			vis = append(vis, ix)
		}
	}
	if len(vis) == 0 {
		return s.base.Match(q, opt)
	}
	// Each audience's index gives candidates capped among its own records,
	// all of which the reader sees. An entity of that audience only is
	// scored there (weighed by the base); a candidate the base index holds
	// (a listed person with an alias the reader sees) is scored in the base
	// index on the reader's view of it, and an entity several audiences
	// speak of on the union of what they say.
	base := match.View{Extra: func(id string) []match.Record { return s.fragments(vis, id) }}
	seen := map[string]bool{}
	var out []match.Match
	for _, ix := range vis {
		skip := func(id string) bool {
			root := s.root(id)
			if s.base.Has(root) {
				if !seen[root] {
					seen[root] = true
					base.Include = append(base.Include, root)
				}
				return true
			}
			if n := s.holders(vis, id); n > 1 {
				if !seen[id] {
					seen[id] = true
					base.Records = append(base.Records, match.Combine(s.fragmentsOf(vis, id)))
				}
				return true
			}
			return false
		}
		out = append(out, ix.MatchView(q, opt, match.View{Skip: skip})...)
	}
	out = append(out, s.base.MatchView(q, opt, base)...)
	slices.SortFunc(out, func(a, b match.Match) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return cmp.Compare(a.EntityID, b.EntityID)
	})
	limit := opt.Limit
	if limit <= 0 {
		limit = match.DefaultLimit
	}
	return out[:min(len(out), limit)]
}

// root returns the indexed id an entity belongs to. Callers hold mu.
func (s *Service) root(id string) string {
	if r, ok := s.clusterOf[id]; ok {
		return r
	}
	return id
}

// fragments returns what the audiences of vis say of a base record: of
// each entity merged into it, in order. Callers hold mu.
func (s *Service) fragments(vis []*match.Index, root string) []match.Record {
	ids, ok := s.members[root]
	if !ok {
		return s.fragmentsOf(vis, root)
	}
	var out []match.Record
	for _, id := range ids {
		out = append(out, s.fragmentsOf(vis, id)...)
	}
	return out
}

// holders returns how many of the indexes of vis hold id.
func (s *Service) holders(vis []*match.Index, id string) int {
	n := 0
	for _, ix := range vis {
		if ix.Has(id) {
			n++
		}
	}
	return n
}

// fragmentsOf returns what the audiences of vis say of one entity.
func (s *Service) fragmentsOf(vis []*match.Index, id string) []match.Record {
	var out []match.Record
	for _, ix := range vis {
		if r, ok := ix.Record(id); ok {
			out = append(out, r)
		}
	}
	return out
}
