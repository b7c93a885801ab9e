// Package httpkit holds the few net/http pieces that Concord's two HTTP
// adapters, the JSON API (internal/httpapi) and the console
// (internal/web), both need: the client's address and a response recorder
// for access logs and metrics. It imports only the standard library.
package httpkit

import (
	"net"
	"net/http"
)

// RemoteAddr is the client's IP address (the proxy's, behind one).
func RemoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Recorder remembers the status and size of a response.
type Recorder struct {
	http.ResponseWriter
	Status int   // 200 until WriteHeader says otherwise
	Bytes  int64 // body bytes written
	Wrote  bool  // a status line or body byte has been sent
}

// NewRecorder wraps w.
func NewRecorder(w http.ResponseWriter) *Recorder {
	return &Recorder{ResponseWriter: w, Status: http.StatusOK}
}

// WriteHeader records the first status.
func (r *Recorder) WriteHeader(code int) {
	if !r.Wrote {
		r.Status, r.Wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *Recorder) Write(b []byte) (int, error) {
	r.Wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.Bytes += int64(n)
	return n, err
}

// Flush lets streaming handlers flush through the recorder.
func (r *Recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (r *Recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
