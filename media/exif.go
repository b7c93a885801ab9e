package media

import (
	"bytes"
	"encoding/binary"
)

// EXIF orientation values (tag 0x0112): how the stored pixels must be turned
// to be shown upright.
const (
	orientNormal     = 1
	orientMirrorH    = 2 // mirrored left to right
	orientRotate180  = 3
	orientMirrorV    = 4 // mirrored top to bottom
	orientTranspose  = 5 // mirrored about the main diagonal
	orientRotateCW   = 6 // to be turned 90° clockwise
	orientTransverse = 7 // mirrored about the anti-diagonal
	orientRotateCCW  = 8 // to be turned 90° counter-clockwise
)

// orientation finds the EXIF orientation of an image file of the given
// format: in a JPEG's APP1 segment, a PNG's eXIf chunk, a WebP's EXIF chunk
// or a TIFF's first IFD. It returns 1 (as stored) when there is none or
// the metadata is malformed: a broken tag never stops a hash.
func orientation(format string, data []byte) int {
	var tiff []byte
	switch format {
	case "jpeg":
		tiff = jpegExif(data)
	case "png":
		tiff = pngExif(data)
	case "webp":
		tiff = webpExif(data)
	case "tiff":
		tiff = data
	}
	if tiff == nil {
		return orientNormal
	}
	o := tiffOrientation(tiff)
	if o < orientNormal || o > orientRotateCCW {
		return orientNormal
	}
	return o
}

var exifHeader = []byte("Exif\x00\x00")

// jpegExif returns the TIFF structure of the first Exif APP1 segment,
// walking the marker segments up to the start of scan.
func jpegExif(d []byte) []byte {
	if len(d) < 4 || d[0] != 0xff || d[1] != 0xd8 {
		return nil
	}
	for i := 2; i+4 <= len(d); {
		if d[i] != 0xff {
			return nil
		}
		m := d[i+1]
		if m == 0xff { // fill byte
			i++
			continue
		}
		if m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7) { // no length
			i += 2
			continue
		}
		if m == 0xda || m == 0xd9 { // start of scan, end of image
			return nil
		}
		n := int(binary.BigEndian.Uint16(d[i+2:]))
		if n < 2 || i+2+n > len(d) {
			return nil
		}
		seg := d[i+4 : i+2+n]
		if m == 0xe1 && bytes.HasPrefix(seg, exifHeader) {
			return seg[len(exifHeader):]
		}
		i += 2 + n
	}
	return nil
}

// pngExif returns the data of the eXIf chunk.
func pngExif(d []byte) []byte {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(d, []byte(sig)) {
		return nil
	}
	for i := len(sig); i+8 <= len(d); {
		n := int(binary.BigEndian.Uint32(d[i:]))
		typ := string(d[i+4 : i+8])
		if n < 0 || n > len(d)-i-12 {
			return nil
		}
		if typ == "eXIf" {
			return d[i+8 : i+8+n]
		}
		if typ == "IEND" {
			return nil
		}
		i += 12 + n
	}
	return nil
}

// webpExif returns the data of the EXIF chunk of a RIFF WebP file (some
// writers keep the "Exif\0\0" prefix of JPEG in it).
func webpExif(d []byte) []byte {
	if len(d) < 12 || string(d[:4]) != "RIFF" || string(d[8:12]) != "WEBP" {
		return nil
	}
	for i := 12; i+8 <= len(d); {
		n := int(binary.LittleEndian.Uint32(d[i+4:]))
		if n < 0 || n > len(d)-i-8 {
			return nil
		}
		if string(d[i:i+4]) == "EXIF" {
			return bytes.TrimPrefix(d[i+8:i+8+n], exifHeader)
		}
		i += 8 + n + n&1 // chunks are padded to even sizes
	}
	return nil
}

// tiffOrientation reads tag 0x0112 of the first IFD of a TIFF structure, 0
// when it is absent or unreadable.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0
	}
	off := int64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > int64(len(t)) {
		return 0
	}
	n := int64(bo.Uint16(t[off:]))
	for k := int64(0); k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > int64(len(t)) {
			return 0
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		typ, count := bo.Uint16(t[e+2:]), bo.Uint32(t[e+4:])
		if typ != 3 || count != 1 { // one SHORT
			return 0
		}
		return int(bo.Uint16(t[e+8:]))
	}
	return 0
}
