package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"concord"
)

// claim is a claim of up to rows rows by node, leased for ttl.
func claim(t *testing.T, s concord.JobStore, node string, rows, perMember int, ttl time.Duration) *concord.JobLease {
	t.Helper()
	l, err := s.ClaimRows(as(t, node, ""), concord.JobClaim{Node: node, Rows: rows, TTL: ttl, PerMember: perMember})
	if err != nil {
		t.Fatalf("ClaimRows by %s: %v", node, err)
	}
	return l
}

func leased(l *concord.JobLease) string {
	if l == nil {
		return "nothing"
	}
	return l.Job.ID + " " + rowNs(l.Rows)
}

// complete completes every row of a lease, with an alert on even rows.
func complete(t *testing.T, s concord.JobStore, l *concord.JobLease) error {
	rows := done(l.Job.ID, ns(l.Rows)...)
	var alerts []concord.Alert
	for _, r := range rows {
		if r.N%2 == 0 {
			alerts = append(alerts, alert(l.Job.ID, r.N, "Q1"))
		}
	}
	return s.CompleteRows(as(t, l.Node, l.Job.Member), l.Job.ID, rows, alerts)
}

func ns(rows []concord.JobRow) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		out[i] = r.N
	}
	return out
}

// testJobQueue: claims take rows in order, each row once while leased; a
// lease is renewed, completing a chunk ends it, and the last row finishes
// the job; a lease that expired is taken over by another node, whose
// results count once even when the first node completes too; the claim is
// audited.
func testJobQueue(t *testing.T, s Service) {
	newJob(t, s, "job-q", "es", 5)
	const hour = time.Hour
	if _, err := s.ClaimRows(ctx(t), concord.JobClaim{Node: "a", Rows: 0, TTL: hour}); concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("claim of no rows: %v", err)
	}
	a := claim(t, s, "node-a", 2, 1, hour)
	if leased(a) != "job-q [0 1]" || a.Node != "node-a" || a.Job.Status != concord.JobRunning || a.Job.Owner != "alice" ||
		string(a.Rows[1].Query) != `{"name":"Traveller 2"}` || a.Rows[1].Key != "t2" {
		t.Fatalf("first claim: %+v", a)
	}
	wantEvent(t, s, "node-a", "job.claim", "job-q", "rows 0-1 to node-a")
	if j, _ := s.Job(ctx(t), "job-q"); j.Status != concord.JobRunning {
		t.Errorf("job after its first claim: %s", j.Status)
	}
	b := claim(t, s, "node-b", 2, 1, hour)
	if leased(b) != "job-q [2 3]" {
		t.Fatalf("second claim: %s", leased(b))
	}
	before := a.Until
	if err := s.RenewLease(ctx(t), a, 2*hour); err != nil || !a.Until.After(before) {
		t.Errorf("renew: %v, until %v (was %v)", err, a.Until, before)
	}
	if err := complete(t, s, a); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "renewing a completed lease", s.RenewLease(ctx(t), a, hour), concord.ECONFLICT)

	// A short lease expires (the test clock moves a second at every reading)
	// and its rows go to the next claim.
	c := claim(t, s, "node-c", 5, 1, time.Second)
	if leased(c) != "job-q [4]" {
		t.Fatalf("third claim: %s", leased(c))
	}
	d := claim(t, s, "node-d", 5, 1, hour)
	if leased(d) != "job-q [4]" {
		t.Fatalf("claim after node-c's lease expired: %s", leased(d))
	}
	wantCode(t, "renewing a lease taken over", s.RenewLease(ctx(t), c, hour), concord.ECONFLICT)
	if err := complete(t, s, d); err != nil {
		t.Fatal(err)
	}
	if err := complete(t, s, c); err != nil { // node-c was only slow: its results come second
		t.Fatal(err)
	}
	if j, _ := s.Job(ctx(t), "job-q"); j.Done != 3 || j.Status != concord.JobRunning {
		t.Errorf("job with rows 2 and 3 left: done %d, %s", j.Done, j.Status)
	}
	if err := complete(t, s, b); err != nil {
		t.Fatal(err)
	}
	j, _ := s.Job(ctx(t), "job-q")
	if j.Done != 5 || j.Hits != 3 || j.Status != concord.JobDone {
		t.Errorf("job after its last row: done %d hits %d %s, want 5 3 done", j.Done, j.Hits, j.Status)
	}
	if l := claim(t, s, "node-a", 5, 1, hour); l != nil {
		t.Errorf("claim with no work left: %s", leased(l))
	}
	as, _ := s.Alerts(ctx(t), concord.AlertQuery{Member: "es", JobID: "job-q"})
	if len(as) != 3 {
		t.Errorf("%d alerts, want 3 (rows 0, 2, 4 once each)", len(as))
	}
}

// testJobFairness: members take turns whatever their jobs' sizes and ages;
// a member holding its share of leases waits while others have work, and
// takes more when they have none.
func testJobFairness(t *testing.T, s Service) {
	const hour = time.Hour
	newJob(t, s, "big-es", "es", 1000)
	newJob(t, s, "big-es-2", "es", 1000)
	newJob(t, s, "small-fr", "fr", 1)
	newJob(t, s, "mid-uz", "uz", 200)
	type want struct {
		job   string
		first int
	}
	var leases []*concord.JobLease
	for i, w := range []want{
		{"big-es", 0},   // nobody served yet: the oldest job
		{"small-fr", 0}, // es holds its share
		{"mid-uz", 0},   // es and fr hold theirs
		{"big-es", 64},  // everyone holds a share: the member served longest ago
		{"mid-uz", 64},  // fr has no free row left
		{"big-es", 128}, // and so on, in turn
		{"mid-uz", 128},
		{"big-es", 192},
	} {
		l := claim(t, s, "n", 64, 1, hour)
		if l == nil || l.Job.ID != w.job || l.Rows[0].N != w.first {
			t.Fatalf("claim %d: %s, want %s from row %d", i+1, leased(l), w.job, w.first)
		}
		leases = append(leases, l)
	}
	// Completing frees the shares: the member served longest ago goes first
	// (fr has nothing left; uz was served before es).
	for _, l := range leases {
		if err := complete(t, s, l); err != nil {
			t.Fatal(err)
		}
	}
	if l := claim(t, s, "n", 64, 1, hour); l == nil || l.Job.ID != "mid-uz" {
		t.Errorf("claim after completing: %s, want mid-uz", leased(l))
	}
}

// testJobCancel: a cancelled job is claimed no more, its leases are lost,
// its rows are not completed, and it cannot be cancelled twice; rows done
// before keep their results.
func testJobCancel(t *testing.T, s Service) {
	const hour = time.Hour
	newJob(t, s, "job-c", "es", 6)
	l1 := claim(t, s, "n", 2, 1, hour)
	if err := complete(t, s, l1); err != nil {
		t.Fatal(err)
	}
	l2 := claim(t, s, "n", 2, 1, hour)
	if err := s.CancelJob(as(t, "alice", "es"), "job-c"); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "alice", "job.cancel", "job-c", "2 of 6 rows done")
	wantCode(t, "renew after cancel", s.RenewLease(ctx(t), l2, hour), concord.ECONFLICT)
	wantCode(t, "complete after cancel", complete(t, s, l2), concord.ECONFLICT)
	if l := claim(t, s, "n", 2, 1, hour); l != nil {
		t.Errorf("claim after cancel: %s", leased(l))
	}
	wantCode(t, "cancel twice", s.CancelJob(ctx(t), "job-c"), concord.ECONFLICT)
	wantCode(t, "cancel a missing job", s.CancelJob(ctx(t), "nope"), concord.ENOTFOUND)
	j, _ := s.Job(ctx(t), "job-c")
	if j.Status != concord.JobCancelled || j.Done != 2 {
		t.Errorf("cancelled job: %s, %d done", j.Status, j.Done)
	}
	if js, _ := s.UnfinishedJobs(ctx(t)); len(js) != 0 {
		t.Errorf("unfinished after cancel: %+v", js)
	}
	if rows, _ := s.JobRows(ctx(t), "job-c", -1, 0); !rows[0].Done || rows[2].Done {
		t.Errorf("rows after cancel: %+v", rows)
	}
}

// testJobErrors: the rows a job refused are stored and paged; the count may
// exceed what is stored.
func testJobErrors(t *testing.T, s Service) {
	j := &concord.Job{ID: "job-e", Kind: "csv", Owner: "alice", Member: "es", Errors: 1000, Error: "1000 rows refused"}
	errs := []concord.JobError{{Line: 3, Message: "empty name"}, {Line: 5, Message: "bad birth date"}, {Line: 9, Message: "empty name"}}
	j.Refused = errs
	if err := s.CreateJob(as(t, "alice", "es"), j, concord.JobRows([]concord.JobRow{{N: 0, Key: "t1", Query: []byte(`{}`)}})); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Job(ctx(t), "job-e")
	if got.Errors != 1000 || got.Error != "1000 rows refused" {
		t.Errorf("job: %d errors, %q", got.Errors, got.Error)
	}
	page, err := s.JobErrors(ctx(t), "job-e", -1, 2)
	if err != nil || len(page) != 2 || page[0] != (concord.JobError{N: 0, Line: 3, Message: "empty name"}) || page[1].Line != 5 {
		t.Fatalf("first page: %+v %v", page, err)
	}
	if page, err := s.JobErrors(ctx(t), "job-e", page[1].N, 2); err != nil || len(page) != 1 || page[0].Line != 9 {
		t.Errorf("second page: %+v %v", page, err)
	}
	newJob(t, s, "job-ok", "es", 1)
	if page, err := s.JobErrors(ctx(t), "job-ok", -1, 0); err != nil || len(page) != 0 {
		t.Errorf("errors of a clean job: %+v %v", page, err)
	}
	_, err = s.JobErrors(ctx(t), "nope", -1, 0)
	wantCode(t, "errors of a missing job", err, concord.ENOTFOUND)
}

// RunQueue runs the suite of the job queue shared by two nodes: open
// returns two stores on one fresh database. Workers on both claim a job's
// rows at once: every row is leased to one worker at a time and completed
// once, with its alerts once, and the job is done. With split, the rows
// must also reach workers of both nodes: true where nodes write at once
// (PostgreSQL); SQLite's writer is exclusive, and the second store's
// busy handler may sleep through a run that the first one's workers,
// handing the lock on among themselves, finish in a fifth of a second.
func RunQueue(t *testing.T, split bool, open func(t *testing.T) (a, b concord.Store)) {
	a, b := open(t)
	const rows = 600
	newJob(t, a, "job-x", "es", rows)
	newJob(t, b, "job-y", "fr", 50)
	var (
		mu    sync.Mutex
		owner = map[string]string{} // job/row -> worker
		per   = map[string]int{}    // worker -> rows
		wg    sync.WaitGroup
	)
	for si, s := range []concord.Store{a, b} {
		for w := range 3 {
			wg.Go(func() {
				node := fmt.Sprintf("node%d-w%d", si, w)
				for {
					l, err := s.ClaimRows(as(t, node, ""), concord.JobClaim{Node: node, Rows: 16, TTL: time.Hour, PerMember: 2})
					if err != nil {
						t.Error(err)
						return
					}
					if l == nil {
						return
					}
					mu.Lock()
					for _, r := range l.Rows {
						k := fmt.Sprint(l.Job.ID, "/", r.N)
						if o, ok := owner[k]; ok {
							t.Errorf("row %s claimed by %s and %s", k, o, node)
						}
						owner[k] = node
						per[node]++
					}
					mu.Unlock()
					if err := complete(t, s, l); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	if len(owner) != rows+50 {
		t.Errorf("%d rows claimed, want %d", len(owner), rows+50)
	}
	var nodes []string
	for n := range per {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	t.Logf("rows per worker: %v", per)
	if split && len(nodes) < 4 {
		t.Errorf("the rows went to %d workers: %v", len(nodes), nodes)
	}
	for _, id := range []string{"job-x", "job-y"} {
		j, err := b.Job(ctx(t), id)
		if err != nil || j.Status != concord.JobDone || j.Done != j.Total {
			t.Errorf("%s: %+v %v", id, j, err)
		}
	}
	al, _ := a.Alerts(ctx(t), concord.AlertQuery{Member: "es", JobID: "job-x", Limit: 0})
	if len(al) != rows/2 {
		t.Errorf("%d alerts, want %d", len(al), rows/2)
	}
	wantIntact(t, a, auditLen(t, a))
}
