package index

import "math/rand/v2"

// table finds a key's id by its string: open addressing with linear
// probing over a power-of-two array of id+1 (0 is empty), half full at
// most. It holds no pointers (the collector does not scan it) and is
// written to a snapshot as it is, so that loading one inserts nothing.
// The hash is seeded (the seed is kept in the snapshot): list data cannot
// be written to collide.
type table struct {
	seed  uint64
	slots []uint32
}

// seed is the hash seed of the tables this process makes, drawn once like
// the runtime's own map seed (read-only): two indexes built alike in one
// process write the same snapshot.
var seed = rand.Uint64() | 1

func newTable() table { return table{seed: seed, slots: make([]uint32, 16)} }

const (
	mulA = 0x9e3779b97f4a7c15
	mulB = 0xbf58476d1ce4e5b9
	mulC = 0x94d049bb133111eb
)

// hashOf hashes s under seed, eight bytes at a time.
func hashOf[T string | []byte](seed uint64, s T) uint64 {
	h := seed ^ uint64(len(s))*mulA
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = (h ^ w) * mulB
		h ^= h >> 31
		s = s[8:]
	}
	var w uint64
	for i := 0; i < len(s); i++ {
		w |= uint64(s[i]) << (8 * i)
	}
	h = (h ^ w) * mulC
	h ^= h >> 29
	h *= mulB
	return h ^ h>>32
}

// find returns the id of key among names.
func find[T string | []byte](t *table, names []string, key T) (uint32, bool) {
	mask := uint64(len(t.slots) - 1)
	for i := hashOf(t.seed, key) & mask; ; i = (i + 1) & mask {
		v := t.slots[i]
		if v == 0 {
			return 0, false
		}
		if names[v-1] == string(key) {
			return v - 1, true
		}
	}
}

// insert adds id, whose name is new, growing the array when half full.
func (t *table) insert(names []string, id uint32) {
	if 2*len(names) > len(t.slots) {
		t.slots = make([]uint32, 2*len(t.slots))
		for i := range uint32(len(names) - 1) {
			t.place(names[i], i)
		}
	}
	t.place(names[id], id)
}

func (t *table) place(name string, id uint32) {
	mask := uint64(len(t.slots) - 1)
	i := hashOf(t.seed, name) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = id + 1
}
