package snapshot

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// WriteFile replaces the file only when the whole write succeeded, and
// leaves no temporary file behind either way.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "index.snapshot")
	write := func(s string, err error) func(io.Writer) error {
		return func(w io.Writer) error {
			if _, werr := io.WriteString(w, s); werr != nil {
				return werr
			}
			return err
		}
	}
	for _, c := range []struct {
		content string
		err     error
		want    string
	}{
		{"first", nil, "first"},
		{"half of the sec", errors.New("disk full"), "first"},
		{"second", nil, "second"},
	} {
		err := WriteFile(path, write(c.content, c.err))
		if !errors.Is(err, c.err) {
			t.Errorf("writing %q: %v, want %v", c.content, err, c.err)
		}
		b, err := os.ReadFile(path)
		if err != nil || string(b) != c.want {
			t.Errorf("after writing %q: %q, %v; want %q", c.content, b, err, c.want)
		}
		if es, _ := os.ReadDir(dir); len(es) != 1 {
			t.Errorf("after writing %q: %d files in the directory", c.content, len(es))
		}
	}
	if err := WriteFile(filepath.Join(dir, "no", "such"), write("x", nil)); err == nil {
		t.Error("a file in a missing directory was written")
	}
}
