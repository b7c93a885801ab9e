package index

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"unsafe"
)

// A snapshot is a magic string, then blocks, then an empty block and a
// CRC-32C of all that precedes it. A block holds the bytes of its strings
// and then everything else (numbers, and each string's length); values
// never straddle blocks. A Decoder turns each block's strings into one
// string and gives out substrings of it, so that loading allocates per
// block and per slice, not per string, and memory stays bounded by a block
// while writing.

// blockSize is the size from which the encoder ends a block.
const blockSize = 8 << 20

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt is returned for a snapshot that does not decode.
var ErrCorrupt = errors.New("snapshot is corrupt")

// Encoder writes a snapshot.
type Encoder struct {
	w        *bufio.Writer
	crc      hash.Hash32
	str, dat []byte
	err      error
}

// NewEncoder starts a snapshot on w.
func NewEncoder(w io.Writer, magic string) *Encoder {
	e := &Encoder{w: bufio.NewWriterSize(w, 1<<20), crc: crc32.New(castagnoli)}
	e.write(append([]byte(magic), 0))
	return e
}

func (e *Encoder) write(b []byte) {
	if e.err != nil {
		return
	}
	if _, err := e.w.Write(b); err != nil {
		e.err = err
		return
	}
	e.crc.Write(b)
}

func (e *Encoder) block() {
	var head [8]byte
	binary.LittleEndian.PutUint32(head[:], uint32(len(e.str)))
	binary.LittleEndian.PutUint32(head[4:], uint32(len(e.dat)))
	e.write(head[:])
	e.write(e.str)
	e.write(e.dat)
	e.str, e.dat = e.str[:0], e.dat[:0]
}

// next ends the block when it is full; called after each value.
func (e *Encoder) next() {
	if len(e.str)+len(e.dat) >= blockSize {
		e.block()
	}
}

// Uvarint writes x.
func (e *Encoder) Uvarint(x uint64) {
	e.dat = binary.AppendUvarint(e.dat, x)
	e.next()
}

// String writes s.
func (e *Encoder) String(s string) {
	e.dat = binary.AppendUvarint(e.dat, uint64(len(s)))
	e.str = append(e.str, s...)
	e.next()
}

// Strings writes a list of strings.
func (e *Encoder) Strings(ss []string) {
	e.Uvarint(uint64(len(ss)))
	for _, s := range ss {
		e.String(s)
	}
}

// Uint32s writes a list of numbers (in one block).
func (e *Encoder) Uint32s(xs []uint32) {
	e.dat = binary.AppendUvarint(e.dat, uint64(len(xs)))
	for _, x := range xs {
		e.dat = binary.LittleEndian.AppendUint32(e.dat, x)
	}
	e.next()
}

// Bytes writes a list of bytes (in one block).
func (e *Encoder) Bytes(b []byte) {
	e.dat = binary.AppendUvarint(e.dat, uint64(len(b)))
	e.dat = append(e.dat, b...)
	e.next()
}

// Close writes the last blocks and the checksum, and flushes.
func (e *Encoder) Close() error {
	if len(e.str)+len(e.dat) > 0 {
		e.block()
	}
	e.block() // empty: the end
	if e.err == nil {
		_, e.err = e.w.Write(binary.LittleEndian.AppendUint32(nil, e.crc.Sum32()))
	}
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return e.err
}

// Decoder reads what an Encoder wrote. A value that does not decode sets
// Err (ErrCorrupt) and yields zero values from then on.
type Decoder struct {
	r   *bufio.Reader
	crc hash.Hash32
	str string
	dat []byte
	buf []byte // the numbers' buffer, reused from block to block
	end bool
	err error
}

// maxBlock bounds a block's sections (a bad length fails, not allocates).
const maxBlock = 1 << 31

// NewDecoder starts reading a snapshot written with this magic.
func NewDecoder(r io.Reader, magic string) (*Decoder, error) {
	d := &Decoder{r: bufio.NewReaderSize(r, 1<<20), crc: crc32.New(castagnoli)}
	head := make([]byte, len(magic)+1)
	if !d.read(head) || string(head[:len(magic)]) != magic || head[len(magic)] != 0 {
		return nil, fmt.Errorf("%w: not a %q snapshot", ErrCorrupt, magic)
	}
	return d, nil
}

func (d *Decoder) read(b []byte) bool {
	if _, err := io.ReadFull(d.r, b); err != nil {
		d.fail("truncated")
		return false
	}
	d.crc.Write(b)
	return true
}

// load reads the next block once the current one is used up.
func (d *Decoder) load() bool {
	if d.err != nil || d.end {
		d.fail("read past the end")
		return false
	}
	var head [8]byte
	if !d.read(head[:]) {
		return false
	}
	ns, nd := binary.LittleEndian.Uint32(head[:]), binary.LittleEndian.Uint32(head[4:])
	if ns > maxBlock || nd > maxBlock {
		d.fail("block size")
		return false
	}
	if ns == 0 && nd == 0 {
		d.end = true
		d.fail("read past the end")
		return false
	}
	str, ok := d.readN(nil, int(ns))
	if !ok {
		return false
	}
	// The numbers are used up before the next block: their buffer is
	// reused. The strings' bytes are never written again, and the values
	// given out are substrings of them: they become a string as they are,
	// not a copy.
	dat, ok := d.readN(d.buf, int(nd))
	if !ok {
		return false
	}
	d.buf = dat
	d.str, d.dat = unsafe.String(unsafe.SliceData(str), len(str)), dat
	return true
}

// readN reads n bytes into buf when it has room, else into a buffer that
// grows as they arrive: a bad length fails at the end of the input
// instead of allocating up front.
func (d *Decoder) readN(buf []byte, n int) ([]byte, bool) {
	if cap(buf) >= n {
		buf = buf[:n]
		return buf, d.read(buf)
	}
	buf = make([]byte, min(n, readAhead))
	if !d.read(buf) {
		return nil, false
	}
	for len(buf) < n {
		chunk := min(n-len(buf), len(buf))
		buf = append(buf, make([]byte, chunk)...)
		if !d.read(buf[len(buf)-chunk:]) {
			return nil, false
		}
	}
	return buf, true
}

// readAhead is what a block's length is trusted with before its bytes
// arrive (blocks are blockSize or a little more).
const readAhead = 64 << 20

// Done checks that everything was read, up to the checksum.
func (d *Decoder) Done() error {
	if d.err != nil {
		return d.err
	}
	if len(d.dat) > 0 || len(d.str) > 0 {
		return fmt.Errorf("%w: data left", ErrCorrupt)
	}
	var head [8]byte
	if !d.read(head[:]) {
		return d.err
	}
	if binary.LittleEndian.Uint64(head[:]) != 0 {
		return fmt.Errorf("%w: data left", ErrCorrupt)
	}
	want := d.crc.Sum32()
	var sum [4]byte
	if _, err := io.ReadFull(d.r, sum[:]); err != nil || binary.LittleEndian.Uint32(sum[:]) != want {
		return fmt.Errorf("%w: checksum", ErrCorrupt)
	}
	return nil
}

// Err is the first decoding error.
func (d *Decoder) Err() error { return d.err }

func (d *Decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrCorrupt, what)
	}
	d.dat, d.str = nil, ""
}

// uvarint reads a number, loading the next block first if needed.
func (d *Decoder) uvarint() uint64 {
	if len(d.dat) == 0 && (len(d.str) > 0 || !d.load()) {
		d.fail("number")
		return 0
	}
	x, n := binary.Uvarint(d.dat)
	if n <= 0 {
		d.fail("number")
		return 0
	}
	d.dat = d.dat[n:]
	return x
}

// Uvarint reads a number.
func (d *Decoder) Uvarint() uint64 { return d.uvarint() }

// Len reads a count that cannot exceed max.
func (d *Decoder) Len(max int) int {
	n := d.uvarint()
	if n > uint64(max) {
		d.fail("count")
		return 0
	}
	return int(n)
}

// String reads a string: a substring of its block's strings.
func (d *Decoder) String() string {
	n := d.uvarint()
	if n > uint64(len(d.str)) {
		d.fail("string")
		return ""
	}
	s := d.str[:n]
	d.str = d.str[n:]
	return s
}

// Strings reads a list of strings.
func (d *Decoder) Strings() []string {
	n := d.Len(maxBlock)
	if n == 0 {
		return nil
	}
	out := make([]string, 0, min(n, 1<<16))
	for range n {
		out = append(out, d.String())
		if d.err != nil {
			return nil
		}
	}
	return out
}

// Uint32s reads a list of numbers.
func (d *Decoder) Uint32s() []uint32 {
	n := d.uvarint()
	if n > uint64(len(d.dat)/4) {
		d.fail("numbers")
		return nil
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(d.dat[4*i:])
	}
	d.dat = d.dat[4*n:]
	return out
}

// Bytes reads a list of bytes (a copy).
func (d *Decoder) Bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.dat)) {
		d.fail("bytes")
		return nil
	}
	out := append([]byte(nil), d.dat[:n]...)
	d.dat = d.dat[n:]
	return out
}

// postingsGroup is how many keys' postings are written as one list, and
// tableGroup how many slots of the key table.
const (
	postingsGroup = 4096
	tableGroup    = 1 << 16
)

// Encode writes the index's keys and postings.
func (ix *Index) Encode(e *Encoder) {
	e.Strings(ix.names)
	e.Uvarint(ix.ids.seed)
	for g := 0; g < len(ix.ids.slots); g += tableGroup {
		e.Uint32s(ix.ids.slots[g:min(g+tableGroup, len(ix.ids.slots))])
	}
	n := len(ix.names)
	for _, l := range []*lists{&ix.exact, &ix.near, &ix.src} {
		for g := 0; g < n; g += postingsGroup {
			k := min(postingsGroup, n-g)
			lens := make([]uint32, k)
			var flat []uint32
			for i := range k {
				p := l.get(uint32(g + i))
				lens[i] = uint32(len(p))
				flat = append(flat, p...)
			}
			e.Uint32s(lens)
			e.Uint32s(flat)
		}
	}
}

// Decode reads an index written by Encode.
func Decode(d *Decoder) (*Index, error) {
	ix := &Index{names: d.Strings()}
	n := len(ix.names)
	if err := ix.decodeTable(d); err != nil {
		return nil, err
	}
	for _, l := range []*lists{&ix.exact, &ix.near, &ix.src} {
		l.frozen = n
		for g := 0; g < n; g += postingsGroup {
			lens, flat := d.Uint32s(), d.Uint32s()
			if d.Err() != nil {
				return nil, d.Err()
			}
			if len(lens) != min(postingsGroup, n-g) {
				return nil, fmt.Errorf("%w: postings", ErrCorrupt)
			}
			// The lengths become the group's offsets.
			off := make([]uint32, len(lens)+1)
			for i, x := range lens {
				if uint64(off[i])+uint64(x) > uint64(len(flat)) {
					return nil, fmt.Errorf("%w: postings", ErrCorrupt)
				}
				off[i+1] = off[i] + x
			}
			if int(off[len(lens)]) != len(flat) {
				return nil, fmt.Errorf("%w: postings", ErrCorrupt)
			}
			l.groups = append(l.groups, group{off: off, flat: flat})
		}
	}
	return ix, d.Err()
}

// Check reports postings that do not point at one of docs documents in
// ascending order, or sources that are not keys: what a snapshot must hold
// before queries read it.
func (ix *Index) Check(docs int) error {
	n := uint32(len(ix.names))
	for _, ls := range []*lists{&ix.exact, &ix.near} {
		for k := range n {
			l := ls.get(k)
			for i, d := range l {
				if int(d) >= docs || i > 0 && l[i-1] >= d {
					return fmt.Errorf("%w: postings", ErrCorrupt)
				}
			}
		}
	}
	for k := range n {
		for _, s := range ix.src.get(k) {
			if s >= n {
				return fmt.Errorf("%w: sources", ErrCorrupt)
			}
		}
	}
	return nil
}

// decodeTable reads the key table written with the names: its size the
// power of two a table of that many names would have, and each name's id
// in one slot. Where the ids sit is what the checksum guards (a table whose
// ids are where their hashes do not lead finds fewer keys; it cannot read
// out of bounds).
func (ix *Index) decodeTable(d *Decoder) error {
	n := len(ix.names)
	size := 16
	for 2*n > size {
		size *= 2
	}
	ix.ids = table{seed: d.Uvarint(), slots: make([]uint32, 0, size)}
	for len(ix.ids.slots) < size {
		g := d.Uint32s()
		if d.Err() != nil {
			return d.Err()
		}
		if len(g) != min(tableGroup, size-len(ix.ids.slots)) {
			return fmt.Errorf("%w: key table", ErrCorrupt)
		}
		ix.ids.slots = append(ix.ids.slots, g...)
	}
	seen := make([]uint64, (n+63)/64)
	count := 0
	for _, v := range ix.ids.slots {
		if v == 0 {
			continue
		}
		if int(v) > n || seen[(v-1)/64]&(1<<((v-1)%64)) != 0 {
			return fmt.Errorf("%w: key table", ErrCorrupt)
		}
		seen[(v-1)/64] |= 1 << ((v - 1) % 64)
		count++
	}
	if count != n {
		return fmt.Errorf("%w: key table", ErrCorrupt)
	}
	return nil
}
