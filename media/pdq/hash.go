package pdq

import (
	"encoding/hex"
	"fmt"
	"math/bits"
	"strings"
)

// Bits is the length of a PDQ hash.
const Bits = 256

// DefaultRadius is the Hamming distance at or below which two PDQ hashes are
// taken for the same picture, the reference implementation's default.
const DefaultRadius = 31

// MinQuality is the quality below which a hash is unreliable: flat or tiny
// images hash to nearly arbitrary bits, so such hashes are flagged and not
// matched silently.
const MinQuality = 50

// Hash is a 256-bit PDQ hash. Hash[0] holds the first 16 hex digits of its
// written form, Hash[3] the last 16; bit k of the reference (the k-th DCT
// coefficient in row-major order, 0 ≤ k < 256) is bit k%64 of Hash[3-k/64].
// The zero value is the hash of nothing and never the hash of an image.
type Hash [4]uint64

// Parse reads a hash written as 64 hexadecimal digits (either case; a
// leading "0x" and surrounding spaces are accepted).
func Parse(s string) (Hash, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(strings.TrimPrefix(t, "0x"), "0X")
	if len(t) != 64 {
		return Hash{}, fmt.Errorf("pdq: hash %q: want 64 hex digits, have %d characters", clip(s), len(t))
	}
	var b [32]byte
	if _, err := hex.Decode(b[:], []byte(t)); err != nil {
		return Hash{}, fmt.Errorf("pdq: hash %q: not hexadecimal", clip(s))
	}
	var h Hash
	for i := range 4 {
		for _, c := range b[i*8 : i*8+8] {
			h[i] = h[i]<<8 | uint64(c)
		}
	}
	return h, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// String writes the hash as 64 lower-case hex digits, the form the reference
// implementation, ThreatExchange and Hasher-Matcher-Actioner exchange.
func (h Hash) String() string {
	var b [32]byte
	for i := range 4 {
		for j := range 8 {
			b[i*8+j] = byte(h[i] >> (56 - 8*j))
		}
	}
	return hex.EncodeToString(b[:])
}

// MarshalText writes the hash in hex (JSON encodes it as a string).
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads a hash in hex.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// Distance is the Hamming distance between two hashes: the number of bits
// in which they differ, 0..256.
func (h Hash) Distance(o Hash) int {
	return bits.OnesCount64(h[0]^o[0]) + bits.OnesCount64(h[1]^o[1]) +
		bits.OnesCount64(h[2]^o[2]) + bits.OnesCount64(h[3]^o[3])
}

// Ones is the number of set bits. A hash of an image has about half of them
// set (the median threshold).
func (h Hash) Ones() int {
	return bits.OnesCount64(h[0]) + bits.OnesCount64(h[1]) + bits.OnesCount64(h[2]) + bits.OnesCount64(h[3])
}

// Bit reports bit k (0 ≤ k < 256) in the reference's numbering.
func (h Hash) Bit(k int) bool { return h[3-k>>6]>>(k&63)&1 == 1 }

func (h *Hash) set(k int) { h[3-k>>6] |= 1 << (k & 63) }

// IsZero reports whether h is the zero hash.
func (h Hash) IsZero() bool { return h == Hash{} }
