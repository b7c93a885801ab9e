// Package pdq computes Meta's PDQ perceptual image hash, implemented from
// the published algorithm (ThreatExchange's "The TMK+PDQF and PDQ hashing
// algorithms" and its reference hasher), and compares hashes.
//
// The steps, as in the reference:
//
//  1. luminance Y = 0.299 R + 0.587 G + 0.114 B of every pixel (alpha is
//     ignored); images wider or taller than 512 pixels are first reduced to
//     at most 512 along that axis by area averaging, as the reference
//     reduces them before filtering (the filter would otherwise dominate);
//  2. a Jarosz tent filter: two passes each of a box filter along rows and
//     one along columns, the box as wide as ⌈dimension/128⌉ pixels, so that
//     each of the 64 output samples along an axis sees its whole block;
//  3. decimation to 64×64 by sampling the filtered image at the centre of
//     each block;
//  4. the quality: the sum of the quantised gradients of the 64×64 image,
//     scaled to 0..100 (below 50 the hash is unreliable);
//  5. the 16×16 lowest non-constant frequencies of the 2-D DCT-II of the
//     64×64 image, D·A·Dᵀ with D the 16×64 DCT matrix without its DC row;
//  6. one bit per coefficient: set when it is above the median of the 256.
//
// The eight dihedral variants (the hashes the image would have if rotated
// or flipped) come from the same DCT by sign changes and transposition.
//
// The package is pure: it hashes an image.Image or a luminance buffer and
// does no I/O; decoding files is package media's.
package pdq

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
)

// MaxSide is the largest width or height the filter runs on: larger images
// are reduced to it along that axis first, as the reference does.
const MaxSide = 512

// MinSide is the smallest width or height that can be hashed.
const MinSide = 5

// Luminance weights (ITU-R BT.601), as in the reference.
const (
	lumaR = 0.299
	lumaG = 0.587
	lumaB = 0.114
)

// ErrTooSmall is returned for images narrower or lower than MinSide pixels.
var ErrTooSmall = errors.New("pdq: image too small to hash")

// Hasher computes PDQ hashes, reusing its buffers between images. A Hasher
// is not safe for concurrent use; the zero value is ready.
type Hasher struct {
	luma, tmp []float32
	acc       []float32
	cnt       []int32
	colMap    []int32
	row       []float32
}

// Result is the hash of one image and its quality.
type Result struct {
	Hash    Hash `json:"hash"`
	Quality int  `json:"quality"`
}

// Reliable reports whether the quality is at least MinQuality.
func (r Result) Reliable() bool { return r.Quality >= MinQuality }

// HashImage returns the PDQ hash and quality of img.
func (h *Hasher) HashImage(img image.Image) (Result, error) {
	return h.HashOriented(img, Original)
}

// HashOriented returns the PDQ hash and quality of img as it looks after
// the rotation or flip o: the way to honour an EXIF orientation. The pixels
// are turned after their reduction to at most MaxSide a side, which costs
// no copy of a large image.
func (h *Hasher) HashOriented(img image.Image, o Dihedral) (Result, error) {
	d, q, err := h.dct(img, o)
	if err != nil {
		return Result{}, err
	}
	return Result{Hash: d.bits(), Quality: q}, nil
}

// HashDihedral returns the eight dihedral hashes of img (indexed by
// Dihedral: the original first) and its quality, from one DCT.
func (h *Hasher) HashDihedral(img image.Image) ([8]Hash, int, error) {
	return h.HashDihedralOriented(img, Original)
}

// HashDihedralOriented is HashDihedral of img after the rotation or flip o.
func (h *Hasher) HashDihedralOriented(img image.Image, o Dihedral) ([8]Hash, int, error) {
	d, q, err := h.dct(img, o)
	if err != nil {
		return [8]Hash{}, 0, err
	}
	return d.dihedral(), q, nil
}

// HashLuma hashes a luminance image given row-major, width×height values in
// 0..255. The buffer is used as scratch and overwritten.
func (h *Hasher) HashLuma(luma []float32, width, height int) (Result, error) {
	if width < MinSide || height < MinSide {
		return Result{}, fmt.Errorf("%w: %d×%d pixels, need at least %d×%d", ErrTooSmall, width, height, MinSide, MinSide)
	}
	if len(luma) != width*height {
		return Result{}, fmt.Errorf("pdq: luma buffer holds %d values, want %d×%d", len(luma), width, height)
	}
	d, q := h.fromLuma(luma, width, height)
	return Result{Hash: d.bits(), Quality: q}, nil
}

// HashImage returns the PDQ hash and quality of img with a fresh Hasher.
func HashImage(img image.Image) (Result, error) {
	var h Hasher
	return h.HashImage(img)
}

func (h *Hasher) dct(img image.Image, o Dihedral) (*dct16, int, error) {
	b := img.Bounds()
	if b.Dx() < MinSide || b.Dy() < MinSide {
		return nil, 0, fmt.Errorf("%w: %d×%d pixels, need at least %d×%d", ErrTooSmall, b.Dx(), b.Dy(), MinSide, MinSide)
	}
	if o < Original || o > FlipMinus1 {
		return nil, 0, fmt.Errorf("pdq: unknown orientation %d", o)
	}
	luma, w, ht := h.reduce(img)
	if o != Original {
		h.tmp = grow(h.tmp, w*ht)
		w, ht = orient(luma, h.tmp, w, ht, o)
		h.luma, h.tmp = h.tmp, h.luma
		luma = h.luma
	}
	d, q := h.fromLuma(luma, w, ht)
	return d, q, nil
}

func (h *Hasher) fromLuma(luma []float32, w, ht int) (*dct16, int) {
	h.tmp = grow(h.tmp, w*ht)
	jarosz(luma, h.tmp, w, ht, windowSize(w), windowSize(ht))
	var a [64][64]float32
	decimate(luma, w, ht, &a)
	q := quality(&a)
	d := new(dct16)
	d.compute(&a)
	return d, q
}

// windowSize is the box width of one filter pass along an axis of n
// pixels: half of the n/64 pixels that make one output sample, rounded up.
func windowSize(n int) int { return (n + 2*64 - 1) / (2 * 64) }

func grow(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}

// reduce returns the luminance of img, reduced by area averaging to at most
// MaxSide along each axis, and its size.
func (h *Hasher) reduce(img image.Image) ([]float32, int, int) {
	b := img.Bounds()
	W, H := b.Dx(), b.Dy()
	w, ht := min(W, MaxSide), min(H, MaxSide)
	h.luma = grow(h.luma, w*ht)
	h.row = grow(h.row, W)
	read := rowReader(img)
	if W == w && H == ht {
		for y := range H {
			read(b.Min.Y+y, h.luma[y*w:(y+1)*w])
		}
		return h.luma, w, ht
	}
	// Source column x adds to output column x*w/W; source row y to row y*ht/H.
	if cap(h.colMap) < W {
		h.colMap = make([]int32, W)
	}
	h.colMap = h.colMap[:W]
	for x := range W {
		h.colMap[x] = int32(x * w / W)
	}
	h.acc = grow(h.acc, w)
	if cap(h.cnt) < w {
		h.cnt = make([]int32, w)
	}
	h.cnt = h.cnt[:w]
	clear(h.cnt)
	for x := range W {
		h.cnt[h.colMap[x]]++
	}
	clear(h.acc)
	out, rows := 0, 0
	for y := range H {
		read(b.Min.Y+y, h.row)
		for x, v := range h.row {
			h.acc[h.colMap[x]] += v
		}
		rows++
		if (y+1)*ht/H != out {
			dst := h.luma[out*w : (out+1)*w]
			for x := range w {
				dst[x] = h.acc[x] / float32(int(h.cnt[x])*rows)
			}
			clear(h.acc)
			rows = 0
			out++
		}
	}
	return h.luma, w, ht
}

// rowReader returns a function that writes the luminance of the pixels of
// a row of img, from its left edge, to dst.
func rowReader(img image.Image) func(y int, dst []float32) {
	x0 := img.Bounds().Min.X
	switch m := img.(type) {
	case *image.YCbCr:
		// JPEG's Y is the same weighted sum of R, G and B: read it as it
		// is, without going through RGB (the two differ only where a
		// colour is clipped to the RGB cube, by a level or so).
		return func(y int, dst []float32) {
			row := m.Y[m.YOffset(x0, y):]
			for i := range dst {
				dst[i] = float32(row[i])
			}
		}
	case *image.Gray:
		return func(y int, dst []float32) {
			p := m.Pix[m.PixOffset(x0, y):]
			for i := range dst {
				dst[i] = float32(p[i])
			}
		}
	case *image.NRGBA:
		return func(y int, dst []float32) {
			p := m.Pix[m.PixOffset(x0, y):]
			for i := range dst {
				dst[i] = lumaRGB(p[4*i], p[4*i+1], p[4*i+2])
			}
		}
	case *image.Paletted:
		pal := make([]float32, 256)
		for i, c := range m.Palette {
			n := color.NRGBAModel.Convert(c).(color.NRGBA)
			pal[i] = lumaRGB(n.R, n.G, n.B)
		}
		return func(y int, dst []float32) {
			p := m.Pix[m.PixOffset(x0, y):]
			for i := range dst {
				dst[i] = pal[p[i]] // an index past the palette reads black
			}
		}
	}
	// Anything else (premultiplied, 16-bit, CMYK) through the colour model;
	// colour is read without its alpha, as the reference does.
	return func(y int, dst []float32) {
		for i := range dst {
			c := color.NRGBA64Model.Convert(img.At(x0+i, y)).(color.NRGBA64)
			dst[i] = lumaR*float32(c.R)/257 + lumaG*float32(c.G)/257 + lumaB*float32(c.B)/257
		}
	}
}

func lumaRGB(r, g, b uint8) float32 {
	return lumaR*float32(r) + lumaG*float32(g) + lumaB*float32(b)
}

// jarosz filters the w×ht image in buf in place (tmp is scratch): two
// rounds of a box of width wx along rows then of width wy along columns,
// which together approximate a tent filter.
func jarosz(buf, tmp []float32, w, ht, wx, wy int) {
	for range 2 {
		for y := range ht {
			box(buf[y*w:], tmp[y*w:], w, 1, wx)
		}
		for x := range w {
			box(tmp[x:], buf[x:], ht, w, wy)
		}
	}
}

// box writes the moving average of n values of in (stride apart) to out:
// each output is the mean of the window of the given width around it,
// centred with the extra sample on the right for even widths, and clipped
// (averaging fewer values) at the two ends.
func box(in, out []float32, n, stride, window int) {
	half := (window + 2) / 2
	var sum float32
	cur := 0
	ri, li, oi := 0, 0, 0
	for range half - 1 { // fill the right half, no output yet
		sum += in[ri]
		cur++
		ri += stride
	}
	for range window - half + 1 { // grow to the full window
		sum += in[ri]
		cur++
		out[oi] = sum / float32(cur)
		ri += stride
		oi += stride
	}
	for range n - window { // slide
		sum += in[ri] - in[li]
		out[oi] = sum / float32(cur)
		li += stride
		ri += stride
		oi += stride
	}
	for range half - 1 { // shrink at the end
		sum -= in[li]
		cur--
		out[oi] = sum / float32(cur)
		li += stride
		oi += stride
	}
}

// decimate samples the filtered image at the centres of a 64×64 grid.
func decimate(buf []float32, w, ht int, a *[64][64]float32) {
	var cols [64]int
	for j := range 64 {
		cols[j] = int((float64(j) + 0.5) * float64(w) / 64)
	}
	for i := range 64 {
		r := int((float64(i) + 0.5) * float64(ht) / 64)
		row := buf[r*w:]
		for j := range 64 {
			a[i][j] = row[cols[j]]
		}
	}
}

// quality sums the gradients between neighbours of the 64×64 image, each
// quantised to whole percent of the luminance range so that only
// significant ones count, and scales the sum to 0..100.
func quality(a *[64][64]float32) int {
	sum := 0
	for i := range 63 {
		for j := range 64 {
			sum += absInt(int((a[i][j] - a[i+1][j]) * 100 / 255))
		}
	}
	for i := range 64 {
		for j := range 63 {
			sum += absInt(int((a[i][j] - a[i][j+1]) * 100 / 255))
		}
	}
	return min(sum/90, 100)
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// dctMatrix is row u (frequency u+1) of the 64-point DCT-II basis, scaled
// by √(2/64). It is a constant table.
var dctMatrix = func() (d [16][64]float64) {
	s := math.Sqrt(2.0 / 64.0)
	for i := range 16 {
		for j := range 64 {
			d[i][j] = s * math.Cos(math.Pi/2/64*float64(i+1)*float64(2*j+1))
		}
	}
	return d
}()

// dct16 holds the 16×16 DCT coefficients: row index is the vertical
// frequency, column index the horizontal one.
type dct16 [16][16]float64

func (d *dct16) compute(a *[64][64]float32) {
	// t = D·A (16×64), then d = t·Dᵀ (16×16).
	var t [16][64]float64
	for i := range 16 {
		di := &dctMatrix[i]
		for k := range 64 {
			c := di[k]
			ak := &a[k]
			ti := &t[i]
			for j := range 64 {
				ti[j] += c * float64(ak[j])
			}
		}
	}
	for i := range 16 {
		for j := range 16 {
			var s float64
			dj := &dctMatrix[j]
			for k := range 64 {
				s += t[i][k] * dj[k]
			}
			d[i][j] = s
		}
	}
}

// bits sets bit i·16+j for each coefficient above the median.
func (d *dct16) bits() Hash {
	var v [256]float64
	for i := range 16 {
		copy(v[i*16:], d[i][:])
	}
	s := v
	slices.Sort(s[:])
	med := s[127] // the lower median, as the reference's Torben selection
	var h Hash
	for k, x := range v {
		if x > med {
			h.set(k)
		}
	}
	return h
}
