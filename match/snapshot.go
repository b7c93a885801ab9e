package match

import (
	"fmt"

	"concord/match/index"
	"concord/match/normalize"
	"concord/match/score"
)

// snapshotVersion changes whenever what Encode writes changes: a snapshot
// of another version does not decode (the caller builds the index again).
const snapshotVersion = 23 // session 13: East Slavic patronymics (-avich, -auna, -euna weak parts; -ovich, -evich with the i mistyped) (23); Korean persons' names also indexed in one canonical reading (22); derived acronyms of three letters again, capped below the threshold when a record is met only through one (21); tried and reverted (20); legal forms no letters of a derived acronym; a legal form after the comma of an organisation's name stays its legal form (VAD, AO), Russian loanwords eksport and menedzhment on the lines of export and management; wa, the Bantu "of", a filiation particle in persons' names (Part.Chain); record names cleaned (normalize.Clean: format characters, tatweel, presentation forms, NFC, look-alike letters in mixed words) and Urdu ہ ۃ read as ه; Latin đ and Cyrillic ђ both dj, Macedonian ѓ ќ gj kj. Session 12: derived acronyms also read with the Arabic article but not the ezafe (TTPJUA); a part written after a dropped Arabic article flagged (part.marks); acronyms derived from organisations' names (weak names flagged acr); Han in organisation names read one syllable a word, one-character Han table aliases dropped, Chinese shipping words; organisations' Arabic-script names also indexed translated (name.translated flag), و split from a joined article. Session 11: Sayyid a title part; no legal form in a person's name, nicknames as written; a title before an article kept; split readings of script records; German and French readings of Cyrillic records

// Encode writes the index to e, for DecodeIndex to read back (a snapshot
// that saves rebuilding it). What WeighBy set is not written.
func (ix *Index) Encode(e *index.Encoder) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e.Uvarint(snapshotVersion)
	ix.keys.Encode(e)
	e.Strings(ix.textOf)
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

// encodeEntry writes one slot: a part as the id of its text (every part
// of an indexed record has one), its key and its flags.
func encodeEntry(e *index.Encoder, en *entry) {
	if en.dead {
		e.Uvarint(0)
		return
	}
	e.Uvarint(1)
	e.String(en.id)
	e.String(en.schema)
	e.String(en.caption)
	e.Strings(en.refs())
	e.Uvarint(uint64(len(en.names)))
	for _, n := range en.names {
		e.String(n.raw)
		flags := b2u(n.weak) | b2u(n.alt)<<1 | b2u(n.acr)<<2 | b2u(n.translated)<<3 | b2u(n.korean)<<4
		e.Uvarint(flags)
		e.Uvarint(uint64(len(n.parts)))
		for _, p := range n.parts {
			e.Uvarint(uint64(p.tid))
			e.Uvarint(uint64(p.key))
			e.Uvarint(b2u(p.weak) | b2u(p.bare)<<1 | b2u(p.family())<<2 | uint64(p.kind)<<3 | uint64(p.chain)<<11 | b2u(p.article())<<19)
		}
	}
	e.Uvarint(uint64(len(en.dates)))
	for _, d := range en.dates {
		e.Uvarint(uint64(d.Y)<<16 | uint64(d.M)<<8 | uint64(d.D))
	}
	e.Strings(en.rawDates())
	e.Strings(en.nats())
	e.Strings(en.ids())
	e.Strings(en.rawIDs())
	e.Uvarint(uint64(en.gender))
	e.Uvarint(uint64(en.minParts))
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// DecodeIndex reads an index written by Encode. The entries' slices are
// cut from shared arrays (capped: a later change appends to a copy), so
// that loading allocates per arena, not per record.
func DecodeIndex(d *index.Decoder) (*Index, error) {
	if v := d.Uvarint(); v != snapshotVersion {
		return nil, fmt.Errorf("%w: index format %d, want %d", index.ErrCorrupt, v, snapshotVersion)
	}
	keys, err := index.Decode(d)
	if err != nil {
		return nil, err
	}
	texts := d.Strings()
	n := d.Len(1 << 31)
	ix := &Index{keys: keys, intern: index.NewInterner(), texts: make(map[string]uint32, len(texts)), textOf: texts, byID: make(map[string]uint32, min(n, 1<<21))}
	ix.termOf = make([]uint8, len(texts))
	for i, t := range texts {
		ix.texts[t] = uint32(i + 1)
		ix.termOf[i] = normalize.OrgTerm(t)
	}
	if len(ix.texts) != len(texts) {
		return nil, fmt.Errorf("%w: part texts", index.ErrCorrupt)
	}
	// Entries decode into chunks, joined at the end: a bad count fails at
	// the end of the input instead of allocating up front, and no entry is
	// copied more than once.
	const chunk = 1 << 16
	var chunks [][]entry
	ix.meta = make([]uint8, 0, min(n, 1<<21))
	var a arenas
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
		if err := a.entry(d, en, texts, keys); err != nil {
			return nil, err
		}
		ix.byID[en.id] = uint32(i)
		if ix.live++; len(ix.byID) != ix.live { // one look-up, not two
			return nil, fmt.Errorf("%w: record %q twice", index.ErrCorrupt, en.id)
		}
		ix.meta[i] = max(1, en.minParts)
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

// arenas are the arrays the decoded entries' slices share.
type arenas struct {
	names   []name
	parts   []part
	strings []string
	dates   []score.Date
	buf     []string // one entry's strings, before they go to strings
}

// take cuts n elements off an arena, refilling it with at least least.
func take[T any](a *[]T, n, least int) []T {
	if n == 0 {
		return nil
	}
	if cap(*a)-len(*a) < n {
		*a = make([]T, 0, max(n, least))
	}
	l := len(*a)
	*a = (*a)[:l+n]
	return (*a)[l : l+n : l+n]
}

// strs appends a list of strings to a.buf and returns its length.
func (a *arenas) strs(d *index.Decoder) uint32 {
	n := d.Len(1 << 16)
	for range n {
		a.buf = append(a.buf, d.String())
	}
	return uint32(n)
}

// entry decodes a live entry's fields.
func (a *arenas) entry(d *index.Decoder, en *entry, texts []string, keys *index.Index) error {
	en.id, en.schema, en.caption = d.String(), d.String(), d.String()
	a.buf = a.buf[:0]
	en.nRefs = a.strs(d)
	en.names = take(&a.names, d.Len(1<<16), 4096)
	for j := range en.names {
		nm := &en.names[j]
		nm.raw = d.String()
		nf := d.Uvarint()
		nm.weak, nm.alt, nm.acr, nm.translated, nm.korean = nf&1 == 1, nf&2 != 0, nf&4 != 0, nf&8 != 0, nf&16 != 0
		nm.parts = take(&a.parts, d.Len(1<<16), 8192)
		for k := range nm.parts {
			p := &nm.parts[k]
			tid, key, flags := d.Uvarint(), d.Uvarint(), d.Uvarint()
			if tid == 0 || tid > uint64(len(texts)) || key >= uint64(keys.Keys()) || flags>>20 != 0 {
				return fmt.Errorf("%w: part", index.ErrCorrupt)
			}
			p.tid, p.key = uint32(tid), uint32(key)
			p.weak, p.bare, p.marks = flags&1 != 0, flags&2 != 0, partMarks(flags&4 != 0, flags>>19&1 != 0)
			p.kind, p.chain = normalize.Kind(flags>>3), uint8(flags>>11)
		}
		setJoinLens(texts, en, nm.parts)
	}
	markTwins(en.names, 0)
	en.dates = take(&a.dates, d.Len(1<<16), 1<<14)
	for i := range en.dates {
		x := d.Uvarint()
		en.dates[i] = score.Date{Y: uint16(x >> 16), M: uint8(x >> 8), D: uint8(x)}
	}
	nd := a.strs(d)
	en.nNats, en.nIDs = a.strs(d), a.strs(d)
	nRaw := a.strs(d)
	g, mp := d.Uvarint(), d.Uvarint()
	if d.Err() != nil {
		return d.Err()
	}
	if g > 255 || mp > 255 || nd != uint32(len(en.dates)) || nRaw != en.nIDs {
		return fmt.Errorf("%w: entry %q", index.ErrCorrupt, en.id)
	}
	en.vals = take(&a.strings, len(a.buf), 1<<14)
	copy(en.vals, a.buf)
	en.gender, en.minParts = uint8(g), uint8(mp)
	return nil
}
