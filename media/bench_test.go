package media

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

// BenchmarkHashFile is the whole work of one upload: read, MD5 and SHA-256,
// decode, PDQ. The pictures are the shared photo at its sizes (JPEG) and a
// synthetic 4000×3000 photo-like JPEG and PNG.
func BenchmarkHashFile(b *testing.B) {
	files := []string{
		"pdq/bridge-mods/square-128x128.jpg",
		"pdq/bridge-mods/square-512x512.jpg",
		"pdq/bridge-mods/shrink-a-little.jpg", // 1152×723
		"pdq/bridge-mods/aaa-orig.jpg",        // 1600×1004
	}
	for _, f := range files {
		data := readFile(b, f)
		run(b, f, data)
	}
	big := synthetic(4000, 3000)
	var j, p bytes.Buffer
	if err := jpeg.Encode(&j, big, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	if err := png.Encode(&p, big); err != nil {
		b.Fatal(err)
	}
	run(b, "synthetic-4000x3000.jpg", j.Bytes())
	run(b, "synthetic-4000x3000.png", p.Bytes())
}

func run(b *testing.B, name string, data []byte) {
	b.Run(name, func(b *testing.B) {
		var h Hasher
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := h.Hash(bytes.NewReader(data), Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// synthetic is a smooth picture with noise, so that JPEG and PNG sizes are
// those of a photo rather than of a flat image.
func synthetic(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			n := uint8(r.IntN(24))
			i := img.PixOffset(x, y)
			img.Pix[i] = uint8(x*255/w) + n
			img.Pix[i+1] = uint8(y*255/h) + n
			img.Pix[i+2] = uint8((x+y)*127/(w+h)) + n
			img.Pix[i+3] = 255
		}
	}
	return img
}
