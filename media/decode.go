package media

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"

	"concord"
)

// codec is one supported format, with its decoders called directly (the
// image package's global registry is not used).
type codec struct {
	name   string
	magic  func([]byte) bool
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

var codecs = []codec{
	{"jpeg", func(b []byte) bool { return bytes.HasPrefix(b, []byte("\xff\xd8\xff")) }, jpeg.DecodeConfig, jpeg.Decode},
	{"png", func(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) }, png.DecodeConfig, png.Decode},
	{"gif", func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a"))
	}, gif.DecodeConfig, gif.Decode},
	{"webp", func(b []byte) bool { return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP" }, webp.DecodeConfig, webp.Decode},
	{"bmp", func(b []byte) bool { return bytes.HasPrefix(b, []byte("BM")) }, bmp.DecodeConfig, bmp.Decode},
	{"tiff", func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("II*\x00")) || bytes.HasPrefix(b, []byte("MM\x00*"))
	}, tiff.DecodeConfig, tiff.Decode},
}

// Formats lists the formats decoded, in the order they are sniffed.
func Formats() []string {
	out := make([]string, len(codecs))
	for i, c := range codecs {
		out[i] = c.name
	}
	return out
}

func formatName(f string) string {
	switch f {
	case "jpeg":
		return "JPEG"
	case "png":
		return "PNG"
	case "gif":
		return "GIF"
	case "webp":
		return "WebP"
	case "bmp":
		return "BMP"
	case "tiff":
		return "TIFF"
	}
	return f
}

// Sniff names the format of a file from its first bytes, "" when it is
// none of those decoded.
func Sniff(head []byte) string {
	for _, c := range codecs {
		if c.magic(head) {
			return c.name
		}
	}
	return ""
}

// decode decodes a whole file held in memory, after checking the size its
// header claims.
func decode(data []byte, lim Limits) (img image.Image, format string, err error) {
	var c *codec
	for i := range codecs {
		if codecs[i].magic(data) {
			c = &codecs[i]
			break
		}
	}
	if c == nil {
		if len(data) == 0 {
			return nil, "", concord.Errorf(concord.EINVALID, "empty file, not an image")
		}
		return nil, "", concord.Errorf(concord.EINVALID, "not an image (JPEG, PNG, GIF, WebP, BMP or TIFF): the file starts with % x", data[:min(len(data), 8)])
	}
	// A decoder that panics on hostile input must not take the process down.
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, concord.Errorf(concord.EINVALID, "corrupt %s image: the decoder failed (%v)", formatName(c.name), r)
		}
	}()
	cfg, err := c.config(bytes.NewReader(data))
	if err != nil {
		return nil, c.name, decodeError(c.name, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, c.name, concord.Errorf(concord.EINVALID, "%s image claims %d×%d pixels", formatName(c.name), cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > lim.MaxPixels {
		return nil, c.name, concord.Errorf(concord.EINVALID, "%s image claims %d×%d pixels (%s), more than the limit of %s: refused before decoding",
			formatName(c.name), cfg.Width, cfg.Height, megapixels(px), megapixels(lim.MaxPixels))
	}
	img, err = c.decode(bytes.NewReader(data))
	if err != nil {
		return nil, c.name, decodeError(c.name, err)
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, c.name, concord.Errorf(concord.EINVALID, "corrupt %s image: header says %d×%d, pixels are %d×%d",
			formatName(c.name), cfg.Width, cfg.Height, b.Dx(), b.Dy())
	}
	return img, c.name, nil
}

func megapixels(n int64) string {
	return fmt.Sprintf("%.1f megapixels", float64(n)/1e6)
}
