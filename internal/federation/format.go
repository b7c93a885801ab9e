package federation

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"iter"
	"strconv"
	"time"

	"concord"
)

// The signed format of feed pages and bundles, line by line:
//
//	CONCORD-FEDERATION 1
//	{header, JSON}
//	{version, JSON}          (one per line)
//	END <number of versions>
//	SIGNATURE <Ed25519ph signature, base64, of every byte above>
//
// The signature (Ed25519ph: Ed25519 over the SHA-512 of the content) covers
// the whole content, so that the reader verifies a file of any size in
// bounded memory, before it changes anything.
const (
	magic       = "CONCORD-FEDERATION 1"
	endPrefix   = "END "
	sigPrefix   = "SIGNATURE "
	maxLine     = 4 << 20 // longest line read: a statement value is far shorter
	kindFeed    = "feed"
	kindBundle  = "bundle"
	signContext = ""
)

// Header describes a feed page or bundle.
type Header struct {
	Kind   string `json:"kind"`   // "feed" or "bundle"
	Node   string `json:"node"`   // the sender's node id
	Signer string `json:"signer"` // the sender's public key, "ed25519:..."
	From   string `json:"from"`   // the member the sender serves
	To     string `json:"to"`     // the member it is for
	// Feed pages: the cursor the page continues from and the one to ask
	// next; More says another page follows.
	Since string `json:"since,omitempty"`
	Until string `json:"until"`
	More  bool   `json:"more,omitempty"`
	// Bundles: their number among the sender's bundles to To, and the
	// bundle they continue (0: from the start).
	Number  int64     `json:"number,omitempty"`
	Base    int64     `json:"base,omitempty"`
	Created time.Time `json:"created"`
}

var signOpts = &ed25519.Options{Hash: crypto.SHA512, Context: signContext}

// writer writes the signed format, hashing as it goes.
type writer struct {
	w   *bufio.Writer
	h   hash.Hash
	key *Key
	n   int
	err error
}

func newWriter(w io.Writer, key *Key, h *Header) *writer {
	wr := &writer{w: bufio.NewWriterSize(w, 1<<16), h: sha512.New(), key: key}
	wr.line([]byte(magic))
	b, err := json.Marshal(h)
	if err != nil {
		wr.err = err
	}
	wr.line(b)
	return wr
}

func (w *writer) line(b []byte) {
	if w.err != nil {
		return
	}
	w.h.Write(b)
	w.h.Write([]byte{'\n'})
	if _, err := w.w.Write(b); err != nil {
		w.err = err
		return
	}
	w.err = w.w.WriteByte('\n')
}

// add writes one version.
func (w *writer) add(v *concord.StatementVersion) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.n++
	w.line(b)
	return w.err
}

// close writes the count and the signature.
func (w *writer) close() error {
	w.line([]byte(endPrefix + strconv.Itoa(w.n)))
	if w.err != nil {
		return w.err
	}
	sig, err := w.key.priv.Sign(nil, w.h.Sum(nil), signOpts)
	if err != nil {
		return err
	}
	if _, err := w.w.WriteString(sigPrefix + base64.StdEncoding.EncodeToString(sig) + "\n"); err != nil {
		return err
	}
	return w.w.Flush()
}

// verified is what checking a signed stream found.
type verified struct {
	Header   Header
	Versions int
	Digest   []byte // SHA-512 of the content
}

// errFormat is a stream that is not the signed format (or was cut short).
func errFormat(name string, line int, format string, args ...any) error {
	return concord.Errorf(concord.EINVALID, "%s: line %d: %s", name, line, fmt.Sprintf(format, args...))
}

// verify reads a whole signed stream, checks its structure and that its
// signature is that of the key its header names, and returns the header.
// It holds one line at a time.
func verify(name string, r io.Reader) (*verified, ed25519.PublicKey, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	h := sha512.New()
	var out verified
	var prev []byte // the line before the current one, not yet hashed
	var pub ed25519.PublicKey
	lineNo, end := 0, -1
	for {
		line, err := readLine(br)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, errFormat(name, lineNo+1, "%v", err)
		}
		lineNo++
		if prev != nil {
			h.Write(prev)
			h.Write([]byte{'\n'})
		}
		switch {
		case lineNo == 1:
			if string(line) != magic {
				return nil, nil, errFormat(name, 1, "not a Concord federation bundle or feed (want %q)", magic)
			}
		case lineNo == 2:
			if err := json.Unmarshal(line, &out.Header); err != nil {
				return nil, nil, errFormat(name, 2, "header: %v", err)
			}
			if pub, err = ParsePublicKey(out.Header.Signer); err != nil {
				return nil, nil, errFormat(name, 2, "header: signer: %v", err)
			}
		case bytes.HasPrefix(line, []byte(endPrefix)):
			n, err := strconv.Atoi(string(line[len(endPrefix):]))
			if err != nil || n != lineNo-3 {
				return nil, nil, errFormat(name, lineNo, "END says %q versions, the content has %d", line[len(endPrefix):], lineNo-3)
			}
			out.Versions, end = n, lineNo
		case end > 0 && lineNo == end+1:
			enc, ok := bytes.CutPrefix(line, []byte(sigPrefix))
			sig, err := base64.StdEncoding.DecodeString(string(enc))
			if !ok || err != nil || len(sig) != ed25519.SignatureSize {
				return nil, nil, errFormat(name, lineNo, "not a signature line")
			}
			out.Digest = h.Sum(nil)
			if err := ed25519.VerifyWithOptions(pub, out.Digest, sig, signOpts); err != nil {
				return nil, nil, concord.Errorf(concord.EINVALID, "%s: the signature does not match the content: altered, or not signed by %s", name, out.Header.Signer)
			}
			if _, err := readLine(br); err != io.EOF {
				return nil, nil, errFormat(name, lineNo+1, "content after the signature")
			}
			return &out, pub, nil
		case end > 0:
			return nil, nil, errFormat(name, lineNo, "content after END")
		}
		prev = append(prev[:0], line...)
	}
	if lineNo < 2 {
		return nil, nil, errFormat(name, lineNo+1, "not a Concord federation bundle or feed (empty or cut short)")
	}
	return nil, nil, errFormat(name, lineNo, "no END and signature: the bundle or feed page was cut short")
}

// readLine reads one line without its newline; a last line without one
// is an error (the format ends every line).
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		var buf []byte
		buf = append(buf, line...)
		for err == bufio.ErrBufferFull {
			if len(buf) > maxLine {
				return nil, fmt.Errorf("line longer than %d bytes", maxLine)
			}
			line, err = br.ReadSlice('\n')
			buf = append(buf, line...)
		}
		line = buf
	}
	if err == io.EOF && len(line) > 0 {
		return nil, errors.New("the last line has no newline: cut short")
	}
	if err != nil {
		return nil, err
	}
	return line[:len(line)-1], nil
}

// versions reads the versions of a stream verify accepted, hashing again:
// the sequence fails at its end if the content is not what verify saw
// (the file changed in between), so that nothing is committed.
func versions(name string, r io.Reader, want []byte) iter.Seq2[*concord.StatementVersion, error] {
	return func(yield func(*concord.StatementVersion, error) bool) {
		br := bufio.NewReaderSize(r, 1<<16)
		h := sha512.New()
		for lineNo := 1; ; lineNo++ {
			line, err := readLine(br)
			if err != nil {
				yield(nil, errFormat(name, lineNo, "%v", err))
				return
			}
			if bytes.HasPrefix(line, []byte(sigPrefix)) {
				if !bytes.Equal(h.Sum(nil), want) {
					yield(nil, concord.Errorf(concord.EINVALID, "%s changed while it was read", name))
				}
				return
			}
			h.Write(line)
			h.Write([]byte{'\n'})
			if lineNo <= 2 || bytes.HasPrefix(line, []byte(endPrefix)) {
				continue
			}
			var v concord.StatementVersion
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&v); err != nil {
				yield(nil, errFormat(name, lineNo, "version: %v", err))
				return
			}
			if !yield(&v, nil) {
				return
			}
		}
	}
}
