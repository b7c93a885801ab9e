// Package media hashes pictures for hash-sharing: the MD5 and SHA-256 of
// the file, for exact matches, and the PDQ perceptual hash of the picture
// as it is shown (package media/pdq), for near-duplicates. Matching hashes
// at scale is package media/index's.
//
// Decoding is defensive, since the files come from the open internet:
// JPEG, PNG and GIF through the standard library, WebP, BMP and TIFF
// through golang.org/x/image, the format told by the file's first bytes
// (never by its name); the file is read up to Limits.MaxBytes, and the
// header's claimed width and height are checked against Limits.MaxPixels
// before any pixel is decoded, so a decompression bomb (a small file that
// claims 100,000 × 100,000 pixels) costs nothing. The EXIF orientation of
// JPEG, PNG, WebP and TIFF files is applied. Nothing is written anywhere:
// the package does no I/O beyond the reader it is given.
package media

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"

	"concord"
	"concord/media/pdq"
)

// Limits bound the resources one picture may take.
type Limits struct {
	// MaxBytes is the largest file accepted.
	MaxBytes int64
	// MaxPixels is the largest width × height accepted. Decoding takes up
	// to about 16 bytes a pixel (a progressive JPEG's coefficients and its
	// pixels), so the default bounds one decode to about 640 MB.
	MaxPixels int64
}

// DefaultLimits accept files of up to 50 MiB and pictures of up to 40
// megapixels (a 7,750 × 5,160 photo).
func DefaultLimits() Limits {
	return Limits{MaxBytes: 50 << 20, MaxPixels: 40_000_000}
}

// Options say what to compute.
type Options struct {
	Limits Limits
	// Dihedral computes the hashes of the seven rotations and flips too.
	Dihedral bool
}

// Result is what a picture hashes to.
type Result struct {
	Format string `json:"format"` // jpeg, png, gif, webp, bmp or tiff
	Bytes  int64  `json:"bytes"`
	MD5    string `json:"md5"`
	SHA256 string `json:"sha256"`
	// Width and Height are the picture's as shown, after its orientation.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Orientation is the EXIF orientation applied (1 when none).
	Orientation int      `json:"orientation"`
	PDQ         pdq.Hash `json:"pdq"`
	Quality     int      `json:"quality"`
	// Dihedral holds the eight dihedral hashes (Dihedral[0] == PDQ) when
	// asked for.
	Dihedral []pdq.Hash `json:"dihedral,omitempty"`
}

// Reliable reports whether the PDQ quality is at least pdq.MinQuality.
// An unreliable hash (a flat or tiny picture) matches arbitrary pictures
// and must not be matched silently.
func (r *Result) Reliable() bool { return r.Quality >= pdq.MinQuality }

// Hasher hashes pictures, reusing its buffers. It is not safe for
// concurrent use; the zero value uses DefaultLimits.
type Hasher struct {
	pdq pdq.Hasher
	buf bytes.Buffer
}

// Hash reads a picture file from r and hashes it. Errors are
// concord.EINVALID and say what is wrong with the file; the caller adds its
// name.
func Hash(r io.Reader, o Options) (*Result, error) {
	var h Hasher
	return h.Hash(r, o)
}

// Hash reads a picture file from r and hashes it.
func (h *Hasher) Hash(r io.Reader, o Options) (*Result, error) {
	lim := o.Limits
	if lim == (Limits{}) {
		lim = DefaultLimits()
	}
	h.buf.Reset()
	md, sh := md5.New(), sha256.New()
	n, err := io.Copy(io.MultiWriter(&h.buf, md, sh), io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, &concord.Error{Code: concord.EINVALID, Message: "cannot read the file", Err: err}
	}
	if n > lim.MaxBytes {
		return nil, concord.Errorf(concord.EINVALID, "file larger than the limit of %d bytes", lim.MaxBytes)
	}
	data := h.buf.Bytes()
	img, format, err := decode(data, lim)
	if err != nil {
		return nil, err
	}
	res := &Result{Format: format, Bytes: n, MD5: sum(md), SHA256: sum(sh), Orientation: orientation(format, data)}
	turn := dihedralOf(res.Orientation)
	b := img.Bounds()
	res.Width, res.Height = b.Dx(), b.Dy()
	if turn == pdq.Rotate90 || turn == pdq.Rotate270 || turn == pdq.FlipPlus1 || turn == pdq.FlipMinus1 {
		res.Width, res.Height = res.Height, res.Width
	}
	if o.Dihedral {
		all, q, err := h.pdq.HashDihedralOriented(img, turn)
		if err != nil {
			return nil, hashError(err)
		}
		res.PDQ, res.Quality, res.Dihedral = all[0], q, all[:]
	} else {
		p, err := h.pdq.HashOriented(img, turn)
		if err != nil {
			return nil, hashError(err)
		}
		res.PDQ, res.Quality = p.Hash, p.Quality
	}
	if h.buf.Cap() > 4<<20 { // keep no large buffer between pictures
		h.buf = bytes.Buffer{}
	}
	return res, nil
}

func hashError(err error) error {
	if errors.Is(err, pdq.ErrTooSmall) {
		return &concord.Error{Code: concord.EINVALID, Message: err.Error()}
	}
	return err
}

func sum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// dihedralOf is the turn that shows a picture of EXIF orientation o upright.
func dihedralOf(o int) pdq.Dihedral {
	switch o {
	case orientMirrorH:
		return pdq.FlipY
	case orientRotate180:
		return pdq.Rotate180
	case orientMirrorV:
		return pdq.FlipX
	case orientTranspose:
		return pdq.FlipPlus1
	case orientRotateCW:
		return pdq.Rotate270
	case orientTransverse:
		return pdq.FlipMinus1
	case orientRotateCCW:
		return pdq.Rotate90
	}
	return pdq.Original
}

// decodeError says what is wrong with a file that did not decode.
func decodeError(format string, err error) error {
	// The JPEG decoder says "short Huffman data" when the scan stops early.
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || err.Error() == "invalid JPEG format: short Huffman data" {
		return concord.Errorf(concord.EINVALID, "truncated %s image", formatName(format))
	}
	return concord.Errorf(concord.EINVALID, "corrupt %s image: %v", formatName(format), err)
}
