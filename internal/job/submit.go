package job

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"

	"concord"
	"concord/access"
	"concord/match"
)

// Submit stores a new job from a query CSV, a PAXLST manifest, a PNRGOV
// push or a payment message read from
// body and wakes the runner. The upload is spooled to a temporary file
// first (so that no transaction waits on a slow client), then parsed as a
// stream into the store: memory stays bounded whatever its size. Bad CSV
// rows are skipped and summarised in the job's error field (the first
// maxBadRows of them named); a batch with no valid row is refused, and so
// is a manifest with any error, and a batch of more than Limits.MaxRows
// queries (ETOOLARGE). The first Limits.MaxErrors refused rows are stored
// with the job (concord.JobError), all are counted. An error reading body
// (such as *http.MaxBytesError) is returned as it is.
func (r *Runner) Submit(ctx context.Context, v access.Viewer, kind, source string, body io.Reader, threshold float64, limit int) (*concord.Job, error) {
	r.init()
	if !v.Can(access.Screen) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "screening needs the analyst or reviewer role and the screen scope")
	}
	if threshold <= 0 {
		threshold = match.DefaultThreshold
	}
	if threshold > 1 {
		return nil, concord.Errorf(concord.EINVALID, "threshold %v: want a score in (0,1]", threshold)
	}
	if limit <= 0 {
		limit = match.DefaultLimit
	}
	up, err := spool(body, r.TempDir)
	if err != nil {
		return nil, err
	}
	defer up.Close()
	head := make([]byte, 4096)
	n, _ := up.ReadAt(head, 0)
	detected := DetectKind(head[:n])
	if kind != "" && kind != detected {
		return nil, concord.Errorf(concord.EINVALID, "%s: declared %s but the content is %s", source, kind, detected)
	}
	now := r.Clock.Now()
	j := &concord.Job{ID: newID(), Kind: detected, Source: source, Owner: v.User, Member: v.Member,
		Status: concord.JobQueued, Threshold: threshold, Limit: limit, CreatedAt: now, UpdatedAt: now}
	if err := r.Store.CreateJob(ctx, j, r.jobRows(j, up.reader(), source)); err != nil {
		return nil, err
	}
	r.Wake()
	return j, nil
}

// maxBadRows is how many refused rows a job's error names.
const maxBadRows = 20

// jobRows streams the queries of an upload as the rows of job j, setting
// j's error (the refused rows) and meta (a manifest's flights) at the end.
func (r *Runner) jobRows(j *concord.Job, body io.Reader, source string) iter.Seq2[concord.JobRow, error] {
	return func(yield func(concord.JobRow, error) bool) {
		stop := errors.New("stop")
		var (
			bad   []string
			nbad  int
			first string
			n     int
		)
		_, meta, err := r.Read.EachQuery(body, source, func(q Query) error {
			if n == r.Limits.MaxRows {
				return concord.Errorf(concord.ETOOLARGE, "%s: more than %d queries; a job takes at most %d", source, n, n)
			}
			b, err := json.Marshal(&q)
			if err != nil {
				return err
			}
			if !yield(concord.JobRow{JobID: j.ID, N: n, Key: q.ID, Query: b}, nil) {
				return stop
			}
			n++
			return nil
		}, func(e RowError) {
			if len(j.Refused) < r.Limits.MaxErrors {
				j.Refused = append(j.Refused, concord.JobError{N: len(j.Refused), Line: e.Line, Message: e.Msg})
			}
			if nbad++; len(bad) < maxBadRows {
				bad = append(bad, e.Error())
			}
			if first == "" {
				first = e.Error()
			}
		})
		switch {
		case err == stop:
			return
		case err != nil:
			yield(concord.JobRow{}, err)
			return
		case n == 0:
			msg := "no query to screen"
			if first != "" {
				msg += ": " + first
			}
			yield(concord.JobRow{}, concord.Errorf(concord.EINVALID, "%s: %s", source, msg))
			return
		}
		j.Meta, j.Errors = meta, nbad
		if nbad > 0 {
			j.Error = fmt.Sprintf("%d rows skipped: %s", nbad, strings.Join(bad, "; "))
			if nbad > len(bad) {
				j.Error += fmt.Sprintf("; and %d more", nbad-len(bad))
			}
		}
	}
}
