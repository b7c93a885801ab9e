package pdq

import (
	"encoding/csv"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testdata = "../testdata/pdq/"

func decodeFile(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var img image.Image
	if strings.HasSuffix(path, ".png") {
		img, err = png.Decode(f)
	} else {
		img, err = jpeg.Decode(f)
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func hashFile(t testing.TB, path string) Result {
	t.Helper()
	r, err := HashImage(decodeFile(t, path))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

// TestReferenceHashes: the shared photos hash within 10 bits of the
// reference implementation's hashes when their quality is at least 80 (the
// reference's own tolerance: JPEG decoders differ in their pixels).
func TestReferenceHashes(t *testing.T) {
	f, err := os.Open(testdata + "reference_hashes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		t.Run(row[0], func(t *testing.T) {
			want, err := Parse(row[1])
			if err != nil {
				t.Fatal(err)
			}
			got := hashFile(t, testdata+row[0])
			d := got.Hash.Distance(want)
			t.Logf("%s quality %d, %d bits from the reference", got.Hash, got.Quality, d)
			switch {
			case got.Quality >= 80 && d > 10:
				t.Errorf("%d bits from the reference hash %s, want ≤ 10", d, want)
			case got.Quality < 80 && d > 31:
				t.Errorf("%d bits from the reference hash %s, want ≤ 31", d, want)
			}
		})
	}
}

func TestQuality(t *testing.T) {
	tests := []struct {
		file       string
		unreliable bool
	}{
		{"misc/small.jpg", true}, // a smooth gradient: quality 0 in the reference
		{"misc/wee.jpg", false},
		{"bridge-mods/aaa-orig.jpg", false},
	}
	for _, tt := range tests {
		r := hashFile(t, testdata+tt.file)
		if r.Reliable() == tt.unreliable {
			t.Errorf("%s: quality %d, unreliable %v, want %v", tt.file, r.Quality, !r.Reliable(), tt.unreliable)
		}
	}
	flat := image.NewGray(image.Rect(0, 0, 100, 80))
	for i := range flat.Pix {
		flat.Pix[i] = 128
	}
	r, err := HashImage(flat)
	if err != nil || r.Quality != 0 || r.Reliable() {
		t.Errorf("flat image: %+v %v, want quality 0", r, err)
	}
}

// TestEditsMatch: every pair of edits of one photo (blur, sharpen,
// contrast, saturation, shrink, squares) is within the match radius.
func TestEditsMatch(t *testing.T) {
	files, _ := filepath.Glob(testdata + "bridge-mods/*.jpg")
	if len(files) != 12 {
		t.Fatalf("%d edits, want 12", len(files))
	}
	hashes := make([]Hash, len(files))
	for i, f := range files {
		hashes[i] = hashFile(t, f).Hash
	}
	worst := 0
	for i := range files {
		for j := i + 1; j < len(files); j++ {
			d := hashes[i].Distance(hashes[j])
			worst = max(worst, d)
			if d > DefaultRadius {
				t.Errorf("%s and %s: %d bits apart, want ≤ %d", filepath.Base(files[i]), filepath.Base(files[j]), d, DefaultRadius)
			}
		}
	}
	t.Logf("largest distance between two edits: %d", worst)
}

// TestUnrelatedFarApart: different photos are far outside the radius.
func TestUnrelatedFarApart(t *testing.T) {
	files, _ := filepath.Glob(testdata + "labelme/*.jpg")
	files = append(files, testdata+"bridge-mods/aaa-orig.jpg", testdata+"misc/c.png", testdata+"misc/wee.jpg")
	hashes := make([]Hash, len(files))
	for i, f := range files {
		hashes[i] = hashFile(t, f).Hash
	}
	closest := 256
	for i := range files {
		for j := i + 1; j < len(files); j++ {
			d := hashes[i].Distance(hashes[j])
			closest = min(closest, d)
			if d <= 2*DefaultRadius {
				t.Errorf("%s and %s: only %d bits apart", filepath.Base(files[i]), filepath.Base(files[j]), d)
			}
		}
	}
	t.Logf("closest unrelated pair: %d bits", closest)
}

// toNRGBA copies img into an NRGBA image (fast for JPEG's YCbCr).
func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	ycc, isYCC := img.(*image.YCbCr)
	for y := range b.Dy() {
		for x := range b.Dx() {
			i := out.PixOffset(x, y)
			if isYCC {
				yi, ci := ycc.YOffset(b.Min.X+x, b.Min.Y+y), ycc.COffset(b.Min.X+x, b.Min.Y+y)
				r, g, bb := color.YCbCrToRGB(ycc.Y[yi], ycc.Cb[ci], ycc.Cr[ci])
				out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = r, g, bb, 255
				continue
			}
			c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = c.R, c.G, c.B, c.A
		}
	}
	return out
}

// transform returns img rotated or flipped as d says, pixel by pixel.
func transform(img image.Image, d Dihedral) image.Image {
	src := toNRGBA(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	ow, oh := w, h
	if d == Rotate90 || d == Rotate270 || d == FlipPlus1 || d == FlipMinus1 {
		ow, oh = h, w
	}
	out := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	for y := range h {
		for x := range w {
			var u, v int // destination of source pixel (x, y)
			switch d {
			case Original:
				u, v = x, y
			case Rotate90: // counter-clockwise
				u, v = y, w-1-x
			case Rotate180:
				u, v = w-1-x, h-1-y
			case Rotate270: // clockwise
				u, v = h-1-y, x
			case FlipX: // top to bottom
				u, v = x, h-1-y
			case FlipY: // left to right
				u, v = w-1-x, y
			case FlipPlus1: // transpose
				u, v = y, x
			case FlipMinus1: // anti-transpose
				u, v = h-1-y, w-1-x
			}
			copy(out.Pix[out.PixOffset(u, v):][:4], src.Pix[src.PixOffset(x, y):][:4])
		}
	}
	return out
}

// TestDihedral: each of the eight hashes derived from one DCT matches the
// hash of the image actually rotated or flipped that way, and no other.
// They are not equal: the decimation samples each block off its centre
// and an even box is one pixel longer on the right, so a mirrored image is
// sampled a pixel or two away (the reference's own dihedral test images are
// 12 to 26 bits from its derived hashes). The shift weighs more on small
// images, whose filter is narrow: at 256×256 a half turn of a photo is 32
// to 52 bits from its derived hash, in the reference as here.
func TestDihedral(t *testing.T) {
	for _, file := range []string{"bridge-mods/square-512x512.jpg", "bridge-mods/shrink-a-little.jpg"} {
		img := decodeFile(t, testdata+file)
		var h Hasher
		vars, q, err := h.HashDihedral(img)
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := h.HashImage(img)
		if vars[Original] != plain.Hash || q != plain.Quality {
			t.Fatalf("%s: original variant %s differs from the hash %s", file, vars[Original], plain.Hash)
		}
		for _, d := range Dihedrals() {
			r, err := h.HashImage(transform(img, d))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range Dihedrals() {
				dist := vars[e].Distance(r.Hash)
				if e == d && dist > DefaultRadius {
					t.Errorf("%s %s: %d bits from the hash of the transformed image", file, d, dist)
				}
				if e != d && dist <= DefaultRadius {
					t.Errorf("%s transformed by %s matches variant %s (%d bits)", file, d, e, dist)
				}
			}
		}
	}
}

// TestOriented: hashing an image as turned by o equals hashing the image
// turned pixel by pixel (exactly, below MaxSide; within a few bits above,
// where the reduction bins the turned image a little differently).
func TestOriented(t *testing.T) {
	for _, tt := range []struct {
		file string
		tol  int
	}{{"bridge-mods/square-256x256.jpg", 0}, {"labelme/q0746.jpg", 0}, {"bridge-mods/aaa-orig.jpg", 6}} {
		img := transform(decodeFile(t, testdata+tt.file), Original) // both sides from the same RGB pixels
		var h Hasher
		for _, d := range Dihedrals() {
			want, err := h.HashImage(transform(img, d))
			if err != nil {
				t.Fatal(err)
			}
			got, err := h.HashOriented(img, d)
			if err != nil {
				t.Fatal(err)
			}
			if dist := got.Hash.Distance(want.Hash); dist > tt.tol {
				t.Errorf("%s %s: %d bits from the turned image's hash", tt.file, d, dist)
			}
		}
	}
	if _, err := HashImage(image.NewGray(image.Rect(0, 0, 9, 9))); err != nil {
		t.Fatal(err)
	}
	var h Hasher
	if _, err := h.HashOriented(image.NewGray(image.Rect(0, 0, 9, 9)), Dihedral(9)); err == nil {
		t.Error("orientation 9 accepted")
	}
}

// TestDihedralShared runs the shared folder's eight orientations of the
// photo (re-encoded JPEGs) when the folder is there.
func TestDihedralShared(t *testing.T) {
	dir := "../../../shared/data/media/pdq/dih/"
	files, _ := filepath.Glob(dir + "*.jpg")
	if len(files) == 0 {
		t.Skip("no ../shared/data/media/pdq/dih")
	}
	names := map[string]Dihedral{
		"bridge-1-original.jpg": Original, "bridge-2-rotate-90.jpg": Rotate90, "bridge-3-rotate-180.jpg": Rotate180,
		"bridge-4-rotate-270.jpg": Rotate270, "bridge-5-flipx.jpg": FlipX, "bridge-6-flipy.jpg": FlipY,
		"bridge-7-flip-plus-1.jpg": FlipPlus1, "bridge-8-flip-minus-1.jpg": FlipMinus1,
	}
	var h Hasher
	vars, _, err := h.HashDihedral(decodeFile(t, dir+"bridge-1-original.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		d, ok := names[filepath.Base(f)]
		if !ok {
			continue
		}
		r := hashFile(t, f)
		for _, e := range Dihedrals() {
			dist := vars[e].Distance(r.Hash)
			if (e == d) != (dist <= DefaultRadius) {
				t.Errorf("%s against variant %s: %d bits", filepath.Base(f), e, dist)
			}
		}
	}
}

// TestPixelFormats: the same picture hashes alike whatever the in-memory
// pixel format the decoder chose.
func TestPixelFormats(t *testing.T) {
	src := decodeFile(t, testdata+"labelme/q2821.jpg")
	b := src.Bounds()
	nrgba := image.NewNRGBA(b)
	rgba := image.NewRGBA(b)
	rgba64 := image.NewRGBA64(b)
	gray := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := src.At(x, y)
			nrgba.Set(x, y, c)
			rgba.Set(x, y, c)
			rgba64.Set(x, y, c)
			gray.Set(x, y, c)
		}
	}
	base := hashFile(t, testdata+"labelme/q2821.jpg")
	for name, img := range map[string]image.Image{"NRGBA": nrgba, "RGBA": rgba, "RGBA64": rgba64, "Gray": gray, "sub-image": offset(nrgba)} {
		r, err := HashImage(img)
		if err != nil {
			t.Fatal(err)
		}
		if d := r.Hash.Distance(base.Hash); d > 6 {
			t.Errorf("%s: %d bits from the YCbCr hash", name, d)
		}
	}
	// A palette image and the same pixels as NRGBA hash identically.
	pal := image.NewPaletted(image.Rect(0, 0, 40, 30), color.Palette{color.Black, color.White, color.NRGBA{200, 30, 30, 255}})
	same := image.NewNRGBA(pal.Bounds())
	r := rand.New(rand.NewPCG(3, 4))
	for i := range pal.Pix {
		pal.Pix[i] = uint8(r.IntN(3))
		x, y := i%40, i/40
		same.Set(x, y, pal.Palette[pal.Pix[i]])
	}
	a, _ := HashImage(pal)
	c, _ := HashImage(same)
	if a != c {
		t.Errorf("paletted %v, NRGBA %v", a, c)
	}
}

// offset returns img placed at a non-zero origin.
func offset(img *image.NRGBA) image.Image {
	b := img.Bounds()
	big := image.NewNRGBA(image.Rect(0, 0, b.Dx()+7, b.Dy()+5))
	for y := range b.Dy() {
		for x := range b.Dx() {
			big.Set(x+7, y+5, img.At(x, y))
		}
	}
	return big.SubImage(image.Rect(7, 5, b.Dx()+7, b.Dy()+5))
}

func TestTooSmall(t *testing.T) {
	for _, r := range []image.Rectangle{image.Rect(0, 0, 4, 100), image.Rect(0, 0, 100, 1), image.Rect(0, 0, 0, 0)} {
		_, err := HashImage(image.NewGray(r))
		if !errors.Is(err, ErrTooSmall) {
			t.Errorf("%v: %v, want ErrTooSmall", r, err)
		}
	}
	if _, err := HashImage(image.NewGray(image.Rect(0, 0, 5, 5))); err != nil {
		t.Errorf("5×5: %v", err)
	}
	var h Hasher
	if _, err := h.HashLuma(make([]float32, 10), 5, 5); err == nil {
		t.Error("short luma buffer accepted")
	}
}

func TestWindowSize(t *testing.T) {
	for _, tt := range []struct{ n, want int }{{5, 1}, {64, 1}, {128, 1}, {129, 2}, {512, 4}, {1004, 8}, {1600, 13}} {
		if got := windowSize(tt.n); got != tt.want {
			t.Errorf("windowSize(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

// TestBox compares the running-sum box filter with the plain average of the
// clipped window [i-(w-1)/2-… ] it stands for.
func TestBox(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 5, 16, 33} {
		for w := 1; w <= n; w++ {
			in := make([]float32, n)
			for i := range in {
				in[i] = float32(r.IntN(256))
			}
			out := make([]float32, n)
			box(in, out, n, 1, w)
			half := (w + 2) / 2
			for i := range n {
				lo, hi := i-(w-half), i+half-1 // the window the reference writes at i
				lo, hi = max(lo, 0), min(hi, n-1)
				var s float64
				for k := lo; k <= hi; k++ {
					s += float64(in[k])
				}
				want := s / float64(hi-lo+1)
				if math.Abs(float64(out[i])-want) > 1e-3 {
					t.Fatalf("n=%d w=%d out[%d] = %v, want %v", n, w, i, out[i], want)
				}
			}
		}
	}
}

// TestReduce: a large image is area-averaged to at most MaxSide a side.
func TestReduce(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 1030, 700))
	for y := range 700 {
		for x := range 1030 {
			img.Pix[y*1030+x] = uint8((x + 2*y) % 256)
		}
	}
	var h Hasher
	luma, w, ht := h.reduce(img)
	if w != 512 || ht != 512 || len(luma) != 512*512 {
		t.Fatalf("reduced to %d×%d (%d values)", w, ht, len(luma))
	}
	// Output (0,0) averages source columns 0..2 and rows 0..1 (1030/512, 700/512).
	var s float64
	n := 0
	for y := range 700 {
		for x := range 1030 {
			if x*512/1030 == 0 && y*512/700 == 0 {
				s += float64(img.Pix[y*1030+x])
				n++
			}
		}
	}
	if math.Abs(float64(luma[0])-s/float64(n)) > 1e-3 {
		t.Errorf("luma[0] = %v, want %v", luma[0], s/float64(n))
	}
	small := image.NewGray(image.Rect(0, 0, 300, 20))
	if _, w, ht := h.reduce(small); w != 300 || ht != 20 {
		t.Errorf("small image reduced to %d×%d", w, ht)
	}
}

func BenchmarkHash(b *testing.B) {
	for _, size := range []int{64, 256, 512, 1024, 2048, 4096} {
		img := image.NewYCbCr(image.Rect(0, 0, size, size*3/4), image.YCbCrSubsampleRatio420)
		r := rand.New(rand.NewPCG(1, uint64(size)))
		for i := range img.Y {
			img.Y[i] = uint8(r.IntN(256))
		}
		b.Run(img.Bounds().Size().String(), func(b *testing.B) {
			var h Hasher
			for b.Loop() {
				if _, err := h.HashImage(img); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
