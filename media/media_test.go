package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"concord"
	"concord/media/pdq"
)

const testdata = "testdata/"

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testdata + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustHash(t testing.TB, data []byte, o Options) *Result {
	t.Helper()
	r, err := Hash(bytes.NewReader(data), o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestHashFiles(t *testing.T) {
	tests := []struct {
		file, format string
		md5, sha256  string
		w, h         int
		ref          string // the reference's PDQ hash, "" when none
	}{
		{"pdq/bridge-mods/aaa-orig.jpg", "jpeg", "d35c785545392755e7e4164457657269",
			"b5b0799616df52d475a3968dc7e54f1d0724c912244ffa6175bc786375dd7298", 1600, 1004,
			"d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"},
		{"pdq/misc/c.png", "png", "0d12d4462273b533b9197f78b9aeb0d7",
			"93aa0ba454d3805e02be04a883b839a85bee83d0cbac3d306331584c1ebec0c6", 1432, 812,
			"e4cc89d91c623842f8d1f1d9a398e78c9f199a3bf87925f2b7e11e0bf061b064"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := mustHash(t, readFile(t, tt.file), Options{})
			if r.Format != tt.format || r.MD5 != tt.md5 || r.SHA256 != tt.sha256 || r.Width != tt.w || r.Height != tt.h || r.Orientation != 1 {
				t.Errorf("got %+v", r)
			}
			ref, _ := pdq.Parse(tt.ref)
			if d := r.PDQ.Distance(ref); d > 10 || !r.Reliable() {
				t.Errorf("PDQ %s quality %d: %d bits from the reference", r.PDQ, r.Quality, d)
			}
		})
	}
}

// TestFormats: the same picture in every supported format hashes within a
// few bits of its JPEG (lossy formats) or exactly (lossless ones, which
// hold the JPEG's decoded pixels).
func TestFormats(t *testing.T) {
	src := readFile(t, "pdq/bridge-mods/square-256x256.jpg")
	img, err := jpeg.Decode(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	base := mustHash(t, src, Options{})
	var pngb, gifb, bmpb, tiffb, tiffz bytes.Buffer
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(png.Encode(&pngb, img))
	must(gif.Encode(&gifb, img, &gif.Options{NumColors: 256}))
	must(bmp.Encode(&bmpb, img))
	must(tiff.Encode(&tiffb, img, nil))
	must(tiff.Encode(&tiffz, img, &tiff.Options{Compression: tiff.Deflate}))
	tests := []struct {
		name, format string
		data         []byte
		tol          int
	}{
		{"png", "png", pngb.Bytes(), 0},
		{"bmp", "bmp", bmpb.Bytes(), 0},
		{"tiff", "tiff", tiffb.Bytes(), 0},
		{"tiff deflate", "tiff", tiffz.Bytes(), 0},
		{"gif (256 colours)", "gif", gifb.Bytes(), 16},
		{"webp lossless", "webp", readFile(t, "formats/square-256-lossless.webp"), 0},
		{"webp lossy", "webp", readFile(t, "formats/square-256-lossy.webp"), 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustHash(t, tt.data, Options{})
			if r.Format != tt.format || r.Width != 256 || r.Height != 256 {
				t.Fatalf("format %s %d×%d", r.Format, r.Width, r.Height)
			}
			if d := r.PDQ.Distance(base.PDQ); d > tt.tol {
				t.Errorf("%d bits from the JPEG's hash, want ≤ %d", d, tt.tol)
			}
		})
	}
}

func TestDihedralOption(t *testing.T) {
	data := readFile(t, "pdq/bridge-mods/square-512x512.jpg")
	r := mustHash(t, data, Options{Dihedral: true})
	if len(r.Dihedral) != 8 || r.Dihedral[0] != r.PDQ {
		t.Fatalf("dihedral %v", r.Dihedral)
	}
	plain := mustHash(t, data, Options{})
	if plain.PDQ != r.PDQ || plain.Dihedral != nil {
		t.Errorf("plain %v, dihedral original %v", plain.PDQ, r.PDQ)
	}
}

// withJPEGOrientation inserts an Exif APP1 segment holding orientation o
// after the SOI marker.
func withJPEGOrientation(jpg []byte, o int, bo binary.ByteOrder) []byte {
	tiffData := exifTIFF(o, bo)
	seg := append([]byte("Exif\x00\x00"), tiffData...)
	var out bytes.Buffer
	out.Write(jpg[:2])
	out.Write([]byte{0xff, 0xe1})
	binary.Write(&out, binary.BigEndian, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(jpg[2:])
	return out.Bytes()
}

// exifTIFF is a TIFF structure whose first IFD holds one entry, the
// orientation, after another tag.
func exifTIFF(o int, bo binary.ByteOrder) []byte {
	var b bytes.Buffer
	if bo == binary.LittleEndian {
		b.WriteString("II")
	} else {
		b.WriteString("MM")
	}
	binary.Write(&b, bo, uint16(42))
	binary.Write(&b, bo, uint32(8))
	binary.Write(&b, bo, uint16(2))
	// 0x010f Make, ASCII, 4 bytes inline
	binary.Write(&b, bo, uint16(0x010f))
	binary.Write(&b, bo, uint16(2))
	binary.Write(&b, bo, uint32(4))
	b.WriteString("cam\x00")
	binary.Write(&b, bo, uint16(0x0112))
	binary.Write(&b, bo, uint16(3))
	binary.Write(&b, bo, uint32(1))
	binary.Write(&b, bo, uint16(o))
	binary.Write(&b, bo, uint16(0))
	binary.Write(&b, bo, uint32(0))
	return b.Bytes()
}

// withPNGExif adds an eXIf chunk after IHDR.
func withPNGExif(p []byte, tiffData []byte) []byte {
	const ihdrEnd = 8 + 4 + 4 + 13 + 4
	var c bytes.Buffer
	binary.Write(&c, binary.BigEndian, uint32(len(tiffData)))
	c.WriteString("eXIf")
	c.Write(tiffData)
	binary.Write(&c, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("eXIf"), tiffData...)))
	return append(append(append([]byte{}, p[:ihdrEnd]...), c.Bytes()...), p[ihdrEnd:]...)
}

// TestOrientation: a picture stored turned, with the EXIF orientation that
// puts it upright, hashes like the upright picture.
func TestOrientation(t *testing.T) {
	src := readFile(t, "pdq/labelme/q0746.jpg")
	img, err := jpeg.Decode(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	upright := mustHash(t, mustPNG(t, turn(img, pdq.Original)), Options{})
	// stored[o] is how a camera stores the picture for orientation o: the
	// inverse of the turn that shows it.
	stored := map[int]pdq.Dihedral{
		1: pdq.Original, 2: pdq.FlipY, 3: pdq.Rotate180, 4: pdq.FlipX,
		5: pdq.FlipPlus1, 6: pdq.Rotate90, 7: pdq.FlipMinus1, 8: pdq.Rotate270,
	}
	for o := 1; o <= 8; o++ {
		turned := turn(img, stored[o])
		p := mustPNG(t, turned)
		for _, tt := range []struct {
			name string
			data []byte
		}{
			{"png", withPNGExif(p, exifTIFF(o, binary.BigEndian))},
			{"jpeg", withJPEGOrientation(mustJPEG(t, turned), o, binary.LittleEndian)},
		} {
			r := mustHash(t, tt.data, Options{})
			tol := 0
			if tt.name == "jpeg" {
				tol = 12 // re-encoded
			}
			if r.Orientation != o || r.Width != 256 || r.Height != 256 {
				t.Errorf("%s orientation %d: read %d, %d×%d", tt.name, o, r.Orientation, r.Width, r.Height)
			}
			if d := r.PDQ.Distance(upright.PDQ); d > tol {
				t.Errorf("%s orientation %d: %d bits from the upright picture", tt.name, o, d)
			}
		}
	}
	// A tall picture: width and height are reported as shown.
	tall := image.NewGray(image.Rect(0, 0, 40, 90))
	r := mustHash(t, withPNGExif(mustPNG(t, tall), exifTIFF(6, binary.LittleEndian)), Options{})
	if r.Width != 90 || r.Height != 40 {
		t.Errorf("orientation 6 of 40×90: %d×%d", r.Width, r.Height)
	}
}

func turn(img image.Image, d pdq.Dihedral) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if d == pdq.Rotate90 || d == pdq.Rotate270 || d == pdq.FlipPlus1 || d == pdq.FlipMinus1 {
		ow, oh = h, w
	}
	out := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	for y := range h {
		for x := range w {
			u, v := x, y
			switch d {
			case pdq.Rotate90:
				u, v = y, w-1-x
			case pdq.Rotate180:
				u, v = w-1-x, h-1-y
			case pdq.Rotate270:
				u, v = h-1-y, x
			case pdq.FlipX:
				u, v = x, h-1-y
			case pdq.FlipY:
				u, v = w-1-x, y
			case pdq.FlipPlus1:
				u, v = y, x
			case pdq.FlipMinus1:
				u, v = h-1-y, w-1-x
			}
			out.Set(u, v, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

func mustPNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mustJPEG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngBomb is a valid PNG header claiming w×h pixels, with one tiny IDAT.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// jpegBomb is a JPEG whose frame header claims w×h pixels.
func jpegBomb(t testing.TB, w, h uint16) []byte {
	j := mustJPEG(t, image.NewGray(image.Rect(0, 0, 16, 16)))
	i := bytes.Index(j, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	binary.BigEndian.PutUint16(j[i+5:], h)
	binary.BigEndian.PutUint16(j[i+7:], w)
	return j
}

func gifBomb(t testing.TB) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.Black, color.White}), nil); err != nil {
		t.Fatal(err)
	}
	g := b.Bytes()
	binary.LittleEndian.PutUint16(g[6:], 65535)
	binary.LittleEndian.PutUint16(g[8:], 65535)
	return g
}

// TestBadInput: files that are not pictures, truncated pictures and
// decompression bombs are refused with an error that says why, as
// concord.EINVALID.
func TestBadInput(t *testing.T) {
	jpg := readFile(t, "pdq/bridge-mods/square-256x256.jpg")
	pngData := mustPNG(t, image.NewGray(image.Rect(0, 0, 64, 64)))
	var gifb bytes.Buffer
	gif.Encode(&gifb, image.NewPaletted(image.Rect(0, 0, 64, 64), color.Palette{color.Black, color.White}), nil)
	webpData := readFile(t, "formats/square-256-lossy.webp")
	tests := []struct {
		name string
		data []byte
		lim  Limits
		want string
	}{
		{"empty", nil, Limits{}, "empty file"},
		{"text", []byte("name,alias\nSeif al-Adel,\n"), Limits{}, "not an image (JPEG, PNG, GIF, WebP, BMP or TIFF): the file starts with 6e 61 6d 65"},
		{"truncated jpeg", jpg[:len(jpg)/2], Limits{}, "truncated JPEG image"},
		{"truncated jpeg header", jpg[:20], Limits{}, "JPEG image"},
		{"truncated png", pngData[:len(pngData)-20], Limits{}, "PNG image"},
		{"truncated gif", gifb.Bytes()[:len(gifb.Bytes())-8], Limits{}, "GIF image"},
		{"truncated webp", webpData[:len(webpData)/2], Limits{}, "WebP image"},
		{"png bomb", pngBomb(100_000, 100_000), Limits{}, "PNG image claims 100000×100000 pixels (10000.0 megapixels), more than the limit of 40.0 megapixels: refused before decoding"},
		{"jpeg bomb", jpegBomb(t, 65000, 65000), Limits{}, "JPEG image claims 65000×65000 pixels"},
		{"gif bomb", gifBomb(t), Limits{}, "GIF image claims 65535×65535 pixels"},
		{"over the byte limit", jpg, Limits{MaxBytes: 1000, MaxPixels: 1 << 20}, "file larger than the limit of 1000 bytes"},
		{"over a small pixel limit", jpg, Limits{MaxBytes: 1 << 20, MaxPixels: 256*256 - 1}, "JPEG image claims 256×256 pixels"},
		{"too small", mustPNG(t, image.NewGray(image.Rect(0, 0, 3, 3))), Limits{}, "pdq: image too small to hash: 3×3 pixels"},
		{"zero width png", pngBomb(0, 10), Limits{}, "PNG image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Hash(bytes.NewReader(tt.data), Options{Limits: tt.lim})
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if concord.ErrorCode(err) != concord.EINVALID {
				t.Errorf("code %s, want invalid", concord.ErrorCode(err))
			}
			// Refusing costs about the file, never the claimed pixels.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
				t.Errorf("refusing took %d bytes", alloc)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	for head, want := range map[string]string{
		"\xff\xd8\xff\xe0": "jpeg", "\x89PNG\r\n\x1a\n": "png", "GIF89a": "gif", "RIFF\x00\x00\x00\x00WEBPVP8 ": "webp",
		"BM": "bmp", "II*\x00": "tiff", "MM\x00*": "tiff", "RIFF\x00\x00\x00\x00AVI ": "", "<html>": "",
	} {
		if got := Sniff([]byte(head)); got != want {
			t.Errorf("Sniff(%q) = %q, want %q", head, got, want)
		}
	}
	if len(Formats()) != 6 {
		t.Errorf("formats %v", Formats())
	}
}

func TestOrientationParsers(t *testing.T) {
	tiffLE := exifTIFF(6, binary.LittleEndian)
	webp := func(payload []byte) []byte {
		var b bytes.Buffer
		b.WriteString("RIFF")
		binary.Write(&b, binary.LittleEndian, uint32(0))
		b.WriteString("WEBPVP8X")
		binary.Write(&b, binary.LittleEndian, uint32(10))
		b.Write(make([]byte, 10))
		b.WriteString("EXIF")
		binary.Write(&b, binary.LittleEndian, uint32(len(payload)))
		b.Write(payload)
		return b.Bytes()
	}
	tests := []struct {
		name, format string
		data         []byte
		want         int
	}{
		{"webp", "webp", webp(tiffLE), 6},
		{"webp with Exif prefix", "webp", webp(append([]byte("Exif\x00\x00"), tiffLE...)), 6},
		{"tiff", "tiff", exifTIFF(3, binary.BigEndian), 3},
		{"out of range", "tiff", exifTIFF(9, binary.BigEndian), 1},
		{"truncated IFD", "tiff", exifTIFF(3, binary.BigEndian)[:20], 1},
		{"bad byte order", "tiff", append([]byte("XX"), tiffLE[2:]...), 1},
		{"jpeg without exif", "jpeg", readFile(t, "pdq/labelme/q0746.jpg"), 1},
		{"gif", "gif", []byte("GIF89a"), 1},
	}
	for _, tt := range tests {
		if got := orientation(tt.format, tt.data); got != tt.want {
			t.Errorf("%s: orientation %d, want %d", tt.name, got, tt.want)
		}
	}
}

// FuzzHash: no input makes hashing panic, loop or take more than the
// limits allow.
func FuzzHash(f *testing.F) {
	jpg, _ := os.ReadFile(testdata + "pdq/bridge-mods/square-128x128.jpg")
	f.Add(jpg)
	f.Add(jpg[:len(jpg)/3])
	f.Add(withJPEGOrientation(jpg, 6, binary.BigEndian))
	small := image.NewGray(image.Rect(0, 0, 8, 8))
	var p, g, bm, tf bytes.Buffer
	png.Encode(&p, small)
	gif.Encode(&g, small, nil)
	bmp.Encode(&bm, small)
	tiff.Encode(&tf, small, nil)
	f.Add(p.Bytes())
	f.Add(withPNGExif(p.Bytes(), exifTIFF(8, binary.LittleEndian)))
	f.Add(g.Bytes())
	f.Add(bm.Bytes())
	f.Add(tf.Bytes())
	f.Add(pngBomb(100_000, 100_000))
	f.Add([]byte("RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("not an image"))
	lim := Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Hash(bytes.NewReader(data), Options{Limits: lim, Dihedral: true})
		if err != nil {
			if concord.ErrorCode(err) != concord.EINVALID {
				t.Fatalf("error %v has code %s", err, concord.ErrorCode(err))
			}
			return
		}
		if int64(r.Width)*int64(r.Height) > lim.MaxPixels || r.Quality < 0 || r.Quality > 100 || len(r.Dihedral) != 8 {
			t.Fatalf("result %+v", r)
		}
	})
}
