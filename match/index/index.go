// Package index is a compact in-memory inverted index from string keys to
// ascending lists of uint32 document slots, with two posting lists per key:
// exact (the document has this key) and near (the key is a one-deletion
// variant of one of the document's keys). It also interns strings.
//
// It is not safe for concurrent mutation; readers may run concurrently with
// each other when no writer is active (the caller holds the lock).
package index

// Index maps keys to postings.
type Index struct {
	ids   table // key → id
	names []string
	exact lists
	near  lists
	src   lists // for a deletion key: the keys it is a deletion of
}

// New returns an empty index.
func New() *Index {
	return &Index{ids: newTable()}
}

// Key returns the id of key, creating it when absent.
func (ix *Index) Key(key string) uint32 {
	if id, ok := find(&ix.ids, ix.names, key); ok {
		return id
	}
	id := uint32(len(ix.names))
	ix.names = append(ix.names, key)
	ix.ids.insert(ix.names, id)
	return id
}

// KeyBytes is Key for a byte-slice key: it allocates only for new keys,
// and the key's string can then be shared through Name.
func (ix *Index) KeyBytes(key []byte) uint32 {
	if id, ok := find(&ix.ids, ix.names, key); ok {
		return id
	}
	return ix.Key(string(key))
}

// Name returns the key string of id.
func (ix *Index) Name(id uint32) string { return ix.names[id] }

// Find returns the id of key.
func (ix *Index) Find(key string) (uint32, bool) {
	return find(&ix.ids, ix.names, key)
}

// Lookup returns the id of key without allocating.
func (ix *Index) Lookup(key []byte) (uint32, bool) {
	return find(&ix.ids, ix.names, key)
}

// AddExact records that doc has key id. Docs must be added in ascending
// order per key; repeats of the last doc are ignored.
func (ix *Index) AddExact(id, doc uint32) { ix.exact.add(id, doc, len(ix.names)) }

// AddNear records that key id is a one-deletion variant of a key of doc.
func (ix *Index) AddNear(id, doc uint32) { ix.near.add(id, doc, len(ix.names)) }

// AddSource records that key del is a one-deletion variant of key src
// (each pair once: call it when src gets its first document).
func (ix *Index) AddSource(del, src uint32) {
	ix.src.set(del, append(ix.src.get(del), src), len(ix.names))
}

// Sources returns the keys that key id is a one-deletion variant of.
func (ix *Index) Sources(id uint32) []uint32 { return ix.src.get(id) }

// Exact returns the exact postings of key id (do not modify).
func (ix *Index) Exact(id uint32) []uint32 { return ix.exact.get(id) }

// Near returns the near postings of key id (do not modify).
func (ix *Index) Near(id uint32) []uint32 { return ix.near.get(id) }

// Keys returns the number of distinct keys.
func (ix *Index) Keys() int { return len(ix.names) }

// Postings returns the total number of postings.
func (ix *Index) Postings() int { return ix.exact.size(len(ix.names)) + ix.near.size(len(ix.names)) }

// Freeze packs the postings written since the index was made or decoded
// (a build's) into the compact form a snapshot decodes into: the lists
// stay the same, their memory shrinks to little more than the postings.
// Call it when a build is done; later additions work as before.
func (ix *Index) Freeze() {
	for _, l := range []*lists{&ix.exact, &ix.near, &ix.src} {
		l.freeze(len(ix.names))
	}
}

// Contains reports whether sorted list p holds doc (binary search).
func Contains(p []uint32, doc uint32) bool {
	lo, hi := 0, len(p)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if p[m] < doc {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(p) && p[lo] == doc
}

// Interner deduplicates strings.
type Interner struct{ m map[string]string }

// NewInterner returns an empty interner.
func NewInterner() *Interner { return &Interner{m: make(map[string]string)} }

// String returns the canonical copy of s.
func (in *Interner) String(s string) string {
	if v, ok := in.m[s]; ok {
		return v
	}
	in.m[s] = s
	return s
}

// Bytes returns the canonical string equal to b, allocating only for new
// strings.
func (in *Interner) Bytes(b []byte) string {
	if v, ok := in.m[string(b)]; ok {
		return v
	}
	s := string(b)
	in.m[s] = s
	return s
}
