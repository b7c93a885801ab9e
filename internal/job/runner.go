package job

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"concord"
	"concord/access"
	"concord/internal/importer/payment"
	"concord/match"
)

// Store is what the runner persists to.
type Store interface {
	concord.JobStore
	concord.AlertStore
	concord.EntityStore
}

// Runner runs the screening jobs of every node of a store. Each of its
// workers claims a chunk of rows of the next job in fair order (members take
// turns; see concord.JobStore.ClaimRows), screens them as the job's owner,
// renews its lease while it does, and commits results, alerts and progress
// together. The rows of a node that stopped are claimed by the others once
// its leases expire, and a row's result is stored once.
type Runner struct {
	Store Store
	Match func(ctx context.Context, v access.Viewer, q match.Query, opt match.Options) ([]match.Match, error)
	// Idents looks the identifiers of payment parties up exactly (accounts,
	// BICs, wallets); nil: payments are screened by name only.
	Idents func(ctx context.Context, v access.Viewer, ids []payment.Ident) ([]match.Match, error)
	// HighRisk returns the countries a member treats as high-risk for
	// payments; nil: no country flags.
	HighRisk func(ctx context.Context, member string) ([]string, error)
	// Contribute writes member records (SavePayments); OnChange is told
	// of each record written, for the indexes.
	Contribute func(ctx context.Context, stmts []concord.Statement) error
	OnChange   func(id string)
	Viewer     func(ctx context.Context, user string) (access.Viewer, error)
	Clock      concord.Clock
	Log        *slog.Logger
	Read       Options // how uploads are read
	TempDir    string  // where uploads are spooled ("": the system's)
	// Node names this node in leases and the audit (default: host-pid).
	Node string
	// Workers is how many chunks this node screens at once (default: the
	// number of CPUs).
	Workers int
	// Chunk is the rows per claim and per transaction (default 64).
	Chunk int
	// Lease is how long a claim lasts unless renewed (default 30 s); the
	// rows of a node that died wait this long for another.
	Lease time.Duration
	// PerMember is how many chunks of one member's jobs may be screened at
	// once, on all nodes together, before other members' jobs go first
	// (default 2; when no other member has work, a member takes more).
	PerMember int
	// Poll is how often an idle worker looks for work (default 2 s); a job
	// submitted here or, through the change feed, on another node wakes it
	// at once.
	Poll   time.Duration
	Limits Limits

	once  sync.Once
	mu    sync.Mutex
	woken chan struct{}
}

// Limits bound what a job may hold.
type Limits struct {
	MaxRows   int // queries per job (default 1,000,000); more is refused
	MaxErrors int // refused rows stored per job (default 1,000); the rest are counted
}

// Defaults.
const (
	DefaultChunk     = 64
	DefaultLease     = 30 * time.Second
	DefaultPerMember = 2
	DefaultMaxRows   = 1_000_000
	DefaultMaxErrors = 1000
)

func (r *Runner) init() {
	r.once.Do(func() {
		if r.Chunk <= 0 {
			r.Chunk = DefaultChunk
		}
		if r.Lease <= 0 {
			r.Lease = DefaultLease
		}
		if r.PerMember <= 0 {
			r.PerMember = DefaultPerMember
		}
		if r.Workers <= 0 {
			r.Workers = runtime.GOMAXPROCS(0)
		}
		if r.Poll <= 0 {
			r.Poll = 2 * time.Second
		}
		if r.Limits.MaxRows <= 0 {
			r.Limits.MaxRows = DefaultMaxRows
		}
		if r.Limits.MaxErrors <= 0 {
			r.Limits.MaxErrors = DefaultMaxErrors
		}
		if r.Node == "" {
			r.Node = DefaultNode()
		}
		if r.Log == nil {
			r.Log = slog.Default()
		}
		if r.Clock == nil {
			r.Clock = concord.SystemClock{}
		}
	})
}

// DefaultNode names a node after its host and process: host-pid.
func DefaultNode() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// Wake makes the idle workers look for work now (a job was submitted here
// or, as the change feed tells, on another node).
func (r *Runner) Wake() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.woken != nil {
		close(r.woken)
		r.woken = nil
	}
}

func (r *Runner) waiter() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.woken == nil {
		r.woken = make(chan struct{})
	}
	return r.woken
}

// Run runs the workers until ctx ends, then returns nil; a worker stopped in
// the middle of a chunk gives its lease back.
func (r *Runner) Run(ctx context.Context) error {
	r.init()
	var wg sync.WaitGroup
	for range r.Workers {
		wg.Go(func() { r.loop(ctx) })
	}
	wg.Wait()
	return nil
}

// loop claims and screens chunks until ctx ends.
func (r *Runner) loop(ctx context.Context) {
	node := concord.WithActor(ctx, concord.Actor{User: "system", Via: "job"})
	for ctx.Err() == nil {
		woken := r.waiter()
		l, err := r.Store.ClaimRows(node, concord.JobClaim{Node: r.Node, Rows: r.Chunk, TTL: r.Lease, PerMember: r.PerMember})
		if err != nil && ctx.Err() == nil {
			r.Log.Error("claiming job rows", "node", r.Node, "err", err)
		}
		if err != nil || l == nil {
			select {
			case <-ctx.Done():
			case <-woken:
			case <-time.After(r.Poll):
			}
			continue
		}
		if err := r.work(ctx, l); err != nil && ctx.Err() == nil {
			r.Log.Error("screening job failed", "job", l.Job.ID, "node", r.Node, "err", err)
			_ = r.Store.SetJobStatus(ctx, l.Job.ID, concord.JobFailed, concord.ErrorMessage(err))
		}
	}
}

// RunJob screens one job now, in the caller's goroutine, claiming its rows
// chunk by chunk: how a command that has just stored a job (concord pnr
// import) screens it without a server.
func (r *Runner) RunJob(ctx context.Context, id string) error {
	r.init()
	node := concord.WithActor(ctx, concord.Actor{User: "system", Via: "job"})
	for {
		l, err := r.Store.ClaimRows(node, concord.JobClaim{Node: r.Node, Rows: r.Chunk, TTL: r.Lease, PerMember: r.PerMember, JobID: id})
		if err != nil || l == nil {
			return err
		}
		if err := r.work(ctx, l); err != nil {
			_ = r.Store.SetJobStatus(ctx, id, concord.JobFailed, concord.ErrorMessage(err))
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// work screens the rows of a lease as the job's owner and completes them,
// renewing the lease every third of its time meanwhile. A lost lease (the
// job was cancelled, or the rows were taken over after a stall) stops the
// chunk; so does ctx, and the rows are given back.
func (r *Runner) work(ctx context.Context, l *concord.JobLease) error {
	j := &l.Job
	v, err := r.Viewer(ctx, j.Owner)
	if err != nil {
		return fmt.Errorf("job %s: owner %s: %w", j.ID, j.Owner, err)
	}
	if first := l.Rows[0].N; first == 0 {
		r.Log.Info("screening job", "job", j.ID, "rows", j.Total, "node", r.Node)
	} else {
		r.Log.Debug("screening job rows", "job", j.ID, "first", first, "rows", len(l.Rows), "node", r.Node)
	}
	lctx, lose := context.WithCancel(ctx)
	stopRenewing := r.renew(lctx, lose, l)
	defer func() {
		stopRenewing()
		if ctx.Err() != nil { // shutting down: the rows go to the others now
			_ = r.Store.RenewLease(context.WithoutCancel(ctx), l, 0)
		}
	}()
	owner := concord.Actor{User: j.Owner, Member: j.Member, Via: "job"}
	rows, alerts, err := r.screen(concord.WithActor(lctx, owner), v, l)
	if lctx.Err() != nil {
		return nil
	}
	if err != nil {
		return err
	}
	stopRenewing() // the completion ends the lease
	err = r.Store.CompleteRows(concord.WithActor(ctx, owner), j.ID, rows, alerts)
	if concord.ErrorCode(err) == concord.ECONFLICT || ctx.Err() != nil { // cancelled or failed meanwhile; shutting down
		return nil
	}
	return err
}

// renew renews l every third of the lease time until stop is called (it
// waits for a renewal in flight); a lost lease calls lose.
func (r *Runner) renew(ctx context.Context, lose func(), l *concord.JobLease) (stop func()) {
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(r.Lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if err := r.Store.RenewLease(ctx, l, r.Lease); concord.ErrorCode(err) == concord.ECONFLICT {
				r.Log.Info("lease lost", "job", l.Job.ID, "node", r.Node, "rows", len(l.Rows))
				lose()
				return
			} else if err != nil && ctx.Err() == nil {
				r.Log.Warn("renewing a lease", "job", l.Job.ID, "node", r.Node, "err", err)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done) })
		<-stopped
	}
}

// screen screens the rows of l and returns them with their results and
// the alerts they raise.
func (r *Runner) screen(ctx context.Context, v access.Viewer, l *concord.JobLease) ([]concord.JobRow, []concord.Alert, error) {
	j := &l.Job
	rows := l.Rows
	qs := make([]Query, len(rows))
	for i, row := range rows {
		if err := json.Unmarshal(row.Query, &qs[i]); err != nil {
			return nil, nil, fmt.Errorf("job %s row %d: %w", j.ID, row.N, err)
		}
	}
	opt := match.Options{Threshold: j.Threshold, Limit: j.Limit}
	m := Matchers{Names: func(ctx context.Context, q match.Query) ([]match.Match, error) {
		return r.Match(ctx, v, q, opt)
	}, Limit: j.Limit}
	if r.Idents != nil {
		m.Idents = func(ctx context.Context, ids []payment.Ident) ([]match.Match, error) { return r.Idents(ctx, v, ids) }
	}
	if r.HighRisk != nil && IsPayment(j.Kind) {
		var err error
		if m.HighRisk, err = r.HighRisk(ctx, j.Member); err != nil {
			return nil, nil, err
		}
		m.Member = j.Member
	}
	results, err := NewScreener(m).Screen(ctx, qs, 1, nil)
	if err != nil {
		return nil, nil, err
	}
	var alerts []concord.Alert
	f := v.Filter()
	for i := range rows {
		as, vers, err := r.alerts(ctx, j, f, rows[i], &qs[i], results[i].Matches, results[i].Flags)
		if err != nil {
			return nil, nil, err
		}
		alerts = append(alerts, as...)
		results[i].Versions = vers
		rows[i].Result, _ = json.Marshal(&results[i])
		rows[i].Done = true
	}
	return rows, alerts, nil
}

// alerts turns a row's matches into alerts, leaving out the pairs the member
// dismissed against the same version of the listed record. The version is
// that of the record as the job's owner sees it (concord.Entity.Version):
// what a reviewer of the member saw when dismissing, so that a statement
// hidden from the member neither re-arms a dismissal nor shows in the
// version, which the member could otherwise recompute from its own view to
// learn that hidden statements exist. It also returns the version of each
// match's record, stored with the row's result (see internal/recheck).
func (r *Runner) alerts(ctx context.Context, j *concord.Job, view concord.Filter, row concord.JobRow, q *Query, ms []match.Match, flags []Flag) ([]concord.Alert, []string, error) {
	var out []concord.Alert
	var vers []string
	ident := Identity(q)
	// A flag is an alert of lower priority (FlagScore) on "country:XX",
	// dismissed like a hit: the same counterparty is not flagged again for
	// the same country.
	for _, f := range flags {
		id := "country:" + f.Country
		dismissed, err := r.Store.Dismissed(ctx, j.Member, ident, id, FlagHighRisk)
		if err != nil {
			return nil, nil, err
		}
		if dismissed || slices.ContainsFunc(out, func(a concord.Alert) bool { return a.EntityID == id }) {
			continue
		}
		fb, _ := json.Marshal(&f)
		out = append(out, concord.Alert{JobID: j.ID, Row: row.N, QueryKey: row.Key, Identity: ident,
			Member: j.Member, EntityID: id, EntityVersion: FlagHighRisk, Score: FlagScore,
			Query: row.Query, Match: fb, Status: concord.AlertPending, CreatedAt: r.Clock.Now()})
	}
	for _, m := range ms {
		e, err := r.Store.Entity(ctx, view, m.EntityID)
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			vers = append(vers, "") // no longer visible to the owner: no alert
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		ver := e.Version()
		vers = append(vers, ver)
		dismissed, err := r.Store.Dismissed(ctx, j.Member, ident, m.EntityID, ver)
		if err != nil {
			return nil, nil, err
		}
		if dismissed {
			continue
		}
		mb, _ := json.Marshal(&m)
		out = append(out, concord.Alert{JobID: j.ID, Row: row.N, QueryKey: row.Key, Identity: ident,
			Member: j.Member, EntityID: m.EntityID, EntityVersion: ver, Score: m.Score,
			Query: row.Query, Match: mb, Status: concord.AlertPending, CreatedAt: r.Clock.Now()})
	}
	out, err := dropLoneMinors(ctx, r.Store, out)
	if err != nil {
		return nil, nil, err
	}
	return out, vers, nil
}

// Identity is the hash of what identifies a screened person: name (case and
// spacing folded), birth date, nationality and document number; for a
// payment party also its account, BIC and identifiers.
func Identity(q *Query) string {
	name := strings.Join(strings.Fields(strings.ToLower(q.Name)), " ")
	parts := []string{name, q.BirthDate, q.Nationality, strings.ToUpper(q.DocumentNumber)}
	if pi := paymentIdentity(q); pi != "" {
		parts = append(parts, pi)
	}
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "job-" + hex.EncodeToString(b[:])
}
