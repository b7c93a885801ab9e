package pdq

// Dihedral names one of the eight symmetries of a rectangle: the hash an
// image would have after that rotation or flip.
type Dihedral int

// The dihedral variants, in the reference's order.
const (
	Original   Dihedral = iota
	Rotate90            // a quarter turn counter-clockwise
	Rotate180           // a half turn
	Rotate270           // a quarter turn clockwise
	FlipX               // mirrored top to bottom (about the horizontal axis)
	FlipY               // mirrored left to right (about the vertical axis)
	FlipPlus1           // mirrored about the main diagonal (transposed)
	FlipMinus1          // mirrored about the anti-diagonal
)

var dihedralNames = [8]string{"original", "rotate90", "rotate180", "rotate270", "flipx", "flipy", "flipplus1", "flipminus1"}

func (d Dihedral) String() string {
	if d < 0 || int(d) >= len(dihedralNames) {
		return "dihedral(?)"
	}
	return dihedralNames[d]
}

// Dihedrals lists the eight variants in order.
func Dihedrals() [8]Dihedral {
	return [8]Dihedral{Original, Rotate90, Rotate180, Rotate270, FlipX, FlipY, FlipPlus1, FlipMinus1}
}

// dihedral derives the eight hashes from one DCT. Coefficient (u, v) of
// frequencies u+1, v+1 changes sign under a flip of the axis whose
// frequency is odd-numbered (u even), and a quarter turn or a diagonal flip
// transposes the coefficients; each variant is a sign pattern over rows
// (vertical frequency) and columns, with or without transposition.
func (d *dct16) dihedral() [8]Hash {
	// Sign rules of the reference (A is d, B the variant):
	//   rot90:  B[j][i] = A[i][j], negated when j even
	//   rot180: B[i][j] = A[i][j], negated when i+j odd
	//   rot270: B[j][i] = A[i][j], negated when i even
	//   flipX:  B[i][j] negated when i even
	//   flipY:  B[i][j] negated when j even
	//   flip+1: B[j][i] = A[i][j]
	//   flip-1: B[j][i] = A[i][j], negated when i+j odd
	neg := [8]func(i, j int) bool{
		func(i, j int) bool { return false },
		func(i, j int) bool { return j&1 == 0 },
		func(i, j int) bool { return (i+j)&1 == 1 },
		func(i, j int) bool { return i&1 == 0 },
		func(i, j int) bool { return i&1 == 0 },
		func(i, j int) bool { return j&1 == 0 },
		func(i, j int) bool { return false },
		func(i, j int) bool { return (i+j)&1 == 1 },
	}
	transposed := [8]bool{false, true, false, true, false, false, true, true}
	var out [8]Hash
	for k := range 8 {
		var b dct16
		for i := range 16 {
			for j := range 16 {
				v := d[i][j]
				if neg[k](i, j) {
					v = -v
				}
				if transposed[k] {
					b[j][i] = v
				} else {
					b[i][j] = v
				}
			}
		}
		out[k] = b.bits()
	}
	return out
}

// orient writes the w×h image src, turned as o says, to dst and returns
// the new width and height.
func orient(src, dst []float32, w, h int, o Dihedral) (int, int) {
	ow, oh := w, h
	if o == Rotate90 || o == Rotate270 || o == FlipPlus1 || o == FlipMinus1 {
		ow, oh = h, w
	}
	for y := range h {
		row := src[y*w : (y+1)*w]
		for x, v := range row {
			var u, t int // where source pixel (x, y) goes
			switch o {
			case Rotate90: // counter-clockwise
				u, t = y, w-1-x
			case Rotate180:
				u, t = w-1-x, h-1-y
			case Rotate270: // clockwise
				u, t = h-1-y, x
			case FlipX:
				u, t = x, h-1-y
			case FlipY:
				u, t = w-1-x, y
			case FlipPlus1:
				u, t = y, x
			case FlipMinus1:
				u, t = h-1-y, w-1-x
			default:
				u, t = x, y
			}
			dst[t*ow+u] = v
		}
	}
	return ow, oh
}
