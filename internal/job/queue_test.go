package job_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/access"
	"concord/internal/job"
	"concord/internal/store"
	"concord/match"
)

// fixture is a store with one listed record and runners on it.
type fixture struct {
	t  *testing.T
	st *store.DB
}

func newFixture(t *testing.T) *fixture {
	st, err := store.OpenSQLite(t.Context(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := concord.NewEntity("un-1", "Person")
	e.Add("name", "Seif al Adel")
	if _, err := st.Import(t.Context(), &concord.ImportBatch{Dataset: "un", Statements: e.Statements(concord.Provenance{
		Dataset: "un", SourceRef: "un:1", Audience: concord.AudiencePublic, Handling: concord.TLPClear})}); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, st: st}
}

// runner is a node: its matcher takes delay per query and finds un-1 for
// "Seif al Adel".
func (f *fixture) runner(node string, workers int, delay time.Duration) *job.Runner {
	return &job.Runner{
		Store: f.st, Node: node, Workers: workers, Chunk: 8, Lease: time.Second, Poll: 50 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Match: func(ctx context.Context, v access.Viewer, q match.Query, opt match.Options) ([]match.Match, error) {
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if q.Name == "Seif al Adel" {
				return []match.Match{{EntityID: "un-1", Caption: "Seif al Adel", Score: 0.99}}, nil
			}
			return nil, nil
		},
		Viewer: func(_ context.Context, user string) (access.Viewer, error) {
			member, _, _ := strings.Cut(user, "-")
			return access.Viewer{User: user, Member: member, Roles: []concord.Role{concord.RoleAnalyst}}, nil
		},
	}
}

// start runs r until the test ends.
func (f *fixture) start(r *job.Runner) context.CancelFunc {
	ctx, cancel := context.WithCancel(f.t.Context())
	var wg sync.WaitGroup
	wg.Go(func() { _ = r.Run(ctx) })
	f.t.Cleanup(func() { cancel(); wg.Wait() })
	return func() { cancel(); wg.Wait() }
}

// submit submits n rows as user (member: the part before "-"); every 10th
// row is a listed name.
func (f *fixture) submit(r *job.Runner, user string, n int) *concord.Job {
	var b strings.Builder
	b.WriteString("id,name\n")
	for i := range n {
		if i%10 == 3 {
			fmt.Fprintf(&b, "r%d,Seif al Adel\n", i)
		} else {
			fmt.Fprintf(&b, "r%d,Traveller %d\n", i, i)
		}
	}
	member, _, _ := strings.Cut(user, "-")
	v := access.Viewer{User: user, Member: member, Roles: []concord.Role{concord.RoleAnalyst}}
	j, err := r.Submit(concord.WithActor(f.t.Context(), concord.Actor{User: user, Member: member, Via: "api"}), v, "", "t.csv", strings.NewReader(b.String()), 0.8, 5)
	if err != nil {
		f.t.Fatal(err)
	}
	return j
}

func (f *fixture) job(id string) *concord.Job {
	j, err := f.st.Job(f.t.Context(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return j
}

// waitFor polls cond for up to 20 s.
func (f *fixture) waitFor(what string, cond func() bool) {
	f.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			f.t.Fatalf("%s: not within 20 s", what)
		}
	}
}

// TestRunnersShareAJob: two nodes screen one job together; every row's
// result and alerts are stored once, and the job is done.
func TestRunnersShareAJob(t *testing.T) {
	f := newFixture(t)
	a, b := f.runner("node-a", 2, time.Millisecond), f.runner("node-b", 2, time.Millisecond)
	// A lease that outlives a chunk on a loaded machine: the test counts
	// claims, and a chunk whose lease ran out is claimed again (rightly).
	a.Lease, b.Lease = 30*time.Second, 30*time.Second
	j := f.submit(a, "es-amina", 400)
	f.start(a)
	f.start(b)
	f.waitFor("job done", func() bool { return f.job(j.ID).Status == concord.JobDone })
	got := f.job(j.ID)
	if got.Done != 400 || got.Hits != 40 {
		t.Errorf("job: done %d hits %d, want 400 and 40", got.Done, got.Hits)
	}
	rows, _ := f.st.JobRows(t.Context(), j.ID, -1, 0)
	for i, r := range rows {
		if !r.Done || !strings.Contains(string(r.Result), fmt.Sprintf(`"id":"r%d"`, i)) {
			t.Fatalf("row %d: %+v", i, r)
		}
	}
	as, _ := f.st.Alerts(t.Context(), concord.AlertQuery{Member: "es", JobID: j.ID})
	if len(as) != 40 {
		t.Errorf("%d alerts, want 40", len(as))
	}
	claims, _ := f.st.AuditEvents(t.Context(), concord.AuditQuery{Action: "job.claim"})
	per := map[string]int{}
	for _, ev := range claims {
		per[ev.Detail[strings.LastIndex(ev.Detail, " ")+1:]]++
	}
	if per["node-a"] == 0 || per["node-b"] == 0 || per["node-a"]+per["node-b"] != 50 {
		t.Errorf("chunks per node: %v (want both, 50 in all)", per)
	}
}

// TestRunnerFairness: a one-row job of another member finishes while a
// large job that was there first still runs.
func TestRunnerFairness(t *testing.T) {
	f := newFixture(t)
	r := f.runner("node", 1, 2*time.Millisecond)
	big := f.submit(r, "es-amina", 3000)
	f.start(r)
	f.waitFor("big job started", func() bool { return f.job(big.ID).Done > 0 })
	small := f.submit(r, "fr-jean", 1)
	start := time.Now()
	f.waitFor("small job done", func() bool { return f.job(small.ID).Status == concord.JobDone })
	b := f.job(big.ID)
	t.Logf("one-row job done after %v; the big one at %d/%d", time.Since(start), b.Done, b.Total)
	if b.Done == b.Total {
		t.Errorf("the small job waited for the big one")
	}
}

// TestRunnerCancel: a cancelled job stops: no row is completed after it,
// those done keep their results.
func TestRunnerCancel(t *testing.T) {
	f := newFixture(t)
	r := f.runner("node", 2, 2*time.Millisecond)
	j := f.submit(r, "es-amina", 3000)
	f.start(r)
	f.waitFor("job started", func() bool { return f.job(j.ID).Done >= 16 })
	ctx := concord.WithActor(t.Context(), concord.Actor{User: "es-amina", Member: "es", Via: "api"})
	if err := f.st.CancelJob(ctx, j.ID); err != nil {
		t.Fatal(err)
	}
	at := f.job(j.ID).Done
	time.Sleep(300 * time.Millisecond)
	got := f.job(j.ID)
	if got.Status != concord.JobCancelled || got.Done != at || got.Done == got.Total {
		t.Errorf("after cancel: %s, %d done (%d at the cancel) of %d", got.Status, got.Done, at, got.Total)
	}
}

// TestRunnerTakesOver: rows leased by a node that died (it claimed them and
// was never heard of again) are screened by another once the lease expires.
func TestRunnerTakesOver(t *testing.T) {
	f := newFixture(t)
	r := f.runner("node-b", 1, 0)
	j := f.submit(r, "es-amina", 40)
	dead, err := f.st.ClaimRows(t.Context(), concord.JobClaim{Node: "node-dead", Rows: 16, TTL: 500 * time.Millisecond, PerMember: 1})
	if err != nil || len(dead.Rows) != 16 {
		t.Fatalf("claim of the node that dies: %+v %v", dead, err)
	}
	f.start(r)
	f.waitFor("job done", func() bool { return f.job(j.ID).Status == concord.JobDone })
	if got := f.job(j.ID); got.Done != 40 || got.Hits != 4 {
		t.Errorf("job: %+v", got)
	}
	if err := f.st.RenewLease(t.Context(), dead, time.Second); concord.ErrorCode(err) != concord.ECONFLICT {
		t.Errorf("the dead node's lease: %v", err)
	}
}

// TestRunnerGivesBack: a node that shuts down gives its rows back at once.
func TestRunnerGivesBack(t *testing.T) {
	f := newFixture(t)
	a := f.runner("node-a", 1, 20*time.Millisecond)
	a.Lease = time.Hour
	j := f.submit(a, "es-amina", 64)
	stop := f.start(a)
	f.waitFor("node-a started", func() bool { return f.job(j.ID).Done >= 8 })
	stop()
	b := f.runner("node-b", 1, 0)
	f.start(b)
	f.waitFor("job done by node-b", func() bool { return f.job(j.ID).Status == concord.JobDone })
}

// TestSubmitLimits: too many rows are refused with ETOOLARGE; refused rows
// are counted, the first ones stored, and summarised in a few words.
func TestSubmitLimits(t *testing.T) {
	f := newFixture(t)
	r := f.runner("node", 1, 0)
	r.Limits = job.Limits{MaxRows: 10, MaxErrors: 100}
	v := access.Viewer{User: "es-amina", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}}
	var b strings.Builder
	b.WriteString("id,name\n")
	for i := range 11 {
		fmt.Fprintf(&b, "r%d,Traveller %d\n", i, i)
	}
	_, err := r.Submit(t.Context(), v, "", "t.csv", strings.NewReader(b.String()), 0.8, 5)
	if concord.ErrorCode(err) != concord.ETOOLARGE || !strings.Contains(concord.ErrorMessage(err), "at most 10") {
		t.Errorf("11 rows with a limit of 10: %v", err)
	}
	b.Reset()
	b.WriteString("id,name\nr0,Traveller\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "r%d,\n", i+1)
	}
	j, err := r.Submit(t.Context(), v, "", "t.csv", strings.NewReader(b.String()), 0.8, 5)
	if err != nil {
		t.Fatal(err)
	}
	got := f.job(j.ID)
	if got.Total != 1 || got.Errors != 5000 || len(got.Error) > 4096 || !strings.HasPrefix(got.Error, "5000 rows skipped") {
		t.Errorf("job: total %d, errors %d, summary (%d bytes) %q", got.Total, got.Errors, len(got.Error), got.Error)
	}
	stored, _ := f.st.JobErrors(t.Context(), j.ID, -1, 0)
	if len(stored) != 100 || stored[0].Line != 3 {
		t.Errorf("%d errors stored, the first at line %d", len(stored), stored[0].Line)
	}
}
