// Package mediabank is the hash bank: the PDQ hashes of the store's Media
// records in an in-memory multi-index hash index (media/index), kept in
// step with the store, matched for a viewer. It is to PDQ what
// internal/search is to names.
//
// Every PDQ hash of every Media record is one entry of the index, loaded
// in one pass over the store. A viewer's lookup takes the records the
// index finds within the radius and reads each one's statements through
// the viewer's filter (access.Viewer.Filter, the one predicate, applied by
// the store): only hashes the viewer sees count, so a hidden hash is never
// a match, never counted and never lends its distance, and the labels
// shown are the ones the viewer sees.
package mediabank

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"

	"concord"
	"concord/access"
	"concord/media/index"
	"concord/media/pdq"
)

// Schema is the schema of the bank's records.
const Schema = "Media"

// Store is what the bank reads.
type Store interface {
	concord.EntityStore
}

// entry is one indexed hash: a pdqHash value of a record.
type entry struct {
	entity string
	hash   pdq.Hash
}

// Bank holds the index of the store's media hashes.
type Bank struct {
	store Store
	wmu   sync.Mutex // serialises Rebuild and Refresh

	mu       sync.RWMutex
	idx      *index.Index
	entries  []entry             // by index id; removed ones keep their slot
	byEntity map[string][]uint32 // entity id → its index ids
}

// New builds the bank from the store.
func New(ctx context.Context, st Store) (*Bank, error) {
	b := &Bank{store: st}
	if err := b.Rebuild(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// Rebuild reloads every media hash from the store, in one pass.
func (b *Bank) Rebuild(ctx context.Context) error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	var entries []entry
	byEntity := map[string][]uint32{}
	q := concord.EntityQuery{Schemata: []string{Schema}, Props: []string{concord.PropPDQHash}}
	if err := b.store.EachEntity(ctx, concord.System, q, func(e *concord.Entity) error {
		for _, v := range e.Properties[concord.PropPDQHash] {
			if h, err := pdq.Parse(v); err == nil { // validated on the way in
				byEntity[e.ID] = append(byEntity[e.ID], uint32(len(entries)))
				entries = append(entries, entry{entity: e.ID, hash: h})
			}
		}
		return nil
	}); err != nil {
		return err
	}
	hs := make([]pdq.Hash, len(entries))
	for i := range entries {
		hs[i] = entries[i].hash
	}
	idx := index.Build(hs, index.Options{})
	b.mu.Lock()
	b.idx, b.entries, b.byEntity = idx, entries, byEntity
	b.mu.Unlock()
	return nil
}

// read returns the hashes of one record as the store now holds them.
func (b *Bank) read(ctx context.Context, id string) ([]entry, error) {
	e, err := b.store.Entity(ctx, concord.System, id)
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return nil, nil
	}
	if err != nil || e.Schema != Schema {
		return nil, err
	}
	var out []entry
	for _, v := range e.Properties[concord.PropPDQHash] {
		if h, err := pdq.Parse(v); err == nil {
			out = append(out, entry{entity: id, hash: h})
		}
	}
	return out, nil
}

// Refresh re-reads one record after a change (import, contribution,
// reshare, retraction) and updates the index.
func (b *Bank) Refresh(ctx context.Context, id string) error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	es, err := b.read(ctx, id)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, i := range b.byEntity[id] {
		b.idx.Remove(i)
	}
	delete(b.byEntity, id)
	for _, e := range es {
		i := b.idx.Add(e.hash)
		for int(i) >= len(b.entries) {
			b.entries = append(b.entries, entry{})
		}
		b.entries[i] = e
		b.byEntity[id] = append(b.byEntity[id], i)
	}
	return nil
}

// Len is the number of hashes in the bank.
func (b *Bank) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.idx.Len()
}

// Stats describe the bank's index.
func (b *Bank) Stats() index.Stats {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.idx.Stats()
}

// Hit is a bank record matched by a query hash.
type Hit struct {
	EntityID string   `json:"entity_id"`
	Distance int      `json:"distance"`
	Hash     pdq.Hash `json:"hash"`              // the record's hash that matched
	Quality  *int     `json:"quality,omitempty"` // of that hash, when known
	// Labels, description, datasets and refs as the viewer sees the record.
	Labels      []string `json:"labels"`
	Description string   `json:"description,omitempty"`
	Publisher   string   `json:"publisher,omitempty"`
	FirstSeen   string   `json:"first_seen,omitempty"`
	Datasets    []string `json:"datasets"`
	Refs        []string `json:"refs"`
}

// Options of a lookup.
type Options struct {
	Radius int // 0..256; the caller applies pdq.DefaultRadius
	Limit  int // most hits per query; 0: no limit
}

// Match finds the bank records within the radius of h that v may see,
// closest first (then by id), each record once with its closest hash.
func (b *Bank) Match(ctx context.Context, v access.Viewer, h pdq.Hash, o Options) ([]Hit, error) {
	if !v.Can(access.Match) && !v.Can(access.Screen) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "matching needs the match scope")
	}
	return b.match(ctx, v.Filter(), h, o)
}

// MatchAll matches against every record (the operator's view).
func (b *Bank) MatchAll(ctx context.Context, h pdq.Hash, o Options) ([]Hit, error) {
	return b.match(ctx, concord.System, h, o)
}

func (b *Bank) match(ctx context.Context, f concord.Filter, h pdq.Hash, o Options) ([]Hit, error) {
	if o.Radius < 0 || o.Radius > pdq.Bits {
		return nil, concord.Errorf(concord.EINVALID, "radius %d: want 0..256", o.Radius)
	}
	b.mu.RLock()
	found := b.idx.Lookup(h, o.Radius, nil)
	var cands []string // records in order of their closest indexed hash
	seen := map[string]bool{}
	for _, m := range found {
		if id := b.entries[m.ID].entity; !seen[id] {
			seen[id] = true
			cands = append(cands, id)
		}
	}
	b.mu.RUnlock()
	var hits []Hit
	for _, id := range cands {
		hit, ok, err := b.visible(ctx, f, id, h, o.Radius)
		if err != nil {
			return nil, err
		}
		if ok {
			hits = append(hits, hit)
		}
	}
	slices.SortFunc(hits, func(x, y Hit) int {
		if x.Distance != y.Distance {
			return x.Distance - y.Distance
		}
		return strings.Compare(x.EntityID, y.EntityID)
	})
	if o.Limit > 0 && len(hits) > o.Limit {
		hits = hits[:o.Limit]
	}
	return hits, nil
}

// visible reads a candidate record through f and, if f sees one of its
// hashes within the radius, returns it as the hit of its closest visible
// hash, described by what f sees of the record.
func (b *Bank) visible(ctx context.Context, f concord.Filter, id string, q pdq.Hash, radius int) (Hit, bool, error) {
	stmts, err := b.store.Statements(ctx, f, id)
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return Hit{}, false, nil
	}
	if err != nil {
		return Hit{}, false, err
	}
	var best *concord.Statement
	bestD := radius + 1
	var bestHash pdq.Hash
	quality := map[[2]string]int{}
	for i := range stmts {
		s := &stmts[i]
		switch s.Prop {
		case concord.PropPDQHash:
			h, err := pdq.Parse(s.Value)
			if err != nil || s.Schema != Schema {
				continue
			}
			if d := h.Distance(q); d < bestD {
				best, bestD, bestHash = s, d, h
			}
		case concord.PropPDQQuality:
			if n, err := strconv.Atoi(strings.TrimSpace(s.Value)); err == nil && n >= 0 && n <= 100 {
				quality[[2]string{s.ContributedBy, s.Dataset}] = n
			}
		}
	}
	if best == nil {
		return Hit{}, false, nil
	}
	ents := concord.Assemble(stmts)
	if len(ents) == 0 {
		return Hit{}, false, nil
	}
	ent := ents[0]
	hit := Hit{EntityID: id, Distance: bestD, Hash: bestHash, Labels: ent.Properties[concord.PropLabel],
		Description: ent.First("description"), Publisher: ent.First("publisher"), FirstSeen: ent.First("firstSeen"),
		Datasets: ent.Datasets, Refs: ent.Refs}
	if hit.Labels == nil {
		hit.Labels = []string{}
	}
	if n, ok := quality[[2]string{best.ContributedBy, best.Dataset}]; ok {
		hit.Quality = &n
	}
	return hit, true, nil
}
