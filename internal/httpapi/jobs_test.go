package httpapi

import (
	"context"
	"testing"

	"concord"
)

// TestJobCancelAndErrors: the owner cancels its job (others of its member
// may not, other members do not see it, a finished job stays finished);
// refused rows are paged and counted; a body over the limit is 413.
func TestJobCancelAndErrors(t *testing.T) {
	e := newEnv(t)
	ctx := concord.WithActor(context.Background(), concord.Actor{User: "es-analyst", Member: "es", Via: "api"})
	j := &concord.Job{ID: "job-e", Kind: "csv", Owner: "es-analyst", Member: "es", Errors: 2500, Error: "2500 rows skipped"}
	var errs []concord.JobError
	for i := range 250 {
		errs = append(errs, concord.JobError{Line: 2 + i, Message: "empty name"})
	}
	rows := []concord.JobRow{{N: 0, Key: "t1", Query: []byte(`{}`)}, {N: 1, Key: "t2", Query: []byte(`{}`)}}
	j.Refused = errs
	if err := e.store.CreateJob(ctx, j, concord.JobRows(rows)); err != nil {
		t.Fatal(err)
	}
	var page struct {
		Errors []concord.JobError `json:"errors"`
		Total  int                `json:"total"`
	}
	e.must(200, e.do("GET", "/v1/jobs/job-e/errors?limit=100", "es-reviewer", nil)).json(t, &page)
	if len(page.Errors) != 100 || page.Total != 2500 || page.Errors[0].Line != 2 || page.Errors[99].N != 99 {
		t.Fatalf("first page: %d errors, total %d", len(page.Errors), page.Total)
	}
	e.must(200, e.do("GET", "/v1/jobs/job-e/errors?after=199&limit=1000", "es-analyst", nil)).json(t, &page)
	if len(page.Errors) != 50 || page.Errors[0].N != 200 {
		t.Errorf("last page: %d errors from %d", len(page.Errors), page.Errors[0].N)
	}
	e.must(400, e.do("GET", "/v1/jobs/job-e/errors?limit=5000", "es-analyst", nil))
	e.must(404, e.do("GET", "/v1/jobs/job-e/errors", "fr-analyst", nil))
	var got concord.Job
	e.must(200, e.do("GET", "/v1/jobs/job-e", "es-analyst", nil)).json(t, &got)
	if got.Errors != 2500 || got.Error != "2500 rows skipped" {
		t.Errorf("job: %+v", got)
	}

	e.must(403, e.do("POST", "/v1/jobs/job-e/cancel", "es-reviewer", nil))
	e.must(404, e.do("POST", "/v1/jobs/job-e/cancel", "fr-analyst", nil))
	e.must(404, e.do("DELETE", "/v1/jobs/nope", "es-analyst", nil))
	e.must(200, e.do("POST", "/v1/jobs/job-e/cancel", "es-analyst", nil)).json(t, &got)
	if got.Status != concord.JobCancelled {
		t.Errorf("cancelled job: %+v", got)
	}
	if r := e.must(409, e.do("DELETE", "/v1/jobs/job-e", "es-analyst", nil)); r.errCode() != concord.ECONFLICT {
		t.Errorf("second cancel: %s", r.Body)
	}
	evs, _ := e.store.AuditEvents(ctx, concord.AuditQuery{Action: "job.cancel"})
	if len(evs) != 1 || evs[0].Actor != "es-analyst" || evs[0].Object != "job-e" {
		t.Errorf("audit of the cancel: %+v", evs)
	}

}
