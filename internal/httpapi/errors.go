package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/service"
)

// errorBody is the JSON shape of every error.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// errNotFound is the one body of a missing or hidden record.
func errNotFound(what string) error { return service.NotFound(what) }

// retryAfter is implemented by errors that know when to try again.
type retryAfter interface{ RetryAfter() time.Duration }

// writeError writes err with the status of its code. Internal errors are
// logged with their detail and shown as "internal error".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := concord.ErrorCode(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code, err = concord.ETOOLARGE, concord.Errorf(concord.ETOOLARGE, "request body larger than %d bytes", mbe.Limit)
	}
	status := concord.HTTPStatus(code)
	if status == http.StatusInternalServerError {
		code = concord.EINTERNAL
	}
	var body errorBody
	body.Error.Code = code
	if code == concord.EINTERNAL {
		body.Error.Message = "internal error"
		s.log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		body.Error.Message = concord.ErrorMessage(err)
	}
	var ra retryAfter
	if errors.As(err, &ra) {
		secs := int(math.Ceil(ra.RetryAfter().Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	}
	if code == concord.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="concord"`)
	}
	writeJSON(w, status, body)
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}

// decode reads a JSON request body of at most limit bytes into v. Unknown
// fields are refused unless lenient (the yente-compatible endpoints), and so
// is text that decoding would alter or no store keeps (see readJSON).
func decode(w http.ResponseWriter, r *http.Request, limit int64, v any, lenient bool) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return concord.Errorf(concord.EINVALID, "Content-Type %q: want application/json", ct)
	}
	body, err := readJSON(w, r, limit)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if !lenient {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return concord.Errorf(concord.EINVALID, "empty request body: want a JSON object")
		}
		return concord.Errorf(concord.EINVALID, "request body: %s", jsonMessage(err))
	}
	if dec.More() {
		return concord.Errorf(concord.EINVALID, "request body: one JSON value expected")
	}
	return nil
}

// jsonMessage strips Go type names from a decoding error.
func jsonMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return "field " + te.Field + ": wrong type " + te.Value
		}
		return "wrong type " + te.Value
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// intParam reads an integer query parameter within [lo, hi]; def when absent.
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, concord.Errorf(concord.EINVALID, "parameter %s: want an integer from %d to %d", name, lo, hi)
	}
	return n, nil
}

// floatParam reads a number query parameter in [0, 1]; def when absent.
func floatParam(r *http.Request, name string, def float64) (float64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > 1 {
		return 0, concord.Errorf(concord.EINVALID, "parameter %s: want a number from 0 to 1", name)
	}
	return f, nil
}
