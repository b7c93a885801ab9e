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
	// digests finds records by the MD5 or SHA-256 of their file, for exact
	// matches: "md5:HEX" or "sha256:HEX" → entity ids.
	digests   map[string][]string
	digestsOf map[string][]string // entity id → its digest keys
}

// digestProps are the exact-match properties, with their key prefixes.
var digestProps = []string{concord.PropMD5, concord.PropSHA256}

func digestKey(prop, v string) string { return prop + ":" + strings.ToLower(v) }

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
	var l loading
	q := concord.EntityQuery{Schemata: []string{Schema}, Props: []string{concord.PropPDQHash, concord.PropMD5, concord.PropSHA256}}
	if err := b.store.EachEntity(ctx, concord.System, q, func(e *concord.Entity) error {
		var hs []pdq.Hash
		for _, v := range e.Properties[concord.PropPDQHash] {
			if h, err := pdq.Parse(v); err == nil { // validated on the way in
				hs = append(hs, h)
			}
		}
		l.add(e.ID, hs, keysOf(e))
		return nil
	}); err != nil {
		return err
	}
	b.swap(&l)
	return nil
}

// loading is a bank being loaded: its records' hashes and digests.
type loading struct {
	entries            []entry
	byEntity           map[string][]uint32
	digests, digestsOf map[string][]string
}

func (l *loading) add(id string, hs []pdq.Hash, keys []string) {
	if l.byEntity == nil {
		l.byEntity, l.digests, l.digestsOf = map[string][]uint32{}, map[string][]string{}, map[string][]string{}
	}
	for _, h := range hs {
		l.byEntity[id] = append(l.byEntity[id], uint32(len(l.entries)))
		l.entries = append(l.entries, entry{entity: id, hash: h})
	}
	for _, k := range keys {
		l.digests[k] = append(l.digests[k], id)
		l.digestsOf[id] = append(l.digestsOf[id], k)
	}
}

// swap builds the index of what l loaded and makes it the bank's.
func (b *Bank) swap(l *loading) {
	l.add("", nil, nil) // the maps, for an empty bank
	hs := make([]pdq.Hash, len(l.entries))
	for i := range l.entries {
		hs[i] = l.entries[i].hash
	}
	idx := index.Build(hs, index.Options{})
	b.mu.Lock()
	b.idx, b.entries, b.byEntity = idx, l.entries, l.byEntity
	b.digests, b.digestsOf = l.digests, l.digestsOf
	b.mu.Unlock()
}

// keysOf lists the digest keys of a record.
func keysOf(e *concord.Entity) []string {
	var out []string
	for _, p := range digestProps {
		for _, v := range e.Properties[p] {
			out = append(out, digestKey(p, v))
		}
	}
	return out
}

// read returns the hashes and digest keys of one record as the store now
// holds them.
func (b *Bank) read(ctx context.Context, id string) ([]entry, []string, error) {
	e, err := b.store.Entity(ctx, concord.System, id)
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return nil, nil, nil
	}
	if err != nil || e.Schema != Schema {
		return nil, nil, err
	}
	var out []entry
	for _, v := range e.Properties[concord.PropPDQHash] {
		if h, err := pdq.Parse(v); err == nil {
			out = append(out, entry{entity: id, hash: h})
		}
	}
	return out, keysOf(e), nil
}

// Refresh re-reads one record after a change (import, contribution,
// reshare, retraction) and updates the index.
func (b *Bank) Refresh(ctx context.Context, id string) error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	es, keys, err := b.read(ctx, id)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, i := range b.byEntity[id] {
		b.idx.Remove(i)
	}
	delete(b.byEntity, id)
	for _, k := range b.digestsOf[id] {
		b.digests[k] = slices.DeleteFunc(b.digests[k], func(x string) bool { return x == id })
		if len(b.digests[k]) == 0 {
			delete(b.digests, k)
		}
	}
	delete(b.digestsOf, id)
	for _, k := range keys {
		b.digests[k] = append(b.digests[k], id)
		b.digestsOf[id] = append(b.digestsOf[id], k)
	}
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
	Hash     pdq.Hash `json:"hash"`              // the record's PDQ hash that matched (zero for an exact match only)
	Quality  *int     `json:"quality,omitempty"` // of that hash, when known
	// Exact names the file digests that matched exactly ("md5", "sha256").
	Exact []string `json:"exact,omitempty"`
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

// Query is what a lookup looks for: a PDQ hash within the radius, and the
// file's digests for exact matches; any of them may be absent.
type Query struct {
	PDQ    *pdq.Hash
	MD5    string
	SHA256 string
}

// Match finds the bank records within the radius of h that v may see,
// closest first (then by id), each record once with its closest hash.
func (b *Bank) Match(ctx context.Context, v access.Viewer, h pdq.Hash, o Options) ([]Hit, error) {
	return b.Lookup(ctx, v, Query{PDQ: &h}, o)
}

// Lookup finds the bank records v may see that match q: by PDQ within the
// radius, or by the exact MD5 or SHA-256 of the file.
func (b *Bank) Lookup(ctx context.Context, v access.Viewer, q Query, o Options) ([]Hit, error) {
	if !v.Can(access.Match) && !v.Can(access.Screen) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "matching needs the match scope")
	}
	return b.match(ctx, v.Filter(), q, o)
}

// MatchAll matches against every record (the operator's view).
func (b *Bank) MatchAll(ctx context.Context, h pdq.Hash, o Options) ([]Hit, error) {
	return b.match(ctx, concord.System, Query{PDQ: &h}, o)
}

// LookupAll is Lookup in the operator's view.
func (b *Bank) LookupAll(ctx context.Context, q Query, o Options) ([]Hit, error) {
	return b.match(ctx, concord.System, q, o)
}

func (b *Bank) match(ctx context.Context, f concord.Filter, q Query, o Options) ([]Hit, error) {
	if o.Radius < 0 || o.Radius > pdq.Bits {
		return nil, concord.Errorf(concord.EINVALID, "radius %d: want 0..256", o.Radius)
	}
	var cands []string // records in order of their closest indexed hash, then exact ones
	seen := map[string]bool{}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			cands = append(cands, id)
		}
	}
	b.mu.RLock()
	if q.PDQ != nil {
		for _, m := range b.idx.Lookup(*q.PDQ, o.Radius, nil) {
			add(b.entries[m.ID].entity)
		}
	}
	for _, k := range q.keys() {
		for _, id := range b.digests[k] {
			add(id)
		}
	}
	b.mu.RUnlock()
	var hits []Hit
	for _, id := range cands {
		hit, ok, err := b.visible(ctx, f, id, q, o.Radius)
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
		if (len(x.Exact) > 0) != (len(y.Exact) > 0) { // exact matches first
			if len(x.Exact) > 0 {
				return -1
			}
			return 1
		}
		return strings.Compare(x.EntityID, y.EntityID)
	})
	if o.Limit > 0 && len(hits) > o.Limit {
		hits = hits[:o.Limit]
	}
	return hits, nil
}

func (q Query) keys() []string {
	var out []string
	if q.MD5 != "" {
		out = append(out, digestKey(concord.PropMD5, q.MD5))
	}
	if q.SHA256 != "" {
		out = append(out, digestKey(concord.PropSHA256, q.SHA256))
	}
	return out
}

// visible reads a candidate record through f and, if f sees one of its
// hashes within the radius, returns it as the hit of its closest visible
// hash, described by what f sees of the record.
func (b *Bank) visible(ctx context.Context, f concord.Filter, id string, q Query, radius int) (Hit, bool, error) {
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
	var exact []string
	quality := map[[2]string]int{}
	for i := range stmts {
		s := &stmts[i]
		if s.Schema != Schema {
			continue
		}
		switch s.Prop {
		case concord.PropPDQHash:
			h, err := pdq.Parse(s.Value)
			if err != nil || q.PDQ == nil {
				continue
			}
			if d := h.Distance(*q.PDQ); d < bestD {
				best, bestD, bestHash = s, d, h
			}
		case concord.PropMD5, concord.PropSHA256:
			if want := map[string]string{concord.PropMD5: q.MD5, concord.PropSHA256: q.SHA256}[s.Prop]; want != "" &&
				strings.EqualFold(s.Value, want) && !slices.Contains(exact, s.Prop) {
				exact = append(exact, s.Prop)
			}
		case concord.PropPDQQuality:
			if n, err := strconv.Atoi(strings.TrimSpace(s.Value)); err == nil && n >= 0 && n <= 100 {
				quality[[2]string{s.ContributedBy, s.Dataset}] = n
			}
		}
	}
	if best == nil && len(exact) == 0 {
		return Hit{}, false, nil
	}
	if best == nil {
		bestD = 0 // the very file
	}
	ents := concord.Assemble(stmts)
	if len(ents) == 0 {
		return Hit{}, false, nil
	}
	ent := ents[0]
	hit := Hit{EntityID: id, Distance: bestD, Hash: bestHash, Labels: ent.Properties[concord.PropLabel],
		Description: ent.First("description"), Publisher: ent.First("publisher"), FirstSeen: ent.First("firstSeen"),
		Datasets: ent.Datasets, Refs: ent.Refs, Exact: exact}
	if hit.Labels == nil {
		hit.Labels = []string{}
	}
	if best != nil {
		if n, ok := quality[[2]string{best.ContributedBy, best.Dataset}]; ok {
			hit.Quality = &n
		}
	}
	return hit, true, nil
}
