package idindex

import (
	"errors"
	"fmt"
	"slices"

	"concord/internal/snapshot"
)

// ErrCorrupt is returned by Decode for an index that does not hold
// together.
var ErrCorrupt = errors.New("identifier index snapshot is corrupt")

// spaces are the spaces a snapshot may name.
var spaces = []string{spaceAccount, spaceBIC, spaceWallet, spaceID}

// Encode writes the index's identifiers and the records that list them.
// Writers wait meanwhile; look-ups go on.
func (ix *Index) Encode(e snapshot.Encoder) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e.Uvarint(uint64(len(ix.by)))
	for k, es := range ix.by {
		e.String(k.space)
		e.String(k.value)
		e.Uvarint(uint64(len(es)))
		for _, x := range es {
			e.String(x.carrier)
			e.String(x.prop)
			e.String(x.written)
		}
	}
}

// maxEntries bounds the records of one identifier in a snapshot (a bad
// count fails instead of allocating).
const maxEntries = 1 << 24

// Decode replaces the index with one written by Encode. One that does not
// decode changes nothing.
func (ix *Index) Decode(d snapshot.Decoder) error {
	n := d.Uvarint()
	by := make(map[key][]entry, min(n, 1<<24))
	of := make(map[string][]key, min(n, 1<<24))
	// The entries of most identifiers are cut from shared arrays (each
	// capped: a later change appends to a copy).
	var chunk []entry
	corrupt := func(what string) error {
		if err := d.Err(); err != nil {
			return err
		}
		return fmt.Errorf("%w: %s", ErrCorrupt, what)
	}
	for range n {
		k := key{d.String(), d.String()}
		if !slices.Contains(spaces, k.space) || k.value == "" {
			return corrupt("identifier")
		}
		if _, dup := by[k]; dup {
			return corrupt("identifier twice")
		}
		m := d.Uvarint()
		if m == 0 || m > maxEntries {
			return corrupt("records of an identifier")
		}
		var es []entry
		if m <= 64 {
			if len(chunk) < int(m) {
				chunk = make([]entry, 1<<14)
			}
			es, chunk = chunk[:0:m], chunk[m:]
		}
		for range m {
			x := entry{carrier: d.String(), prop: d.String(), written: d.String()}
			if idProps[x.prop] != k.space || x.carrier == "" {
				return corrupt("record of an identifier")
			}
			es = append(es, x)
			of[x.carrier] = append(of[x.carrier], k)
		}
		by[k] = es
	}
	if d.Err() != nil {
		return d.Err()
	}
	ix.mu.Lock()
	ix.by, ix.of = by, of
	ix.mu.Unlock()
	return nil
}

// Open returns an empty index on st, to Decode a snapshot into (New
// builds one from the store).
func Open(st Store) *Index { return &Index{store: st, by: map[key][]entry{}, of: map[string][]key{}} }
