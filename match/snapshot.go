package match

import (
	"fmt"

	"concord/match/index"
	"concord/match/normalize"
	"concord/match/score"
)

// snapshotVersion changes whenever what Encode writes changes: a snapshot
// of another version does not decode (the caller builds the index again).
const snapshotVersion = 1

// Encode writes the index to e, for DecodeIndex to read back (a snapshot
// that saves rebuilding it). What WeighBy set is not written.
func (ix *Index) Encode(e *index.Encoder) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e.Uvarint(snapshotVersion)
	ix.keys.Encode(e)
	e.Uvarint(uint64(len(ix.slots)))
	for i := range ix.slots {
		encodeEntry(e, &ix.slots[i])
	}
	dead := make([]uint32, len(ix.dead))
	for i, n := range ix.dead {
		dead[i] = uint32(n)
	}
	e.Uint32s(dead)
}

func encodeEntry(e *index.Encoder, en *entry) {
	if en.dead {
		e.Uvarint(0)
		return
	}
	e.Uvarint(1)
	e.String(en.id)
	e.String(en.schema)
	e.String(en.caption)
	e.Strings(en.refs)
	e.Uvarint(uint64(len(en.names)))
	for _, n := range en.names {
		e.String(n.raw)
		flags := uint64(0)
		if n.weak {
			flags = 1
		}
		e.Uvarint(flags)
		e.Uvarint(uint64(len(n.parts)))
		for _, p := range n.parts {
			e.String(p.text)
			e.Uvarint(uint64(p.key))
			e.Uvarint(b2u(p.weak) | b2u(p.bare)<<1 | b2u(p.family)<<2 | uint64(p.kind)<<3 | uint64(p.chain)<<11)
		}
	}
	dates := make([]uint32, len(en.dates))
	for i, d := range en.dates {
		dates[i] = uint32(d.Y)<<16 | uint32(d.M)<<8 | uint32(d.D)
	}
	e.Uint32s(dates)
	e.Strings(en.rawDates)
	e.Strings(en.nats)
	e.Strings(en.ids)
	e.Strings(en.rawIDs)
	e.Bytes([]byte{en.gender, en.minParts})
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// DecodeIndex reads an index written by Encode.
func DecodeIndex(d *index.Decoder) (*Index, error) {
	if v := d.Uvarint(); v != snapshotVersion {
		return nil, fmt.Errorf("%w: index format %d, want %d", index.ErrCorrupt, v, snapshotVersion)
	}
	keys, err := index.Decode(d)
	if err != nil {
		return nil, err
	}
	n := d.Len(1 << 31)
	ix := &Index{keys: keys, intern: index.NewInterner(), texts: make(map[string]uint32), byID: make(map[string]uint32, min(n, 1<<21))}
	// Entries decode into chunks, joined at the end: a bad count fails at
	// the end of the input instead of allocating up front, and no entry is
	// copied more than once.
	const chunk = 1 << 16
	var chunks [][]entry
	ix.meta = make([]uint8, 0, min(n, 1<<21))
	var names []name // one array for many entries' names
	var parts []part
	for i := range n {
		if i%chunk == 0 {
			chunks = append(chunks, make([]entry, min(chunk, n-i)))
		}
		ix.meta = append(ix.meta, 0)
		en := &chunks[i/chunk][i%chunk]
		if d.Uvarint() == 0 {
			en.dead = true
			if d.Err() != nil {
				return nil, d.Err()
			}
			continue
		}
		en.id, en.schema, en.caption = d.String(), d.String(), d.String()
		en.refs = d.Strings()
		nn := d.Len(1 << 16)
		if cap(names)-len(names) < nn {
			names = make([]name, 0, max(nn, 4096))
		}
		en.names = names[len(names) : len(names)+nn : len(names)+nn]
		names = names[:len(names)+nn]
		for j := range en.names {
			nm := &en.names[j]
			nm.raw = d.String()
			nm.weak = d.Uvarint()&1 == 1
			np := d.Len(1 << 16)
			if cap(parts)-len(parts) < np {
				parts = make([]part, 0, max(np, 8192))
			}
			nm.parts = parts[len(parts) : len(parts)+np : len(parts)+np]
			parts = parts[:len(parts)+np]
			for k := range nm.parts {
				p := &nm.parts[k]
				p.text = d.String()
				p.tid = ix.textID(p.text, true) // derived, not written
				key, flags := d.Uvarint(), d.Uvarint()
				if key >= uint64(keys.Keys()) || flags>>19 != 0 {
					return nil, fmt.Errorf("%w: part", index.ErrCorrupt)
				}
				p.key, p.skel = uint32(key), keys.Name(uint32(key))
				p.weak, p.bare, p.family = flags&1 != 0, flags&2 != 0, flags&4 != 0
				p.kind, p.chain = normalize.Kind(flags>>3), uint8(flags>>11)
			}
		}
		for _, x := range d.Uint32s() {
			en.dates = append(en.dates, score.Date{Y: uint16(x >> 16), M: uint8(x >> 8), D: uint8(x)})
		}
		en.rawDates, en.nats, en.ids, en.rawIDs = d.Strings(), d.Strings(), d.Strings(), d.Strings()
		gm := d.Bytes()
		if d.Err() != nil {
			return nil, d.Err()
		}
		if len(gm) != 2 || len(en.dates) != len(en.rawDates) || len(en.ids) != len(en.rawIDs) {
			return nil, fmt.Errorf("%w: entry %d", index.ErrCorrupt, i)
		}
		en.gender, en.minParts = gm[0], gm[1]
		if _, dup := ix.byID[en.id]; dup {
			return nil, fmt.Errorf("%w: record %q twice", index.ErrCorrupt, en.id)
		}
		ix.byID[en.id] = uint32(i)
		ix.meta[i] = max(1, en.minParts)
		ix.live++
	}
	ix.slots = make([]entry, 0, n)
	for _, c := range chunks {
		ix.slots = append(ix.slots, c...)
	}
	for _, x := range d.Uint32s() {
		ix.dead = append(ix.dead, int32(x))
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	if err := keys.Check(len(ix.slots)); err != nil {
		return nil, err
	}
	return ix, nil
}
