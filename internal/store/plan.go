// Validation of an import batch and the plan of what it changes, computed in
// Go while the store streams the dataset's current statements past it.
//
// Memory: an import of N statements holds the caller's batch plus, here, one
// small item per distinct statement (index, id, two timestamps) and an id
// index, never a second copy of the statements nor the stored rows: stored
// rows are compared one at a time as the store reads them, and only what the
// report needs per entity (and the ids to retract) is kept.

package store

import (
	"slices"
	"sort"
	"strconv"
	"time"

	"concord"
)

// batch is a validated import batch: the distinct statements of B (by id, in
// order of first occurrence) as Items. B itself is never modified.
type batch struct {
	B     *concord.ImportBatch
	Items []item
	pos   map[string]int32 // statement id -> index in Items; dropped by Plan
}

// item is one distinct statement of a batch: the index of its first
// occurrence in B.Statements and what the store writes in place of that
// statement's own id, dataset and timestamps.
type item struct {
	Src         int32 // index in B.Statements
	ID          string
	First, Last int64 // first/last seen, Unix microseconds (UTC)
}

// Source returns the batch's own statement of item i (read-only): the store
// writes its fields but the id, dataset and timestamps, which item and B say.
func (b *batch) Source(i int) *concord.Statement { return &b.B.Statements[b.Items[i].Src] }

// prepareBatch validates b and returns its statements de-duplicated by ID (the
// first occurrence keeps its position, first/last seen are merged), with ids
// and timestamps filled in. Nothing is written before this succeeds.
func prepareBatch(b *concord.ImportBatch, now time.Time) (*batch, error) {
	if b == nil {
		return nil, concord.Errorf(concord.EINVALID, "import: no batch")
	}
	if b.Dataset == "" {
		return nil, concord.Errorf(concord.EINVALID, "import: batch has no dataset")
	}
	now = now.UTC().Truncate(time.Microsecond)
	out := &batch{B: b, Items: make([]item, 0, len(b.Statements)), pos: make(map[string]int32, len(b.Statements))}
	for i := range b.Statements {
		id, err := checkStatement(b.Dataset, i, &b.Statements[i])
		if err != nil {
			return nil, err
		}
		s := &b.Statements[i]
		first, last := seen(s.FirstSeen, s.LastSeen, now)
		if j, ok := out.pos[id]; ok {
			d := &out.Items[j]
			d.First, d.Last = min(d.First, first), max(d.Last, last)
			continue
		}
		out.pos[id] = int32(len(out.Items))
		out.Items = append(out.Items, item{Src: int32(i), ID: id, First: first, Last: last})
	}
	return out, nil
}

// checkStatement validates the i-th statement of a batch of dataset and
// returns its id (computed when the statement has none).
func checkStatement(dataset string, i int, s *concord.Statement) (string, error) {
	bad := func(format string, args ...any) error {
		e := concord.Errorf(concord.EINVALID, format, args...)
		e.Message = "import " + dataset + ": statement " + strconv.Itoa(i+1) + ": " + e.Message
		return e
	}
	switch {
	case s.EntityID == "":
		return "", bad("empty entity id")
	case s.Schema == "":
		return "", bad("entity %s: empty schema", s.EntityID)
	case s.Prop == "":
		return "", bad("entity %s: empty property", s.EntityID)
	case s.Dataset != "" && s.Dataset != dataset:
		return "", bad("entity %s: dataset %q in a batch of %q", s.EntityID, s.Dataset, dataset)
	case s.Retracted:
		return "", bad("entity %s: retracted statement (leave it out of the batch to retract it)", s.EntityID)
	case !slices.Contains(concord.TLPs, s.Handling):
		return "", bad("entity %s: unknown handling %q", s.EntityID, s.Handling)
	}
	if _, err := concord.ParseAudience(string(s.Audience)); err != nil {
		return "", bad("entity %s: unknown audience %q", s.EntityID, s.Audience)
	}
	if s.ID != "" {
		return s.ID, nil
	}
	return concord.StatementID(s.EntityID, s.Prop, s.Value, s.Lang, dataset, s.ContributedBy), nil
}

// seen fills zero timestamps with now, as Unix microseconds.
func seen(first, last, now time.Time) (int64, int64) {
	first, last = first.UTC().Truncate(time.Microsecond), last.UTC().Truncate(time.Microsecond)
	switch {
	case first.IsZero() && last.IsZero():
		first, last = now, now
	case first.IsZero():
		first = last
	case last.IsZero():
		last = first
		if now.After(first) {
			last = now
		}
	}
	if last.Before(first) {
		last = first
	}
	return first.UnixMicro(), last.UnixMicro()
}

// storedStatement is what the planner needs of a statement already in the
// dataset.
type storedStatement struct {
	ID        string
	EntityID  string
	Schema    string
	SourceRef string
	Audience  string
	Handling  string
	FirstSeen int64 // Unix microseconds
	LastSeen  int64
	Retracted bool
}

// planner compares a prepared batch with the dataset's stored statements,
// which the store passes to see one at a time (in any order), then Plan
// says what to write.
type planner struct {
	b       *batch
	stored  []bool         // per item: its id is already in the dataset
	before  map[string]int // entity -> live statements before
	kept    map[string]int // entity -> live statements a partial batch leaves alone
	changed map[string]bool
	retract []string
}

// newPlanner starts the plan of b.
func newPlanner(b *batch) *planner {
	return &planner{b: b, stored: make([]bool, len(b.Items)),
		before: map[string]int{}, kept: map[string]int{}, changed: map[string]bool{}}
}

// see accounts for one stored statement of the dataset. o is not retained.
func (p *planner) see(o *storedStatement) {
	if !o.Retracted {
		p.before[o.EntityID]++
	}
	j, ok := p.b.pos[o.ID]
	if !ok {
		switch {
		case o.Retracted:
		case p.b.B.Partial:
			p.kept[o.EntityID]++
		default:
			p.retract = append(p.retract, o.ID)
			p.changed[o.EntityID] = true
		}
		return
	}
	p.stored[j] = true
	it := &p.b.Items[j]
	s := &p.b.B.Statements[it.Src]
	if o.Retracted || o.Schema != s.Schema || o.SourceRef != s.SourceRef ||
		o.Audience != string(s.Audience) || o.Handling != string(s.Handling) {
		p.changed[s.EntityID] = true
	}
	it.First, it.Last = min(it.First, o.FirstSeen), max(it.Last, o.LastSeen)
}

// importPlan is what an import writes.
type importPlan struct {
	Insert  []int32  // items new to the dataset, in batch order
	Update  []int32  // items already stored: refreshed, un-retracted
	Retract []string // live ids the (complete) batch no longer holds, sorted
	Report  *concord.ImportReport
}

// Plan completes the plan once every stored statement has been seen. An
// entity is Added when it had no live statement in the dataset and now has,
// Removed in the opposite case, and Changed when its set of live statements
// differs or one of them changed schema, source, audience or handling.
func (p *planner) Plan() *importPlan {
	b := p.b
	out := &importPlan{Retract: p.retract, Report: &concord.ImportReport{
		Dataset: b.B.Dataset, Version: b.B.Version, Statements: len(b.Items),
		BySchema: map[string]int{}, Added: []string{}, Changed: []string{}, Removed: []string{},
	}}
	after := p.kept                  // entity -> live statements after
	schemas := map[string][]string{} // entity -> distinct schemas in batch order
	var entities []string
	for j := range b.Items {
		s := &b.B.Statements[b.Items[j].Src]
		if _, ok := schemas[s.EntityID]; !ok {
			entities = append(entities, s.EntityID)
		}
		if !slices.Contains(schemas[s.EntityID], s.Schema) {
			schemas[s.EntityID] = append(schemas[s.EntityID], s.Schema)
		}
		after[s.EntityID]++
		if p.stored[j] {
			out.Update = append(out.Update, int32(j))
		} else {
			out.Insert = append(out.Insert, int32(j))
			p.changed[s.EntityID] = true
		}
	}
	sort.Strings(out.Retract)
	r := out.Report
	for e := range p.changed {
		switch {
		case p.before[e] == 0 && after[e] > 0:
			r.Added = append(r.Added, e)
		case p.before[e] > 0 && after[e] == 0:
			r.Removed = append(r.Removed, e)
		case p.before[e] > 0:
			r.Changed = append(r.Changed, e)
		}
	}
	sort.Strings(r.Added)
	sort.Strings(r.Changed)
	sort.Strings(r.Removed)
	r.Entities = len(entities)
	r.Retracted = len(out.Retract)
	for _, n := range p.before {
		r.Live += n
	}
	for _, e := range entities {
		r.BySchema[entitySchema(schemas[e])]++
	}
	b.pos = nil // the writes need positions only
	return out
}

// entitySchema is the schema concord.Assemble gives an entity whose statements
// state these schemata in this order (the most specific one).
func entitySchema(schemas []string) string {
	if len(schemas) == 1 {
		return schemas[0]
	}
	st := make([]concord.Statement, len(schemas))
	for i, s := range schemas {
		st[i] = concord.Statement{EntityID: "e", Schema: s}
	}
	return concord.Assemble(st)[0].Schema
}

// importDetail is an import's audit detail: entities added, changed and
// removed, e.g. "+12 ~3 -1".
func importDetail(r *concord.ImportReport) string {
	return "+" + strconv.Itoa(len(r.Added)) + " ~" + strconv.Itoa(len(r.Changed)) + " -" + strconv.Itoa(len(r.Removed))
}
