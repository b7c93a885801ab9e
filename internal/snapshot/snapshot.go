// Package snapshot writes and reads the files a node keeps its in-memory
// indexes in between starts (the match index, the identifier index, the
// network): a file is written whole or not at all, and each names the
// change-feed position of the store it reflects, so that a node loads it
// only when the feed can bring it up to date.
package snapshot

import (
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes a file atomically: write fills a temporary file beside
// path, which is synced and renamed over path only when write succeeded
// (a reader sees the old file or the new one, never a part).
func WriteFile(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Encoder is what an index's Encode writes to: numbers and strings, in
// order (the match index's snapshot encoder, match/index.Encoder, is one).
// The network, the identifier index and the hash bank write through it, so
// that none of them imports the match index's codec.
type Encoder interface {
	Uvarint(x uint64)
	String(s string)
}

// Decoder reads what an Encoder wrote; after a value that does not decode
// it yields zero values and Err reports it.
type Decoder interface {
	Uvarint() uint64
	String() string
	Err() error
}
