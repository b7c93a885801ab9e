package mediabank

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"concord"
	"concord/internal/snapshot"
	"concord/media/pdq"
)

// ErrCorrupt is returned by Decode for a bank that does not hold together.
var ErrCorrupt = errors.New("hash bank snapshot is corrupt")

// Encode writes the bank's records: each one's hashes and digests (the
// index is built again from them). Writers wait meanwhile; lookups go on.
func (b *Bank) Encode(e snapshot.Encoder) {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	b.mu.RLock()
	defer b.mu.RUnlock()
	var ids []string
	for id := range b.byEntity {
		ids = append(ids, id)
	}
	for id := range b.digestsOf {
		if _, ok := b.byEntity[id]; !ok {
			ids = append(ids, id)
		}
	}
	e.Uvarint(uint64(len(ids)))
	var buf [32]byte
	for _, id := range ids {
		e.String(id)
		e.Uvarint(uint64(len(b.byEntity[id])))
		for _, i := range b.byEntity[id] {
			h := b.entries[i].hash
			for j, w := range h {
				binary.LittleEndian.PutUint64(buf[8*j:], w)
			}
			e.String(string(buf[:]))
		}
		e.Uvarint(uint64(len(b.digestsOf[id])))
		for _, k := range b.digestsOf[id] {
			e.String(k)
		}
	}
}

// maxPerRecord bounds the hashes and digests of one record in a snapshot
// (a bad count fails instead of allocating).
const maxPerRecord = 1 << 16

// Decode replaces the bank with one written by Encode. One that does not
// decode changes nothing.
func (b *Bank) Decode(d snapshot.Decoder) error {
	var l loading
	corrupt := func(what string) error {
		if err := d.Err(); err != nil {
			return err
		}
		return fmt.Errorf("%w: %s", ErrCorrupt, what)
	}
	seen := map[string]bool{}
	for range d.Uvarint() {
		id := d.String()
		if id == "" || seen[id] {
			return corrupt("record")
		}
		seen[id] = true
		n := d.Uvarint()
		if n > maxPerRecord {
			return corrupt("hashes of a record")
		}
		hs := make([]pdq.Hash, 0, n)
		for range n {
			s := d.String()
			if len(s) != 32 {
				return corrupt("hash")
			}
			var h pdq.Hash
			for j := range h {
				h[j] = binary.LittleEndian.Uint64([]byte(s[8*j:]))
			}
			hs = append(hs, h)
		}
		k := d.Uvarint()
		if k > maxPerRecord || n == 0 && k == 0 {
			return corrupt("digests of a record")
		}
		keys := make([]string, 0, k)
		for range k {
			key := d.String()
			if !strings.HasPrefix(key, concord.PropMD5+":") && !strings.HasPrefix(key, concord.PropSHA256+":") {
				return corrupt("digest")
			}
			keys = append(keys, key)
		}
		l.add(id, hs, keys)
	}
	if err := d.Err(); err != nil {
		return err
	}
	b.wmu.Lock()
	defer b.wmu.Unlock()
	b.swap(&l)
	return nil
}

// Open returns an empty bank on st, to Decode a snapshot into (New builds
// one from the store).
func Open(st Store) *Bank {
	b := &Bank{store: st}
	b.swap(&loading{})
	return b
}
