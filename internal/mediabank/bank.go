// Package mediabank is the hash bank: the PDQ hashes of the store's Media
// records in an in-memory multi-index hash index (media/index), kept in
// step with the store, matched for a viewer. It is to PDQ what
// internal/search is to names.
//
// Each pdqHash statement is one entry of the index with its provenance
// (contributor, audience, TLP). A viewer's lookup keeps only the entries
// its filter admits (access.Viewer.Filter, the one predicate), so a hash
// the viewer may not see is never a match, never counted and never lends
// its distance; the matched record's labels are then read from the store
// through the same filter. Hashes of quality below 50 are not matched.
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

// entry is one indexed hash: a pdqHash statement of a record.
type entry struct {
	stmt    concord.Statement
	hash    pdq.Hash
	quality int // -1 when the record says none
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

// Rebuild reloads every media record from the store.
func (b *Bank) Rebuild(ctx context.Context) error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	var ids []string
	q := concord.EntityQuery{Schemata: []string{Schema}, Props: []string{concord.PropPDQHash}}
	if err := b.store.EachEntity(ctx, concord.System, q, func(e *concord.Entity) error {
		if len(e.Properties[concord.PropPDQHash]) > 0 {
			ids = append(ids, e.ID)
		}
		return nil
	}); err != nil {
		return err
	}
	var entries []entry
	byEntity := map[string][]uint32{}
	for _, id := range ids {
		es, err := b.read(ctx, id)
		if err != nil {
			return err
		}
		for _, e := range es {
			byEntity[id] = append(byEntity[id], uint32(len(entries)))
			entries = append(entries, e)
		}
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

// read returns the indexed entries of one record: its valid pdqHash
// statements, each with the quality its contributor gave in the same
// dataset.
func (b *Bank) read(ctx context.Context, id string) ([]entry, error) {
	stmts, err := b.store.Statements(ctx, concord.System, id)
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	quality := map[[2]string]int{}
	for _, s := range stmts {
		if s.Prop == concord.PropPDQQuality {
			if q, err := strconv.Atoi(strings.TrimSpace(s.Value)); err == nil && q >= 0 && q <= 100 {
				quality[[2]string{s.ContributedBy, s.Dataset}] = q
			}
		}
	}
	var out []entry
	for _, s := range stmts {
		if s.Prop != concord.PropPDQHash || s.Schema != Schema || s.Retracted {
			continue
		}
		h, err := pdq.Parse(s.Value)
		if err != nil {
			continue // validated on the way in; a bad value matches nothing
		}
		q, ok := quality[[2]string{s.ContributedBy, s.Dataset}]
		if !ok {
			q = -1
		}
		out = append(out, entry{stmt: s, hash: h, quality: q})
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
	type best struct {
		e entry
		d int
	}
	b.mu.RLock()
	found := b.idx.Lookup(h, o.Radius, nil)
	byEntity := map[string]best{}
	for _, m := range found {
		e := b.entries[m.ID]
		if !f.Allows(&e.stmt) {
			continue
		}
		if cur, ok := byEntity[e.stmt.EntityID]; !ok || m.Distance < cur.d {
			byEntity[e.stmt.EntityID] = best{e, m.Distance}
		}
	}
	b.mu.RUnlock()
	ids := make([]string, 0, len(byEntity))
	for id := range byEntity {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(x, y string) int {
		if d := byEntity[x].d - byEntity[y].d; d != 0 {
			return d
		}
		return strings.Compare(x, y)
	})
	if o.Limit > 0 && len(ids) > o.Limit {
		ids = ids[:o.Limit]
	}
	hits := make([]Hit, 0, len(ids))
	for _, id := range ids {
		bt := byEntity[id]
		ent, err := b.store.Entity(ctx, f, id)
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			continue // changed since it was indexed
		}
		if err != nil {
			return nil, err
		}
		hit := Hit{EntityID: id, Distance: bt.d, Hash: bt.e.hash, Labels: ent.Properties[concord.PropLabel],
			Description: ent.First("description"), Publisher: ent.First("publisher"), FirstSeen: ent.First("firstSeen"),
			Datasets: ent.Datasets, Refs: ent.Refs}
		if hit.Labels == nil {
			hit.Labels = []string{}
		}
		if bt.e.quality >= 0 {
			q := bt.e.quality
			hit.Quality = &q
		}
		hits = append(hits, hit)
	}
	return hits, nil
}
