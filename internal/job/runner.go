package job

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
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

// Runner runs screening jobs in the background. Rows are screened in chunks;
// each chunk's results, alerts and progress are committed in one
// transaction, so a job interrupted at any point resumes with exactly the
// rows not yet done.
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
	Workers    int
	Chunk      int     // rows per transaction (default 64)
	Read       Options // how uploads are read
	TempDir    string  // where uploads are spooled ("": the system's)

	once sync.Once
	wake chan struct{}
}

func (r *Runner) init() {
	r.once.Do(func() {
		r.wake = make(chan struct{}, 1)
		if r.Chunk <= 0 {
			r.Chunk = 64
		}
		if r.Log == nil {
			r.Log = slog.Default()
		}
		if r.Clock == nil {
			r.Clock = concord.SystemClock{}
		}
	})
}

// Submit stores a new job from a query CSV, a PAXLST manifest, a PNRGOV
// push or a payment message read from
// body and wakes the runner. The upload is spooled to a temporary file
// first (so that no transaction waits on a slow client), then parsed as a
// stream into the store: memory stays bounded whatever its size. Bad CSV
// rows are skipped and summarised in the job's error field (the first
// maxBadRows of them named); a batch with no valid row is refused, and so
// is a manifest with any error. An error reading body (such as
// *http.MaxBytesError) is returned as it is.
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

// Wake makes the runner look for unfinished jobs now (one was submitted
// here or, as the change feed tells, on another node).
func (r *Runner) Wake() {
	r.init()
	select {
	case r.wake <- struct{}{}:
	default:
	}
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
		j.Meta = meta
		if nbad > 0 {
			j.Error = fmt.Sprintf("%d rows skipped: %s", nbad, strings.Join(bad, "; "))
			if nbad > len(bad) {
				j.Error += fmt.Sprintf("; and %d more", nbad-len(bad))
			}
		}
	}
}

// Run processes unfinished jobs until ctx ends, then returns nil. Jobs left
// running by a previous process are resumed first.
func (r *Runner) Run(ctx context.Context) error {
	r.init()
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		jobs, err := r.Store.UnfinishedJobs(ctx)
		if err != nil && ctx.Err() == nil {
			r.Log.Error("listing jobs", "err", err)
		}
		for i := range jobs {
			if ctx.Err() != nil {
				return nil
			}
			if err := r.process(ctx, &jobs[i]); err != nil && ctx.Err() == nil {
				r.Log.Error("screening job failed", "job", jobs[i].ID, "err", err)
				_ = r.Store.SetJobStatus(ctx, jobs[i].ID, concord.JobFailed, concord.ErrorMessage(err))
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.wake:
		case <-tick.C:
		}
	}
}

// RunJob screens one job now, in the caller's goroutine: how a command
// that has just stored a job (concord pnr import) screens it without a
// server.
func (r *Runner) RunJob(ctx context.Context, id string) error {
	r.init()
	j, err := r.Store.Job(ctx, id)
	if err != nil {
		return err
	}
	if err := r.process(ctx, j); err != nil {
		_ = r.Store.SetJobStatus(ctx, j.ID, concord.JobFailed, concord.ErrorMessage(err))
		return err
	}
	return nil
}

func (r *Runner) process(ctx context.Context, j *concord.Job) error {
	v, err := r.Viewer(ctx, j.Owner)
	if err != nil {
		return fmt.Errorf("job %s: owner %s: %w", j.ID, j.Owner, err)
	}
	if err := r.Store.SetJobStatus(ctx, j.ID, concord.JobRunning, j.Error); err != nil {
		return err
	}
	r.Log.Info("screening job", "job", j.ID, "rows", j.Total, "done", j.Done)
	ctx = concord.WithActor(ctx, concord.Actor{User: j.Owner, Member: j.Member, Via: "job"})
	opt := match.Options{Threshold: j.Threshold, Limit: j.Limit}
	m := Matchers{Names: func(ctx context.Context, q match.Query) ([]match.Match, error) {
		return r.Match(ctx, v, q, opt)
	}, Limit: j.Limit}
	if r.Idents != nil {
		m.Idents = func(ctx context.Context, ids []payment.Ident) ([]match.Match, error) { return r.Idents(ctx, v, ids) }
	}
	if r.HighRisk != nil && IsPayment(j.Kind) {
		if m.HighRisk, err = r.HighRisk(ctx, j.Member); err != nil {
			return err
		}
		m.Member = j.Member
	}
	sc := NewScreener(m)
	f := v.Filter()
	for {
		rows, err := r.Store.PendingRows(ctx, j.ID, r.Chunk)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			break
		}
		qs := make([]Query, len(rows))
		for i, row := range rows {
			if err := json.Unmarshal(row.Query, &qs[i]); err != nil {
				return fmt.Errorf("job %s row %d: %w", j.ID, row.N, err)
			}
		}
		results, err := sc.Screen(ctx, qs, r.Workers, nil)
		if err != nil {
			return err
		}
		var alerts []concord.Alert
		for i := range rows {
			as, vers, err := r.alerts(ctx, j, f, rows[i], &qs[i], results[i].Matches, results[i].Flags)
			if err != nil {
				return err
			}
			alerts = append(alerts, as...)
			results[i].Versions = vers
			rows[i].Result, _ = json.Marshal(&results[i])
			rows[i].Done = true
		}
		if err := r.Store.CompleteRows(ctx, j.ID, rows, alerts); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return r.Store.SetJobStatus(ctx, j.ID, concord.JobDone, j.Error)
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
