package service

import (
	"bytes"
	"context"

	"concord"
	"concord/access"
	"concord/internal/recheck"
)

// Job returns a job of v's member; another member's job is not found.
func (s *Service) Job(ctx context.Context, v access.Viewer, id string) (*concord.Job, error) {
	j, err := s.Store.Job(ctx, id)
	if err != nil {
		return nil, Hidden(err, "job")
	}
	if !v.CanSeeJob(j) {
		return nil, NotFound("job")
	}
	return j, nil
}

// Jobs lists the jobs of v's member, newest first as the store gives them.
func (s *Service) Jobs(ctx context.Context, v access.Viewer) ([]concord.Job, error) {
	if !v.CanListJobs() {
		return nil, Need(v, access.Screen, "listing jobs")
	}
	js, err := s.Store.Jobs(ctx, v.Member)
	if err != nil {
		return nil, err
	}
	out := make([]concord.Job, 0, len(js))
	for i := range js {
		if v.CanSeeJob(&js[i]) {
			out = append(out, js[i])
		}
	}
	return out, nil
}

// JobRows returns up to limit rows of a job of v's member after row after
// (-1: from the start). Reading results is audited (once per call with
// after < 0, that is per reading of a job's results from its start).
func (s *Service) JobRows(ctx context.Context, v access.Viewer, j *concord.Job, after, limit int) ([]concord.JobRow, error) {
	if !v.CanSeeJob(j) {
		return nil, NotFound("job")
	}
	if after < 0 {
		if err := s.Audit(ctx, "job.results", j.ID, ""); err != nil {
			return nil, err
		}
	}
	rows, err := s.Store.JobRows(ctx, j.ID, after, limit)
	if err != nil {
		return nil, err
	}
	// Stores whose "after" is inclusive.
	out := rows[:0]
	rc := recheck.For(ctx, s.Store, s.Matcher, v)
	for _, r := range rows {
		if r.N <= after {
			continue
		}
		// As v may see it now (internal/recheck): a match on a record v no
		// longer sees is left out, the stored versions are never shown.
		if r.Done && bytes.Contains(r.Result, []byte(`"entity_id"`)) {
			if r.Result, err = rc.Result(r.Result, r.Query, j.Threshold); err != nil {
				return nil, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// CancelJob stops a job of v's member: only its owner may. Rows screened so
// far keep their results and alerts.
func (s *Service) CancelJob(ctx context.Context, v access.Viewer, id string) (*concord.Job, error) {
	j, err := s.Job(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if !v.CanCancelJob(j) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "only the job's owner cancels it")
	}
	if err := s.Store.CancelJob(ctx, j.ID); err != nil {
		return nil, err
	}
	return s.Store.Job(ctx, j.ID)
}

// JobErrors returns up to limit input rows a job of v's member refused,
// after position after (-1: from the first).
func (s *Service) JobErrors(ctx context.Context, v access.Viewer, j *concord.Job, after, limit int) ([]concord.JobError, error) {
	if !v.CanSeeJob(j) {
		return nil, NotFound("job")
	}
	return s.Store.JobErrors(ctx, j.ID, after, limit)
}
