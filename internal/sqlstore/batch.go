// Validation of an import batch and the plan of what it changes, computed in
// Go from the dataset's current statements.

package sqlstore

import (
	"slices"
	"sort"
	"strconv"
	"time"

	"concord"
)

// PrepareBatch validates b and returns its statements de-duplicated by ID (the
// first occurrence keeps its position, first/last seen are merged), with ids,
// datasets and timestamps filled in. Nothing is written before this succeeds.
func PrepareBatch(b *concord.ImportBatch, now time.Time) ([]concord.Statement, error) {
	if b == nil {
		return nil, concord.Errorf(concord.EINVALID, "import: no batch")
	}
	if b.Dataset == "" {
		return nil, concord.Errorf(concord.EINVALID, "import: batch has no dataset")
	}
	now = now.UTC().Truncate(time.Microsecond)
	out := make([]concord.Statement, 0, len(b.Statements))
	pos := make(map[string]int, len(b.Statements))
	for i := range b.Statements {
		s := b.Statements[i]
		if err := checkStatement(b.Dataset, i, &s); err != nil {
			return nil, err
		}
		s.FirstSeen, s.LastSeen = seen(s.FirstSeen, s.LastSeen, now)
		s.Seq = 0
		if j, ok := pos[s.ID]; ok {
			d := &out[j]
			d.FirstSeen = minTime(d.FirstSeen, s.FirstSeen)
			d.LastSeen = maxTime(d.LastSeen, s.LastSeen)
			continue
		}
		pos[s.ID] = len(out)
		out = append(out, s)
	}
	return out, nil
}

func checkStatement(dataset string, i int, s *concord.Statement) error {
	bad := func(format string, args ...any) error {
		e := concord.Errorf(concord.EINVALID, format, args...)
		e.Message = "import " + dataset + ": statement " + strconv.Itoa(i+1) + ": " + e.Message
		return e
	}
	switch {
	case s.EntityID == "":
		return bad("empty entity id")
	case s.Schema == "":
		return bad("entity %s: empty schema", s.EntityID)
	case s.Prop == "":
		return bad("entity %s: empty property", s.EntityID)
	case s.Dataset != "" && s.Dataset != dataset:
		return bad("entity %s: dataset %q in a batch of %q", s.EntityID, s.Dataset, dataset)
	case s.Retracted:
		return bad("entity %s: retracted statement (leave it out of the batch to retract it)", s.EntityID)
	case !slices.Contains(concord.TLPs, s.Handling):
		return bad("entity %s: unknown handling %q", s.EntityID, s.Handling)
	}
	if _, err := concord.ParseAudience(string(s.Audience)); err != nil {
		return bad("entity %s: unknown audience %q", s.EntityID, s.Audience)
	}
	s.Dataset = dataset
	if s.ID == "" {
		*s = s.MakeID()
	}
	return nil
}

// seen fills zero timestamps with now, normalised to UTC microseconds.
func seen(first, last, now time.Time) (time.Time, time.Time) {
	first, last = first.UTC().Truncate(time.Microsecond), last.UTC().Truncate(time.Microsecond)
	switch {
	case first.IsZero() && last.IsZero():
		first, last = now, now
	case first.IsZero():
		first = last
	case last.IsZero():
		last = maxTime(first, now)
	}
	if last.Before(first) {
		last = first
	}
	return first, last
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Stored is what the planner needs of a statement already in the dataset.
type Stored struct {
	EntityID  string
	Schema    string
	SourceRef string
	Audience  string
	Handling  string
	FirstSeen time.Time
	LastSeen  time.Time
	Retracted bool
}

// ImportPlan is what an import writes.
type ImportPlan struct {
	Insert  []concord.Statement // new statement ids, in batch order
	Update  []concord.Statement // ids already stored: refreshed, un-retracted
	Retract []string            // live ids the (complete) batch no longer holds
	Report  *concord.ImportReport
}

// PlanImport compares the prepared batch with the dataset's stored statements.
// An entity is Added when it had no live statement in the dataset and now has,
// Removed in the opposite case, and Changed when its set of live statements
// differs or one of them changed schema, source, audience or handling.
func PlanImport(b *concord.ImportBatch, stmts []concord.Statement, old map[string]Stored) *ImportPlan {
	p := &ImportPlan{Report: &concord.ImportReport{
		Dataset: b.Dataset, Version: b.Version, Statements: len(stmts),
		BySchema: map[string]int{}, Added: []string{}, Changed: []string{}, Removed: []string{},
	}}
	before := map[string]int{} // entity -> live statements before
	for _, o := range old {
		if !o.Retracted {
			before[o.EntityID]++
		}
	}
	after := map[string]int{}    // entity -> live statements after
	changed := map[string]bool{} // entity -> some statement added, revived, altered or retracted
	inBatch := make(map[string]bool, len(stmts))
	schemas := map[string][]string{} // entity -> distinct schemas in batch order
	var entities []string
	for i := range stmts {
		s := &stmts[i]
		inBatch[s.ID] = true
		if _, ok := schemas[s.EntityID]; !ok {
			entities = append(entities, s.EntityID)
		}
		if !slices.Contains(schemas[s.EntityID], s.Schema) {
			schemas[s.EntityID] = append(schemas[s.EntityID], s.Schema)
		}
		after[s.EntityID]++
		o, ok := old[s.ID]
		if !ok {
			p.Insert = append(p.Insert, *s)
			changed[s.EntityID] = true
			continue
		}
		if o.Retracted || o.Schema != s.Schema || o.SourceRef != s.SourceRef ||
			o.Audience != string(s.Audience) || o.Handling != string(s.Handling) {
			changed[s.EntityID] = true
		}
		u := *s
		u.FirstSeen = minTime(o.FirstSeen, s.FirstSeen)
		u.LastSeen = maxTime(o.LastSeen, s.LastSeen)
		p.Update = append(p.Update, u)
	}
	for id, o := range old {
		if o.Retracted || inBatch[id] {
			continue
		}
		if b.Partial {
			after[o.EntityID]++
			continue
		}
		p.Retract = append(p.Retract, id)
		changed[o.EntityID] = true
	}
	sort.Strings(p.Retract)
	r := p.Report
	for e := range changed {
		switch {
		case before[e] == 0 && after[e] > 0:
			r.Added = append(r.Added, e)
		case before[e] > 0 && after[e] == 0:
			r.Removed = append(r.Removed, e)
		case before[e] > 0:
			r.Changed = append(r.Changed, e)
		}
	}
	sort.Strings(r.Added)
	sort.Strings(r.Changed)
	sort.Strings(r.Removed)
	r.Entities = len(entities)
	for _, e := range entities {
		r.BySchema[EntitySchema(schemas[e])]++
	}
	return p
}

// EntitySchema is the schema concord.Assemble gives an entity whose statements
// state these schemata in this order (the most specific one).
func EntitySchema(schemas []string) string {
	if len(schemas) == 1 {
		return schemas[0]
	}
	st := make([]concord.Statement, len(schemas))
	for i, s := range schemas {
		st[i] = concord.Statement{EntityID: "e", Schema: s}
	}
	return concord.Assemble(st)[0].Schema
}

// ImportDetail is an import's audit detail: entities added, changed and
// removed, e.g. "+12 ~3 -1".
func ImportDetail(r *concord.ImportReport) string {
	return "+" + strconv.Itoa(len(r.Added)) + " ~" + strconv.Itoa(len(r.Changed)) + " -" + strconv.Itoa(len(r.Removed))
}
