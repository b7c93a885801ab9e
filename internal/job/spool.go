package job

import (
	"io"
	"os"
)

// upload is a screening upload spooled to a temporary file, read back as
// often as needed. The file is unlinked as soon as it is created, so that
// nothing is left behind whatever happens to the process.
type upload struct {
	f    *os.File
	size int64
}

// spool copies body into a new temporary file in dir ("" for the system's).
// An error reading body is returned as it is (a *http.MaxBytesError says
// the upload was too large).
func spool(body io.Reader, dir string) (*upload, error) {
	f, err := os.CreateTemp(dir, "concord-upload-*")
	if err != nil {
		return nil, err
	}
	_ = os.Remove(f.Name()) // Unix: the open file lives on, nameless
	n, err := io.Copy(f, body)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &upload{f: f, size: n}, nil
}

// ReadAt reads from the upload at off.
func (u *upload) ReadAt(p []byte, off int64) (int, error) { return u.f.ReadAt(p, off) }

// reader reads the upload from its start.
func (u *upload) reader() io.Reader { return io.NewSectionReader(u.f, 0, u.size) }

// Close deletes the upload.
func (u *upload) Close() error {
	name := u.f.Name()
	err := u.f.Close()
	_ = os.Remove(name) // where the early unlink could not be done
	return err
}
