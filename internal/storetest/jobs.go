package storetest

import (
	"fmt"
	"iter"
	"reflect"
	"sync"
	"testing"

	"concord"
)

// newJob creates a job of member with n rows.
func newJob(t *testing.T, s Service, id, member string, n int) *concord.Job {
	t.Helper()
	j := &concord.Job{ID: id, Kind: "csv", Source: "travellers.csv", Owner: "alice", Member: member,
		Threshold: 0.7, Limit: 5, Meta: `{"flight":"XY123"}`}
	rows := make([]concord.JobRow, n)
	for i := range rows {
		rows[i] = concord.JobRow{JobID: id, N: i, Key: fmt.Sprintf("t%d", i+1), Query: fmt.Appendf(nil, `{"name":"Traveller %d"}`, i+1)}
	}
	if err := s.CreateJob(as(t, "alice", member), j, concord.JobRows(rows)); err != nil {
		t.Fatal(err)
	}
	return j
}

// done marks rows n... of a job screened.
func done(jobID string, ns ...int) []concord.JobRow {
	out := make([]concord.JobRow, len(ns))
	for i, n := range ns {
		out[i] = concord.JobRow{JobID: jobID, N: n, Result: fmt.Appendf(nil, `{"id":"t%d","matches":[]}`, n+1), Done: true}
	}
	return out
}

// alert is a pending alert of a job row.
func alert(jobID string, row int, entity string) concord.Alert {
	return concord.Alert{JobID: jobID, Row: row, QueryKey: fmt.Sprintf("t%d", row+1), Identity: fmt.Sprintf("ident%d", row),
		EntityID: entity, EntityVersion: "v1", Score: 0.91, Query: []byte(`{"name":"x"}`), Match: []byte(`{"score":0.91}`),
		Status: concord.AlertPending}
}

func rowNs(rows []concord.JobRow) string {
	out := []int{}
	for _, r := range rows {
		out = append(out, r.N)
	}
	return fmt.Sprint(out)
}

func testJobs(t *testing.T, s Service) {
	j := newJob(t, s, "job-1", "es", 5)
	wantEvent(t, s, "alice", "job.create", "job-1", "")
	if j.Status != concord.JobQueued || j.Total != 5 || j.CreatedAt.IsZero() || j.Done != 0 {
		t.Errorf("created job: %+v", j)
	}
	got, err := s.Job(ctx(t), "job-1")
	if err != nil || !reflect.DeepEqual(got, j) {
		t.Errorf("Job:\n got %+v %v\nwant %+v", got, err, j)
	}
	newJob(t, s, "job-2", "us", 2)
	wantCode(t, "duplicate job", s.CreateJob(ctx(t), &concord.Job{ID: "job-1", Kind: "csv"}, nil), concord.ECONFLICT)
	wantCode(t, "job without id", s.CreateJob(ctx(t), &concord.Job{Kind: "csv"}, nil), concord.EINVALID)
	_, err = s.Job(ctx(t), "nope")
	wantCode(t, "missing job", err, concord.ENOTFOUND)

	if js, err := s.Jobs(ctx(t), "es"); err != nil || len(js) != 1 || js[0].ID != "job-1" {
		t.Errorf("Jobs(es): %+v %v", js, err)
	}
	if js, err := s.Jobs(ctx(t), ""); err != nil || len(js) != 2 {
		t.Errorf("Jobs(all): %+v %v", js, err)
	}
	if js, err := s.UnfinishedJobs(ctx(t)); err != nil || len(js) != 2 || js[0].ID != "job-1" || js[1].ID != "job-2" {
		t.Errorf("UnfinishedJobs (oldest first): %+v %v", js, err)
	}

	rows, err := s.PendingRows(ctx(t), "job-1", 2)
	if err != nil || rowNs(rows) != "[0 1]" || rows[1].Key != "t2" || string(rows[1].Query) != `{"name":"Traveller 2"}` || rows[0].Done {
		t.Fatalf("PendingRows: %+v %v", rows, err)
	}
	_, err = s.PendingRows(ctx(t), "nope", 0)
	wantCode(t, "pending rows of a missing job", err, concord.ENOTFOUND)

	c := as(t, "alice", "es")
	if err := s.SetJobStatus(c, "job-1", concord.JobRunning, ""); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "alice", "job.status", "job-1", "running")
	if err := s.CompleteRows(c, "job-1", done("job-1", 0, 1), []concord.Alert{alert("job-1", 1, "Q1"), alert("job-1", 1, "Q2")}); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "alice", "job.progress", "job-1", "+2 rows +1 hits")
	got, _ = s.Job(ctx(t), "job-1")
	if got.Done != 2 || got.Hits != 1 || got.Status != concord.JobRunning || !got.UpdatedAt.After(j.UpdatedAt) {
		t.Errorf("job after CompleteRows: %+v", got)
	}
	if rows, err := s.PendingRows(ctx(t), "job-1", 0); err != nil || rowNs(rows) != "[2 3 4]" {
		t.Errorf("PendingRows after CompleteRows: %s %v", rowNs(rows), err)
	}
	all, err := s.JobRows(ctx(t), "job-1", -1, 0)
	if err != nil || rowNs(all) != "[0 1 2 3 4]" || !all[1].Done || string(all[1].Result) != `{"id":"t2","matches":[]}` ||
		all[2].Done || len(all[2].Result) != 0 {
		t.Errorf("JobRows: %+v %v", all, err)
	}
	if page, err := s.JobRows(ctx(t), "job-1", 1, 2); err != nil || rowNs(page) != "[2 3]" {
		t.Errorf("JobRows(after 1, limit 2): %s %v", rowNs(page), err)
	}
	if page, err := s.JobRows(ctx(t), "job-1", 4, 10); err != nil || len(page) != 0 {
		t.Errorf("JobRows past the end: %s %v", rowNs(page), err)
	}
	_, err = s.JobRows(ctx(t), "nope", -1, 10)
	wantCode(t, "rows of a missing job", err, concord.ENOTFOUND)
	wantCode(t, "complete a missing row", s.CompleteRows(c, "job-1", done("job-1", 2, 9), nil), concord.ENOTFOUND)
	if rows, _ := s.PendingRows(ctx(t), "job-1", 0); rowNs(rows) != "[2 3 4]" {
		t.Errorf("a failed CompleteRows changed rows: %s", rowNs(rows))
	}

	if err := s.CompleteRows(c, "job-1", done("job-1", 2, 3, 4), nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "bad status", s.SetJobStatus(c, "job-1", "finished", ""), concord.EINVALID)
	wantCode(t, "status of a missing job", s.SetJobStatus(c, "nope", concord.JobDone, ""), concord.ENOTFOUND)
	if err := s.SetJobStatus(c, "job-1", concord.JobDone, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.SetJobStatus(c, "job-2", concord.JobFailed, "index unavailable"); err != nil {
		t.Fatal(err)
	}
	if js, err := s.UnfinishedJobs(ctx(t)); err != nil || len(js) != 0 {
		t.Errorf("UnfinishedJobs after finishing: %+v %v", js, err)
	}
	if got, _ := s.Job(ctx(t), "job-2"); got.Status != concord.JobFailed || got.Error != "index unavailable" {
		t.Errorf("failed job: %+v", got)
	}
	if got, _ := s.Job(ctx(t), "job-1"); got.Done != 5 || got.Hits != 1 || got.Status != concord.JobDone {
		t.Errorf("finished job: %+v", got)
	}
}

// testJobKillSafety: a chunk completed again (a worker killed after its
// commit, resumed) is ignored: no row or alert counts twice, also when
// workers race on the same rows.
func testJobKillSafety(t *testing.T, s Service) {
	newJob(t, s, "job-k", "es", 4)
	c := as(t, "job", "es")
	if err := s.CompleteRows(c, "job-k", done("job-k", 0, 1), []concord.Alert{alert("job-k", 0, "Q1")}); err != nil {
		t.Fatal(err)
	}
	again := done("job-k", 1, 2)
	again[0].Result = []byte(`{"id":"t2","second":true}`)
	if err := s.CompleteRows(c, "job-k", append(done("job-k", 0), again...),
		[]concord.Alert{alert("job-k", 0, "Q1"), alert("job-k", 1, "Q9"), alert("job-k", 2, "Q2")}); err != nil {
		t.Fatal(err)
	}
	j, _ := s.Job(ctx(t), "job-k")
	if j.Done != 3 || j.Hits != 2 {
		t.Errorf("after completing rows twice: done %d hits %d, want 3 and 2", j.Done, j.Hits)
	}
	as, err := s.Alerts(ctx(t), concord.AlertQuery{Member: "es", JobID: "job-k"})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].Row != 0 || as[0].EntityID != "Q1" || as[1].Row != 2 || as[1].EntityID != "Q2" {
		t.Errorf("alerts after completing rows twice: %+v", as)
	}
	rows, _ := s.JobRows(ctx(t), "job-k", 0, 1)
	if len(rows) != 1 || string(rows[0].Result) != `{"id":"t2","matches":[]}` {
		t.Errorf("row 1 was overwritten: %+v", rows)
	}

	// Racing workers on the last row: exactly one wins.
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if err := s.CompleteRows(c, "job-k", done("job-k", 3), []concord.Alert{alert("job-k", 3, "Q3")}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	j, _ = s.Job(ctx(t), "job-k")
	as, _ = s.Alerts(ctx(t), concord.AlertQuery{Member: "es", JobID: "job-k"})
	if j.Done != 4 || j.Hits != 3 || len(as) != 3 {
		t.Errorf("after racing workers: done %d hits %d alerts %d, want 4 3 3", j.Done, j.Hits, len(as))
	}
	if rows, _ := s.PendingRows(ctx(t), "job-k", 0); len(rows) != 0 {
		t.Errorf("rows left: %s", rowNs(rows))
	}
	wantIntact(t, s, auditLen(t, s))
}

// testJobRowsStream: rows reach CreateJob as a stream, stored in chunks in
// one transaction; a stream that fails late leaves no job, no row and no
// audit row; what the producer says about the job while it streams (its
// error summary, a manifest's meta) is stored.
func testJobRowsStream(t *testing.T, s Service) {
	const n = 2345 // more than one chunk
	rows := func(fail error) iter.Seq2[concord.JobRow, error] {
		return func(yield func(concord.JobRow, error) bool) {
			for i := range n {
				if !yield(concord.JobRow{N: i, Key: fmt.Sprint("t", i), Query: []byte(`{"name":"x"}`)}, nil) {
					return
				}
			}
			if fail != nil {
				yield(concord.JobRow{}, fail)
			}
		}
	}
	before := auditLen(t, s)
	bad := &concord.Job{ID: "job-stream-bad", Kind: "paxlst", Owner: "alice", Member: "es"}
	wantCode(t, "a stream failing at its end", s.CreateJob(as(t, "alice", "es"), bad, rows(concord.Errorf(concord.EINVALID, "segment 9000: no UNT"))), concord.EINVALID)
	if _, err := s.Job(ctx(t), bad.ID); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("the job of a failed stream: %v", err)
	}
	if got := auditLen(t, s); got != before {
		t.Errorf("a failed stream wrote %d audit rows", got-before)
	}
	j := &concord.Job{ID: "job-stream", Kind: "csv", Owner: "alice", Member: "es"}
	producer := func(yield func(concord.JobRow, error) bool) {
		for r, err := range rows(nil) {
			if !yield(r, err) {
				return
			}
		}
		j.Error, j.Meta = "3 rows skipped", `{"rows":2345}`
	}
	if err := s.CreateJob(as(t, "alice", "es"), j, producer); err != nil {
		t.Fatal(err)
	}
	got, err := s.Job(ctx(t), j.ID)
	if err != nil || got.Total != n || got.Error != "3 rows skipped" || got.Meta != `{"rows":2345}` {
		t.Fatalf("streamed job: %+v %v", got, err)
	}
	wantEvent(t, s, "alice", "job.create", j.ID, "csv 2345 rows")
	pending, err := s.PendingRows(ctx(t), j.ID, n+10)
	if err != nil || len(pending) != n || pending[n-1].N != n-1 || pending[n-1].Key != fmt.Sprint("t", n-1) {
		t.Errorf("pending rows: %d %v", len(pending), err)
	}
	skip := func(yield func(concord.JobRow, error) bool) {
		yield(concord.JobRow{N: 0}, nil)
		yield(concord.JobRow{N: 2}, nil)
	}
	wantCode(t, "a row out of place", s.CreateJob(as(t, "alice", "es"), &concord.Job{ID: "job-gap", Kind: "csv"}, skip), concord.EINVALID)
}
