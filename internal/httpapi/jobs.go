package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"concord"
	"concord/access"
	"concord/internal/job"
	"concord/match"
)

// maxSavedBody bounds a payment message kept as records (save=true).
const maxSavedBody = 16 << 20

// submitJob is POST /v1/jobs: a query CSV (text/csv), a PAXLST manifest or
// a PNRGOV push (application/edifact), an ISO 20022 credit transfer
// (application/xml) or a SWIFT MT payment (application/x-swift), or any of
// them recognised by its content, to screen in the background. It answers
// 202 with the job.
func (s *Server) submitJob(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Screen, "screening"); err != nil {
		return err
	}
	threshold, err := floatParam(r, "threshold", match.DefaultThreshold)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", match.DefaultLimit, 1, 100)
	if err != nil {
		return err
	}
	name, err := uploadName(r)
	if err != nil {
		return err
	}
	if r.ContentLength > s.cfg.MaxJobBody {
		return concord.Errorf(concord.ETOOLARGE, "upload of %d bytes: at most %d", r.ContentLength, s.cfg.MaxJobBody)
	}
	// The upload is read as a stream (the runner spools and parses it):
	// only its first bytes are looked at here, to tell its kind.
	body := bufio.NewReaderSize(http.MaxBytesReader(w, r.Body, s.cfg.MaxJobBody), 4096)
	head, err := body.Peek(4096)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return err
	}
	if len(bytes.TrimSpace(head)) == 0 && err == io.EOF {
		return concord.Errorf(concord.EINVALID, "empty body: send a query CSV, a PAXLST or PNRGOV message or a payment message")
	}
	kind, err := jobKind(r.Header.Get("Content-Type"), head)
	if err != nil {
		return err
	}
	if name == "" {
		name = "upload." + kind
	}
	save := r.URL.Query().Get("save") == "true"
	saver, canSave := s.jobs.(paymentSaver)
	if save && (!canSave || !job.IsPayment(kind)) {
		return concord.Errorf(concord.EINVALID, "save=true keeps payment messages only, on a node that keeps them")
	}
	if save {
		// Checked before the job exists, so that a caller who may not
		// contribute gets no job either.
		if err := need(c.v, access.Contribute, "keeping payments as records"); err != nil {
			return err
		}
	}
	var upload io.Reader = body
	var kept []byte
	if save {
		// Kept payments are read twice (screened, then saved): a payment
		// message is small, so it is held, up to maxSavedBody.
		if kept, err = io.ReadAll(io.LimitReader(body, maxSavedBody+1)); err != nil {
			return err
		}
		if len(kept) > maxSavedBody {
			return concord.Errorf(concord.ETOOLARGE, "save=true: a payment message of at most %d bytes", maxSavedBody)
		}
		upload = bytes.NewReader(kept)
	}
	j, err := s.jobs.Submit(r.Context(), c.v, kind, name, upload, threshold, limit)
	if err != nil {
		return err
	}
	if save {
		n, err := saver.SavePayments(r.Context(), c.v, kind, name, kept)
		if err != nil {
			return err
		}
		w.Header().Set("X-Concord-Records", strconv.Itoa(n))
	}
	w.Header().Set("Location", "/v1/jobs/"+j.ID)
	writeJSON(w, http.StatusAccepted, j)
	return nil
}

// paymentSaver keeps the transactions of a payment message as the
// caller's member's records (job.Runner).
type paymentSaver interface {
	SavePayments(ctx context.Context, v access.Viewer, kind, source string, body []byte) (int, error)
}

// upload reads a PNR push whole (it is stored as it came, in one
// transaction), bounded by MaxJobBody, and the name the caller gives it.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	name, err := uploadName(r)
	if err != nil {
		return "", nil, err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxJobBody))
	return name, body, err
}

// uploadName is the name the caller gives an upload (?name=), at most 200
// bytes.
func uploadName(r *http.Request) (string, error) {
	name := strings.TrimSpace(r.URL.Query().Get("name"))
	if len(name) > 200 {
		return "", concord.Errorf(concord.EINVALID, "parameter name: at most 200 bytes")
	}
	return name, nil
}

// jobKind decides the kind of a job: "csv", "paxlst", "pnrgov",
// "iso20022" or "swift-mt". A declared XML or SWIFT type must be a payment
// message, an EDIFACT one a PNRGOV or else a PAXLST message; a generic type
// is recognised by content.
func jobKind(contentType string, body []byte) (string, error) {
	head := body[:min(len(body), 4096)]
	mt := ""
	if contentType != "" {
		var err error
		if mt, _, err = mime.ParseMediaType(contentType); err != nil {
			return "", concord.Errorf(concord.EINVALID, "Content-Type %q: %v", contentType, err)
		}
	}
	switch strings.ToLower(mt) {
	case "text/csv":
		return "csv", nil
	case "application/edifact", "application/x-edifact", "application/paxlst":
		if job.DetectKind(head) == job.KindPNRGOV {
			return job.KindPNRGOV, nil
		}
		return job.KindPAXLST, nil
	case "application/xml", "text/xml", "application/iso20022+xml":
		return job.KindISO20022, nil
	case "application/x-swift", "application/swift", "text/x-swift":
		return job.KindSWIFTMT, nil
	case "", "text/plain", "application/octet-stream":
		return job.DetectKind(head), nil
	}
	return "", concord.Errorf(concord.EINVALID, "Content-Type %q: send text/csv, application/edifact, application/xml (ISO 20022) or application/x-swift (SWIFT MT)", mt)
}

// visibleJob returns the job if the caller may see it; another member's job
// is not found.
func (s *Server) visibleJob(r *http.Request, c *caller) (*concord.Job, error) {
	return s.svc.Job(r.Context(), c.v, r.PathValue("id"))
}

// listJobs is GET /v1/jobs: the jobs of the caller's member.
func (s *Server) listJobs(w http.ResponseWriter, r *http.Request, c *caller) error {
	out, err := s.svc.Jobs(r.Context(), c.v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": out})
	return nil
}

// job is GET /v1/jobs/{id}: status and progress.
func (s *Server) job(w http.ResponseWriter, r *http.Request, c *caller) error {
	j, err := s.visibleJob(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// resultsPage is how many rows jobResults reads at a time.
const resultsPage = 500

// jobResults is GET /v1/jobs/{id}/results: one JSON line per screened row,
// in row order (rows not yet screened are left out).
func (s *Server) jobResults(w http.ResponseWriter, r *http.Request, c *caller) error {
	j, err := s.visibleJob(r, c)
	if err != nil {
		return err
	}
	ctx := r.Context()
	w.Header().Set("Content-Type", "application/x-ndjson")
	wrote := false
	last := -1
	var line bytes.Buffer
	for {
		rows, err := s.svc.JobRows(ctx, c.v, j, last, resultsPage)
		if err != nil {
			if !wrote {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				return err
			}
			// Headers are gone: cut the stream short, as a truncated body.
			s.log.ErrorContext(ctx, "job results", "job", j.ID, "err", err)
			return nil
		}
		progressed := false
		for _, row := range rows {
			last, progressed = row.N, true
			if !row.Done || len(row.Result) == 0 {
				continue
			}
			res := row.Result // as the caller may see it now (service.JobRows)
			line.Reset()
			if err := json.Compact(&line, res); err != nil {
				line.Reset()
				line.Write(bytes.ReplaceAll(res, []byte("\n"), nil))
			}
			line.WriteByte('\n')
			if _, err := w.Write(line.Bytes()); err != nil {
				return nil
			}
			wrote = true
		}
		if !progressed || len(rows) < resultsPage {
			break
		}
	}
	if !wrote {
		w.WriteHeader(http.StatusOK)
	}
	return nil
}

// cancelJob is POST /v1/jobs/{id}/cancel (and DELETE /v1/jobs/{id}): the
// owner stops a job. Rows screened so far keep their results and alerts.
func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request, c *caller) error {
	j, err := s.svc.CancelJob(r.Context(), c.v, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// jobErrors is GET /v1/jobs/{id}/errors: the rows the job refused, a page
// at a time (after: the n of the last one seen; limit up to 1000), with how
// many there were in all (only the first ones are stored).
func (s *Server) jobErrors(w http.ResponseWriter, r *http.Request, c *caller) error {
	j, err := s.visibleJob(r, c)
	if err != nil {
		return err
	}
	after, err := intParam(r, "after", -1, -1, math.MaxInt32)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	errs, err := s.svc.JobErrors(r.Context(), c.v, j, after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"errors": errs, "total": j.Errors})
	return nil
}
