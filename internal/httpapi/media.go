package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"concord"
	"concord/access"
	"concord/internal/mediabank"
	"concord/media"
	"concord/media/pdq"
)

// MediaBank matches PDQ hashes (and file digests, exactly) against the
// hash bank for a viewer.
type MediaBank interface {
	Lookup(ctx context.Context, v access.Viewer, q mediabank.Query, o mediabank.Options) ([]mediabank.Hit, error)
}

// Bounds of the media endpoints.
const (
	maxMediaFiles  = 50        // pictures per request
	maxMediaBody   = 128 << 20 // one multipart request
	maxMediaRadius = 64        // beyond it the index degenerates into a scan
)

// mediaHashed is the hash of one uploaded picture, or why it has none.
type mediaHashed struct {
	Name string `json:"name"`
	*media.Result
	Unreliable bool       `json:"unreliable,omitempty"`
	Error      *itemError `json:"error,omitempty"`
}

// itemError is why one item of a batch failed.
type itemError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// eachUpload calls fn with every file part of a multipart request, in
// order. The parts are read as they arrive: a picture is hashed from the
// request stream and never written anywhere.
func eachUpload(r *http.Request, fn func(name string, part io.Reader) error) error {
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" || params["boundary"] == "" {
		return concord.Errorf(concord.EINVALID, "want a multipart/form-data upload of pictures")
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	n := 0
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return concord.Errorf(concord.EINVALID, "upload larger than %d bytes", mbe.Limit)
			}
			return concord.Errorf(concord.EINVALID, "malformed multipart upload: %v", err)
		}
		if p.FileName() == "" { // a form field, not a file
			p.Close()
			continue
		}
		n++
		if n > maxMediaFiles {
			p.Close()
			return concord.Errorf(concord.EINVALID, "too many pictures in one request (limit: %d)", maxMediaFiles)
		}
		err = fn(p.FileName(), p)
		p.Close()
		if err != nil {
			return err
		}
	}
	if n == 0 {
		return concord.Errorf(concord.EINVALID, "no picture in the upload")
	}
	return nil
}

// hashUpload hashes one part; a bad picture is reported in its result.
// At most one picture per CPU is decoded at once on the server, so that
// memory stays bounded by the limits of media.DefaultLimits times the
// number of CPUs whatever the number of uploads.
func (s *Server) hashUpload(ctx context.Context, h *media.Hasher, name string, part io.Reader, dihedral bool) (mediaHashed, error) {
	select {
	case s.decoders <- struct{}{}:
	case <-ctx.Done():
		return mediaHashed{}, ctx.Err()
	}
	defer func() { <-s.decoders }()
	return hashUpload(h, name, part, dihedral), nil
}

func hashUpload(h *media.Hasher, name string, part io.Reader, dihedral bool) mediaHashed {
	res, err := h.Hash(part, media.Options{Dihedral: dihedral})
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return mediaHashed{Name: name, Error: &itemError{Code: concord.EINVALID, Message: fmt.Sprintf("upload larger than %d bytes", mbe.Limit)}}
		}
		return mediaHashed{Name: name, Error: &itemError{Code: concord.ErrorCode(err), Message: concord.ErrorMessage(err)}}
	}
	return mediaHashed{Name: name, Result: res, Unreliable: !res.Reliable()}
}

// mediaHash: POST /v1/media/hash, pictures in, hashes out; the pictures
// are hashed as they stream in and discarded.
func (s *Server) mediaHash(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Match, "hashing"); err != nil {
		return err
	}
	dihedral := r.URL.Query().Get("dihedral") == "true"
	r.Body = http.MaxBytesReader(w, r.Body, maxMediaBody)
	var h media.Hasher
	var out []mediaHashed
	if err := eachUpload(r, func(name string, part io.Reader) error {
		hr, err := s.hashUpload(r.Context(), &h, name, part, dihedral)
		out = append(out, hr)
		return err
	}); err != nil {
		return err
	}
	if err := s.audit(r.Context(), "media.hash", "", fmt.Sprintf("%d pictures hashed, none kept", len(out))); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
	return nil
}

// mediaQuery is one query of /v1/media/match: a PDQ hash, the file's
// digests for exact matches, or both.
type mediaQuery struct {
	Hash    string `json:"hash,omitempty"`
	Quality *int   `json:"quality,omitempty"` // as the client's hasher said; below 50 the PDQ hash is not matched
	MD5     string `json:"md5,omitempty"`
	SHA256  string `json:"sha256,omitempty"`
}

type mediaMatchRequest struct {
	Queries map[string]*mediaQuery `json:"queries"`
}

// mediaMatchResult is the answer for one query.
type mediaMatchResult struct {
	Hash       string          `json:"hash,omitempty"`
	Quality    *int            `json:"quality,omitempty"`
	Unreliable bool            `json:"unreliable,omitempty"`
	Matches    []mediabank.Hit `json:"matches"`
	Alerts     []int64         `json:"alerts,omitempty"`
	Error      *itemError      `json:"error,omitempty"`
}

// mediaMatch: POST /v1/media/match, hashes (JSON) or pictures (multipart)
// matched against the bank as the caller sees it; each hit becomes an
// alert of the caller's member in the review queue.
func (s *Server) mediaMatch(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Match, "matching"); err != nil {
		return err
	}
	if s.cfg.Media == nil {
		return concord.Errorf(concord.EUNSUPPORTED, "this node has no hash bank")
	}
	radius, err := intParam(r, "radius", pdq.DefaultRadius, 0, maxMediaRadius)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 10, 1, maxMatchLimit)
	if err != nil {
		return err
	}
	minQuality, err := intParam(r, "min_quality", pdq.MinQuality, 0, 100)
	if err != nil {
		return err
	}
	type query struct {
		key  string
		name string // the picture's file name, for an upload
		res  mediaMatchResult
		hash pdq.Hash
		md5  string
		sha  string
	}
	var qs []*query
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxMediaBody)
		var h media.Hasher
		err := eachUpload(r, func(name string, part io.Reader) error {
			hr, err := s.hashUpload(r.Context(), &h, name, part, false)
			if err != nil {
				return err
			}
			q := &query{key: strconv.Itoa(len(qs) + 1), name: name}
			if hr.Error != nil {
				q.res.Error = hr.Error
			} else {
				qv := hr.Quality
				q.hash, q.res.Hash, q.res.Quality = hr.PDQ, hr.PDQ.String(), &qv
				q.res.Unreliable = qv < minQuality
				q.md5, q.sha = hr.MD5, hr.SHA256
			}
			qs = append(qs, q)
			return nil
		})
		if err != nil {
			return err
		}
	} else {
		var req mediaMatchRequest
		if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
			return err
		}
		if len(req.Queries) == 0 {
			return concord.Errorf(concord.EINVALID, "no queries provided")
		}
		if len(req.Queries) > maxBatch {
			return concord.Errorf(concord.EINVALID, "too many queries in one batch (limit: %d)", maxBatch)
		}
		for _, k := range slices.Sorted(mapKeys(req.Queries)) {
			mq := req.Queries[k]
			if mq == nil {
				return concord.Errorf(concord.EINVALID, "query %s: empty", k)
			}
			q := &query{key: k, res: mediaMatchResult{Quality: mq.Quality}}
			if mq.Hash == "" && mq.MD5 == "" && mq.SHA256 == "" {
				return concord.Errorf(concord.EINVALID, "query %s: give a PDQ hash, an md5 or a sha256", k)
			}
			if mq.Hash != "" {
				h, err := pdq.Parse(mq.Hash)
				if err != nil {
					return concord.Errorf(concord.EINVALID, "query %s: %v", k, err)
				}
				q.hash, q.res.Hash = h, h.String()
			}
			for _, d := range []struct {
				prop, v string
				dst     *string
			}{{concord.PropMD5, mq.MD5, &q.md5}, {concord.PropSHA256, mq.SHA256, &q.sha}} {
				if d.v == "" {
					continue
				}
				v, err := mediabank.CheckValue(d.prop, d.v)
				if err != nil {
					return concord.Errorf(concord.EINVALID, "query %s: %v", k, err)
				}
				*d.dst = v
			}
			if mq.Quality != nil && (*mq.Quality < 0 || *mq.Quality > 100) {
				return concord.Errorf(concord.EINVALID, "query %s: quality %d: want 0..100", k, *mq.Quality)
			}
			q.res.Unreliable = mq.Hash != "" && mq.Quality != nil && *mq.Quality < minQuality
			qs = append(qs, q)
		}
	}
	ctx := r.Context()
	var alerts []concord.Alert
	var rows []concord.JobRow
	hits := 0
	for i, q := range qs {
		q.res.Matches = []mediabank.Hit{}
		if q.res.Error != nil {
			continue
		}
		// An unreliable PDQ hash is not matched; the file's digests still
		// match exactly.
		mq := mediabank.Query{MD5: q.md5, SHA256: q.sha}
		if q.res.Hash != "" && !q.res.Unreliable {
			mq.PDQ = &q.hash
		}
		if mq.PDQ == nil && mq.MD5 == "" && mq.SHA256 == "" {
			continue
		}
		found, err := s.cfg.Media.Lookup(ctx, c.v, mq, mediabank.Options{Radius: radius, Limit: limit})
		if err != nil {
			return err
		}
		q.res.Matches = found
		if len(found) == 0 {
			continue
		}
		hits++
		qb, _ := json.Marshal(mediaAlertQuery{Kind: "media", ID: q.key, Name: q.name, Hash: q.res.Hash, Quality: q.res.Quality})
		rows = append(rows, concord.JobRow{N: i, Key: q.key, Query: qb, Done: true})
		for _, hit := range found {
			a, ok, err := s.mediaAlert(ctx, c.v, q.res.Hash, q.md5+q.sha, radius, hit)
			if err != nil {
				return err
			}
			if ok {
				a.Row, a.QueryKey, a.Query = i, q.key, qb
				alerts = append(alerts, a)
			}
		}
	}
	if len(rows) > 0 {
		if err := s.raiseMediaAlerts(ctx, c.v, len(qs), rows, alerts); err != nil {
			return err
		}
		// Give each query the ids of its alerts.
		got, err := s.store.Alerts(ctx, concord.AlertQuery{Member: c.v.Member, JobID: rows[0].JobID, Limit: len(alerts) + 1})
		if err != nil {
			return err
		}
		for _, a := range got {
			qs[a.Row].res.Alerts = append(qs[a.Row].res.Alerts, a.ID)
		}
	}
	out := make(map[string]mediaMatchResult, len(qs))
	for _, q := range qs {
		out[q.key] = q.res
	}
	if err := s.audit(ctx, "media.match", "", fmt.Sprintf("%d queries, %d with hits, radius %d", len(qs), hits, radius)); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"responses": out, "radius": radius, "algorithm": "pdq"})
	return nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// mediaAlertQuery is an alert's query: the hash the caller matched.
type mediaAlertQuery struct {
	Kind    string `json:"kind"` // "media"
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"` // the uploaded picture's file name
	Hash    string `json:"hash"`
	Quality *int   `json:"quality,omitempty"`
}

// mediaAlertMatch is an alert's match: self-describing, so a console shows
// it without knowing PDQ — the record, the distance against the radius, the
// labels, and an explanation in words.
type mediaAlertMatch struct {
	Kind        string              `json:"kind"`      // "media"
	Algorithm   string              `json:"algorithm"` // "pdq"
	EntityID    string              `json:"entity_id"`
	Caption     string              `json:"caption"`
	Schema      string              `json:"schema"`
	Distance    int                 `json:"distance"`
	Radius      int                 `json:"radius"`
	Score       float64             `json:"score"`
	QueryHash   string              `json:"query_hash,omitempty"`
	MatchedHash string              `json:"matched_hash,omitempty"`
	Exact       []string            `json:"exact,omitempty"` // digests that matched exactly: md5, sha256
	Quality     *int                `json:"quality,omitempty"`
	Labels      []string            `json:"labels"`
	Datasets    []string            `json:"datasets"`
	Refs        []string            `json:"refs"`
	Explanation []mediaAlertFeature `json:"explanation"`
}

type mediaAlertFeature struct {
	Feature     string `json:"feature"`
	Value       any    `json:"value"`
	Description string `json:"description"`
}

// mediaScore maps a distance to the 0..1 score alerts are sorted by: the
// share of the 256 bits that agree.
func mediaScore(d int) float64 { return float64(pdq.Bits-d) / pdq.Bits }

// mediaAlert is the alert of one hit: queryHash is the query's PDQ hash
// ("" when it had none), digests its file digests.
func (s *Server) mediaAlert(ctx context.Context, v access.Viewer, queryHash, digests string, radius int, hit mediabank.Hit) (concord.Alert, bool, error) {
	ident := sha256.Sum256([]byte("media\x00" + queryHash + "\x00" + digests))
	identity := hex.EncodeToString(ident[:16])
	// The version is of the record as this member sees it
	// (concord.Entity.Version, as for name alerts): a change of its hash or
	// labels re-arms a dismissed alert, and a stored alert is read back
	// through the reader's view (internal/recheck).
	rec, err := s.store.Entity(ctx, v.Filter(), hit.EntityID)
	if err != nil {
		return concord.Alert{}, false, err
	}
	version := rec.Version()
	dismissed, err := s.store.Dismissed(ctx, v.Member, identity, hit.EntityID, version)
	if err != nil || dismissed {
		return concord.Alert{}, false, err
	}
	matched := ""
	if !hit.Hash.IsZero() {
		matched = hit.Hash.String()
	}
	caption := hit.Description
	if caption == "" && len(hit.Labels) > 0 {
		caption = strings.Join(hit.Labels, ", ")
	}
	if caption == "" {
		caption = hit.EntityID
	}
	m := mediaAlertMatch{Kind: "media", Algorithm: "pdq", EntityID: hit.EntityID, Caption: caption, Schema: mediabank.Schema,
		Distance: hit.Distance, Radius: radius, Score: mediaScore(hit.Distance), QueryHash: queryHash, MatchedHash: matched,
		Quality: hit.Quality, Labels: hit.Labels, Datasets: hit.Datasets, Refs: hit.Refs, Exact: hit.Exact}
	if matched != "" && queryHash != "" {
		m.Explanation = append(m.Explanation, mediaAlertFeature{"pdq_distance", hit.Distance,
			fmt.Sprintf("PDQ hashes %d bits apart of 256 (a match is at most %d; 0 is the same picture, re-encoded or resized pictures are usually within 10)", hit.Distance, radius)})
	}
	if len(hit.Exact) > 0 {
		m.Explanation = append(m.Explanation, mediaAlertFeature{"exact", hit.Exact,
			"the very file: its " + strings.Join(hit.Exact, " and ") + " equals the matched record's"})
	}
	m.Explanation = append(m.Explanation, mediaAlertFeature{"labels", hit.Labels, "labels of the matched record: outlet, campaign and the like, as its contributors gave them"})
	if hit.Quality != nil {
		m.Explanation = append(m.Explanation, mediaAlertFeature{"pdq_quality", *hit.Quality, "quality of the matched hash, 0..100 (below 50 unreliable)"})
	}
	mb, _ := json.Marshal(&m)
	return concord.Alert{Identity: identity, Member: v.Member, EntityID: hit.EntityID, EntityVersion: version,
		Score: m.Score, Match: mb, Status: concord.AlertPending, CreatedAt: s.clock.Now()}, true, nil
}

// raiseMediaAlerts records a match request with hits as a finished job of
// kind "media" (so its alerts join the same review queue, with the same
// rights and dismissals) and its rows and alerts.
func (s *Server) raiseMediaAlerts(ctx context.Context, v access.Viewer, queries int, rows []concord.JobRow, alerts []concord.Alert) error {
	var b [8]byte
	_, _ = rand.Read(b[:])
	now := s.clock.Now()
	j := &concord.Job{ID: "media-" + hex.EncodeToString(b[:]), Kind: "media", Source: "POST /v1/media/match", Owner: v.User, Member: v.Member,
		Status: concord.JobDone, Total: len(rows), Meta: fmt.Sprintf(`{"queries":%d}`, queries), CreatedAt: now, UpdatedAt: now}
	pending := make([]concord.JobRow, len(rows))
	for i := range rows {
		rows[i].JobID = j.ID
		pending[i] = rows[i]
		pending[i].Done = false
		rows[i].Result = json.RawMessage(`{"kind":"media"}`)
	}
	for i := range alerts {
		alerts[i].JobID = j.ID
	}
	if err := s.store.CreateJob(ctx, j, concord.JobRows(pending)); err != nil {
		return err
	}
	return s.store.CompleteRows(ctx, j.ID, rows, alerts)
}
