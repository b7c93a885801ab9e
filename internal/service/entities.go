package service

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"concord"
	"concord/access"
	"concord/match"
)

// Entity returns the entity as v sees it. The read is audited, a miss too.
func (s *Service) Entity(ctx context.Context, v access.Viewer, id string) (*concord.Entity, error) {
	return s.EntityFor(ctx, v, id, "")
}

// EntityFor is Entity with the purpose of the read, which a minor's record
// requires (see guard); the purpose is audited.
func (s *Service) EntityFor(ctx context.Context, v access.Viewer, id, purpose string) (*concord.Entity, error) {
	if err := Need(v, access.Read, "reading entities"); err != nil {
		return nil, err
	}
	e, err := s.Store.Entity(ctx, v.Filter(), id)
	if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
		return nil, err
	}
	detail := ""
	if err != nil {
		detail = "not_found"
	}
	var gerr error
	if e != nil {
		gerr = guard(e, purpose)
		detail = guardDetail(gerr, purpose)
	}
	if aerr := s.Audit(ctx, "entity.read", id, detail); aerr != nil {
		return nil, aerr
	}
	if err != nil {
		return nil, Hidden(err, "entity")
	}
	if gerr != nil {
		return nil, gerr
	}
	return e, nil
}

// Statements returns the statements about an entity that v sees, with
// their provenance; none is not found. The read is audited.
func (s *Service) Statements(ctx context.Context, v access.Viewer, id string) ([]concord.Statement, error) {
	return s.StatementsFor(ctx, v, id, "")
}

// StatementsFor is Statements with the purpose of the read (see guard).
func (s *Service) StatementsFor(ctx context.Context, v access.Viewer, id, purpose string) ([]concord.Statement, error) {
	if err := Need(v, access.Read, "reading statements"); err != nil {
		return nil, err
	}
	st, err := s.Store.Statements(ctx, v.Filter(), id)
	if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
		return nil, err
	}
	detail := ""
	if err != nil || len(st) == 0 {
		detail = "not_found"
	}
	var gerr error
	if detail == "" {
		gerr = guard(concord.Assemble(st)[0], purpose)
		detail = guardDetail(gerr, purpose)
	}
	if aerr := s.Audit(ctx, "entity.statements", id, detail); aerr != nil {
		return nil, aerr
	}
	if detail == "not_found" {
		return nil, NotFound("entity")
	}
	if gerr != nil {
		return nil, gerr
	}
	return st, nil
}

// Counts returns the number of entities per schema in v's view, and their
// total. The read is audited.
func (s *Service) Counts(ctx context.Context, v access.Viewer) (map[string]int, int, error) {
	if err := Need(v, access.Read, "reading counts"); err != nil {
		return nil, 0, err
	}
	counts, err := s.Store.Counts(ctx, v.Filter())
	if err != nil {
		return nil, 0, err
	}
	if counts == nil {
		counts = map[string]int{}
	}
	n := 0
	for _, k := range counts {
		n += k
	}
	if err := s.Audit(ctx, "stats", "", ""); err != nil {
		return nil, 0, err
	}
	return counts, n, nil
}

// Hit is one ranked result: the entity as the viewer sees it and the best
// match of any of the query's names against it.
type Hit struct {
	Entity *concord.Entity
	Match  match.Match
	// IsMatch is Score >= the request's threshold (results down to the
	// cutoff are returned too).
	IsMatch bool
}

// Rank matches each name of a query (qs share everything but the name),
// keeps the best score per entity, and returns at most limit entities as
// the viewer sees them, best first, optionally of one dataset only. A
// result the viewer cannot see (a stale index) is dropped, never shown.
func (s *Service) Rank(ctx context.Context, v access.Viewer, qs []match.Query, dataset string, limit int, threshold, cutoff float64) ([]Hit, error) {
	opt := match.Options{Limit: limit, Threshold: max(cutoff, 1e-6)}
	best := map[string]match.Match{}
	for _, q := range qs {
		ms, err := s.Matcher.Match(ctx, v, q, opt)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if old, ok := best[m.EntityID]; !ok || m.Score > old.Score {
				best[m.EntityID] = m
			}
		}
	}
	ranked := make([]match.Match, 0, len(best))
	for _, m := range best {
		ranked = append(ranked, m)
	}
	slices.SortFunc(ranked, func(a, b match.Match) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.EntityID, b.EntityID)
	})
	res := make([]Hit, 0, min(limit, len(ranked)))
	f := v.Filter()
	for _, m := range ranked {
		if len(res) == limit {
			break
		}
		e, err := s.Store.Entity(ctx, f, m.EntityID)
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if dataset != "" && !slices.Contains(e.Datasets, dataset) {
			continue
		}
		res = append(res, Hit{Entity: e, Match: m, IsMatch: m.Score >= threshold})
	}
	return res, nil
}

// SearchRequest is a name search.
type SearchRequest struct {
	Q         string // the name, in any script
	Schema    string // "" = any
	Limit     int    // 0: 20
	Threshold float64
}

// Search finds entities by name through the matcher, as v sees them. The
// search is audited with its query and the number of results.
func (s *Service) Search(ctx context.Context, v access.Viewer, req SearchRequest) ([]Hit, error) {
	if err := Need(v, access.Read, "searching"); err != nil {
		return nil, err
	}
	q := strings.TrimSpace(req.Q)
	if q == "" {
		return nil, concord.Errorf(concord.EINVALID, "parameter q: a name to search for is needed")
	}
	if len(q) > 500 {
		return nil, concord.Errorf(concord.EINVALID, "parameter q: at most 500 bytes")
	}
	if req.Schema != "" && concord.SchemaByName(req.Schema) == nil {
		return nil, concord.Errorf(concord.EINVALID, "unknown schema %q", req.Schema)
	}
	if req.Limit <= 0 {
		req.Limit = 20
	}
	res, err := s.Rank(ctx, v, []match.Query{{ID: "search", Schema: req.Schema, Name: q}}, "", req.Limit, req.Threshold, req.Threshold)
	if err != nil {
		return nil, err
	}
	if err := s.Audit(ctx, "search", req.Schema, "q="+Truncate(q, 200)+" results="+strconv.Itoa(len(res))); err != nil {
		return nil, err
	}
	return res, nil
}

// Truncate cuts s to at most n bytes on a rune boundary.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Screen matches one query (a name with birth date, nationality, gender,
// document) for v and returns up to limit ranked, explained results down
// to threshold. The screening is audited with the number of hits.
func (s *Service) Screen(ctx context.Context, v access.Viewer, q match.Query, limit int, threshold float64) ([]Hit, error) {
	if err := Need(v, access.Match, "screening a name"); err != nil {
		return nil, err
	}
	q.Name = strings.TrimSpace(q.Name)
	if q.Name == "" {
		return nil, concord.Errorf(concord.EINVALID, "name: a name to screen is needed")
	}
	if len(q.Name) > 500 {
		return nil, concord.Errorf(concord.EINVALID, "name: at most 500 bytes")
	}
	if q.Schema != "" && concord.SchemaByName(q.Schema) == nil {
		return nil, concord.Errorf(concord.EINVALID, "unknown schema %q", q.Schema)
	}
	if limit <= 0 {
		limit = match.DefaultLimit
	}
	res, err := s.Rank(ctx, v, []match.Query{q}, "", limit, threshold, threshold)
	if err != nil {
		return nil, err
	}
	hits := 0
	for _, h := range res {
		if h.IsMatch {
			hits++
		}
	}
	if err := s.Audit(ctx, "match", "", "queries="+Truncate(q.ID, 100)+" hits="+strconv.Itoa(hits)); err != nil {
		return nil, err
	}
	return res, nil
}

// History returns every statement about an entity v may see, retracted
// ones included: removals from published lists, and the member's own
// retractions (another member's retracted statement stays out). None is not
// found. The read is audited.
func (s *Service) History(ctx context.Context, v access.Viewer, id string) ([]concord.Statement, error) {
	if err := Need(v, access.Read, "reading history"); err != nil {
		return nil, err
	}
	f := v.Filter()
	f.IncludeRetracted = true
	st, err := s.Store.Statements(ctx, f, id)
	if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
		return nil, err
	}
	out := st[:0]
	for _, x := range st {
		if x.Retracted && x.ContributedBy != "" && x.ContributedBy != v.Member {
			continue
		}
		out = append(out, x)
	}
	detail := ""
	if len(out) == 0 {
		detail = "not_found"
	}
	var gerr error
	if detail == "" {
		gerr = guard(concord.Assemble(out)[0], "")
		detail = guardDetail(gerr, "")
	}
	if aerr := s.Audit(ctx, "entity.history", id, detail); aerr != nil {
		return nil, aerr
	}
	if detail == "not_found" {
		return nil, NotFound("entity")
	}
	if gerr != nil {
		return nil, gerr
	}
	return out, nil
}

// Datasets lists the imported datasets v has records of: published and
// operator-loaded lists, and v's own member's contributions (another
// member's contribution dataset is not named to it).
func (s *Service) Datasets(ctx context.Context, v access.Viewer) ([]concord.DatasetInfo, error) {
	if err := Need(v, access.Read, "listing datasets"); err != nil {
		return nil, err
	}
	ds, err := s.Store.Datasets(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ds, func(d concord.DatasetInfo) bool {
		return strings.HasPrefix(d.Name, "member-") && d.Name != "member-"+v.Member
	}), nil
}

// Imports returns the latest imports (at most limit, newest first) of the
// datasets v has records of, each with its delta in Detail ("+added
// ~changed -removed" records).
func (s *Service) Imports(ctx context.Context, v access.Viewer, limit int) ([]concord.AuditEvent, error) {
	ds, err := s.Datasets(ctx, v)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, d := range ds {
		known[d.Name] = true
	}
	var out []concord.AuditEvent
	after := int64(0)
	for {
		evs, err := s.Store.AuditEvents(ctx, concord.AuditQuery{Action: "import", After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, ev := range evs {
			if known[ev.Object] {
				out = append(out, ev)
			}
		}
		if len(evs) < 1000 {
			break
		}
		after = evs[len(evs)-1].Seq
	}
	slices.Reverse(out)
	return out[:min(len(out), limit)], nil
}

// Referencing returns up to limit entities, as v sees them, that link to
// the entity id through a value v may see (a passport's holder, a
// sanction's entity, a membership's member ...).
func (s *Service) Referencing(ctx context.Context, v access.Viewer, id string, limit int) ([]*concord.Entity, error) {
	if err := Need(v, access.Read, "reading links"); err != nil {
		return nil, err
	}
	var out []*concord.Entity
	enough := errors.New("enough")
	err := s.Store.EachEntity(ctx, v.Filter(), concord.EntityQuery{Referencing: id}, func(e *concord.Entity) error {
		out = append(out, e)
		if len(out) >= limit {
			return enough
		}
		return nil
	})
	if err != nil && !errors.Is(err, enough) {
		return nil, err
	}
	return out, nil
}
