// Package recheck shows stored screening outcomes — alerts and the results
// of jobs — as their reader may see them now, not as they were when they
// were made. They are snapshots of a match against a listed record as the
// job's owner saw it then; if the record's originator has narrowed or
// retracted it since, the snapshot would show a caption, values and a score
// that its reader may no longer see. So each outcome is read back through
// the reader's view, as every other read is:
//
//   - a record the reader no longer sees takes its outcome with it: the
//     alert is not found, the result loses the match;
//   - a record whose view changed since (its version, concord.Entity.Version,
//     differs from the one stored with the outcome) is screened again, with
//     the stored query, on the reader's view: the outcome shows that match,
//     or, for a result, none when it fell below the job's threshold;
//   - an unchanged record leaves the outcome as it was stored.
//
// The package reads through the contracts only (an entity reader and the
// matcher); the API and the console both use it.
package recheck

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"

	"concord"
	"concord/access"
	"concord/internal/job"
	"concord/match"
)

// Entities reads an entity as a filter sees it (concord.EntityStore has it).
type Entities interface {
	Entity(ctx context.Context, f concord.Filter, id string) (*concord.Entity, error)
}

// Matcher screens a query for a viewer (the search service).
type Matcher interface {
	Match(ctx context.Context, v access.Viewer, q match.Query, opt match.Options) ([]match.Match, error)
}

// View rechecks the outcomes one reader reads in one request; it remembers
// the entities it read. It is not safe for concurrent use.
type View struct {
	ctx     context.Context
	st      Entities
	m       Matcher
	v       access.Viewer
	f       concord.Filter
	current map[string]*concord.Entity // nil value: not visible
}

// For returns the View of v.
func For(ctx context.Context, st Entities, m Matcher, v access.Viewer) *View {
	return &View{ctx: ctx, st: st, m: m, v: v, f: v.Filter(), current: map[string]*concord.Entity{}}
}

// entity returns the entity as the reader sees it, or nil when hidden or
// gone.
func (w *View) entity(id string) (*concord.Entity, error) {
	if e, ok := w.current[id]; ok {
		return e, nil
	}
	e, err := w.st.Entity(w.ctx, w.f, id)
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		e, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	w.current[id] = e
	return e, nil
}

// rescore screens q again for the reader and returns its match with id, or
// nil when id no longer matches at all.
func (w *View) rescore(q *job.Query, id string) (*match.Match, error) {
	if q.Name == "" {
		return nil, nil // nothing to screen again: the match cannot be shown
	}
	ms, err := w.m.Match(w.ctx, w.v, q.MatchQuery(), match.Options{Threshold: 1e-6, Limit: 100})
	if err != nil {
		return nil, err
	}
	for i := range ms {
		if ms[i].EntityID == id {
			return &ms[i], nil
		}
	}
	return nil, nil
}

// Alert returns a as the reader may see it now (see the package comment),
// or nil when the reader no longer sees its listed record. A changed
// record's alert gets the new match, score and version: a decision taken on
// it is one on what the reviewer saw.
func (w *View) Alert(a *concord.Alert) (*concord.Alert, error) {
	if a.EntityVersion == job.FlagHighRisk {
		return a, nil // a payment flag names a country, not a record
	}
	e, err := w.entity(a.EntityID)
	if err != nil || e == nil {
		return nil, err
	}
	ver := e.Version()
	if ver == a.EntityVersion {
		return a, nil
	}
	var q job.Query
	_ = json.Unmarshal(a.Query, &q) // a query that does not read is one not screened again
	m, err := w.rescore(&q, a.EntityID)
	if err != nil {
		return nil, err
	}
	if m == nil {
		m = &match.Match{EntityID: e.ID, Caption: e.Caption(), Schema: e.Schema, Refs: e.Refs, Explanation: []match.Feature{}}
	}
	out := *a
	out.Match, _ = json.Marshal(m)
	out.Score, out.EntityVersion = m.Score, ver
	return &out, nil
}

// Result returns a job row's stored result (a job.Result as JSON; query is
// the row's query) as the reader may see it now, dropping the matches of
// records the reader no longer sees or that no longer reach threshold, and
// leaving out the versions stored with it. Matches stay best first.
func (w *View) Result(raw, query []byte, threshold float64) ([]byte, error) {
	var r job.Result
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	kept := make([]match.Match, 0, len(r.Matches))
	changed := false
	for i, m := range r.Matches {
		e, err := w.entity(m.EntityID)
		if err != nil {
			return nil, err
		}
		if e == nil {
			changed = true
			continue
		}
		if i < len(r.Versions) && r.Versions[i] == e.Version() {
			kept = append(kept, m)
			continue
		}
		// Changed since, or stored before versions were: screened again.
		changed = true
		var q job.Query
		_ = json.Unmarshal(query, &q) // one that does not read is not screened again
		nm, err := w.rescore(&q, m.EntityID)
		if err != nil {
			return nil, err
		}
		if nm != nil && nm.Score >= threshold {
			kept = append(kept, *nm)
		}
	}
	if changed {
		slices.SortStableFunc(kept, func(a, b match.Match) int { return cmp.Compare(b.Score, a.Score) })
	}
	r.Matches, r.Versions = kept, nil
	return json.Marshal(&r)
}
