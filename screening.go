package concord

import (
	"context"
	"encoding/json"
	"iter"
	"time"
)

// Job statuses.
const (
	JobQueued    = "queued"
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// JobFinished reports whether a job of this status will not run again.
func JobFinished(status string) bool {
	return status == JobDone || status == JobFailed || status == JobCancelled
}

// Job is a background screening of a batch of queries: a CSV in the
// `concord screen` format, the travellers of a PAXLST manifest or of the PNRs
// of a PNRGOV push, a payment message. Its rows are stored when the job is
// created. Nodes claim rows in chunks (JobLease); a row's result is stored
// once, and rows of a node that stopped are taken over by another when its
// lease expires.
type Job struct {
	ID        string  `json:"id"`
	Kind      string  `json:"kind"` // "csv", "paxlst" or "pnrgov"
	Source    string  `json:"source,omitempty"`
	Owner     string  `json:"owner"`  // user
	Member    string  `json:"member"` // the owner's member: alerts belong to it
	Status    string  `json:"status"`
	Threshold float64 `json:"threshold"`
	Limit     int     `json:"limit"`
	Total     int     `json:"total"`
	Done      int     `json:"done"`
	Hits      int     `json:"hits"`
	Errors    int     `json:"errors"`          // input rows refused (see JobError)
	Error     string  `json:"error,omitempty"` // why it failed, or a summary of the refused rows
	Meta      string  `json:"meta,omitempty"`  // JSON: flight, legs... of a manifest
	// Refused are input rows refused when the job was made, stored by
	// CreateJob (read them back with JobErrors).
	Refused   []JobError `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// JobRow is one query of a job, and its result once screened.
type JobRow struct {
	JobID  string          `json:"job_id"`
	N      int             `json:"n"`      // 0-based position in the job
	Key    string          `json:"key"`    // the query's id, e.g. "t1" or "m1-p3"
	Query  json.RawMessage `json:"query"`  // JSON of the query
	Result json.RawMessage `json:"result"` // JSON of the result line; nil until screened
	Done   bool            `json:"done"`
}

// JobError is an input row a job refused (its other rows are screened):
// stored per row, at most a configured number per job, the rest counted.
type JobError struct {
	N       int    `json:"n"`    // 0-based position among the job's errors
	Line    int    `json:"line"` // 1-based line in the upload
	Message string `json:"message"`
}

// JobClaim asks for work: a chunk of rows of the next job in fair order.
type JobClaim struct {
	Node string        // the claiming node
	Rows int           // rows at most
	TTL  time.Duration // the lease lasts this long unless renewed
	// PerMember is how many leases a member's jobs may hold before the
	// jobs of members holding fewer go first; when no other member has
	// work, a member may take more.
	PerMember int
	// JobID, if set, claims rows of this job only.
	JobID string
}

// JobLease is rows of a job that one node holds until Until: it screens
// them, renews the lease while it does, and completes them. Rows whose
// lease expired can be claimed by another node.
type JobLease struct {
	ID    int64     `json:"id"`
	Job   Job       `json:"job"`
	Node  string    `json:"node"`
	Rows  []JobRow  `json:"rows"`
	Until time.Time `json:"until"`
}

// Alert statuses.
const (
	AlertPending   = "pending"
	AlertConfirmed = "confirmed"
	// AlertConfirming is a confirmation one reviewer proposed for a
	// member that wants four eyes on confirmations: another reviewer of
	// the member confirms it (or dismisses it) to decide.
	AlertConfirming = "confirming"
	AlertDismissed  = "dismissed"
)

// Alert is a hit above threshold waiting for, or carrying, a person's
// decision. Nothing acts on an alert automatically.
type Alert struct {
	ID            int64           `json:"id"`
	JobID         string          `json:"job_id"`
	Row           int             `json:"row"`
	QueryKey      string          `json:"query_key"`
	Identity      string          `json:"identity"` // hash of the screened identity (name, birth date, nationality, document)
	Member        string          `json:"member"`   // member that screened: only it sees the alert
	EntityID      string          `json:"entity_id"`
	EntityVersion string          `json:"entity_version"` // hash of the listed record when the alert was raised
	Score         float64         `json:"score"`
	Query         json.RawMessage `json:"query"` // the screened query
	Match         json.RawMessage `json:"match"` // the match with its explanation
	Status        string          `json:"status"`
	Reviewer      string          `json:"reviewer,omitempty"`
	Reason        string          `json:"reason,omitempty"`
	CreatedAt     time.Time       `json:"created_at"`
	DecidedAt     *time.Time      `json:"decided_at,omitempty"`
}

// AlertQuery selects alerts.
type AlertQuery struct {
	Member   string // required unless All
	All      bool
	Status   string
	JobID    string
	Identity string // the screened identity's hash (Alert.Identity)
	After    int64
	Limit    int
}

// JobRows yields rows, for CreateJob.
func JobRows(rows []JobRow) iter.Seq2[JobRow, error] {
	return func(yield func(JobRow, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// JobStore keeps screening jobs and their rows, and is the queue through
// which nodes share them.
type JobStore interface {
	// CreateJob stores a job and its rows, numbered 0, 1, 2 ... in order,
	// in one transaction: an error from rows (a bad upload found late)
	// leaves nothing. Rows are consumed as they come, so an upload of any
	// size costs the store bounded memory; the producer of rows may set j's
	// Error, Meta, Errors and Refused (the input rows it refused, stored
	// per row; Errors may count more) while they are consumed, and
	// CreateJob stores j as it is once they end, with Total the number of
	// rows.
	CreateJob(ctx context.Context, j *Job, rows iter.Seq2[JobRow, error]) error
	Job(ctx context.Context, id string) (*Job, error)
	Jobs(ctx context.Context, member string) ([]Job, error) // member "" = all
	// UnfinishedJobs returns queued and running jobs, oldest first.
	UnfinishedJobs(ctx context.Context) ([]Job, error)
	PendingRows(ctx context.Context, jobID string, limit int) ([]JobRow, error)
	// ClaimRows leases to c.Node up to c.Rows rows, neither done nor
	// leased, of the next job with such rows: members take turns (the one
	// served longest ago first, members over c.PerMember leases last), a
	// member's jobs oldest first. Nil when there is no work. Nodes claiming
	// at once get different rows.
	ClaimRows(ctx context.Context, c JobClaim) (*JobLease, error)
	// RenewLease extends l by ttl from now (ttl 0 gives the rows back at
	// once). ECONFLICT when l is lost: it expired and another node took its
	// rows, or its job finished, failed or was cancelled.
	RenewLease(ctx context.Context, l *JobLease, ttl time.Duration) error
	// CompleteRows stores the results of rows and their alerts and advances
	// the job's progress, in one transaction; the job is done when its last
	// row is. Rows already done are left alone with their alerts, so a
	// row's result and alerts are stored once. ECONFLICT for a cancelled or
	// failed job.
	CompleteRows(ctx context.Context, jobID string, rows []JobRow, alerts []Alert) error
	SetJobStatus(ctx context.Context, id, status, errMsg string) error
	// CancelJob stops an unfinished job: no row is claimed or completed
	// after it (those done keep their results). ECONFLICT when the job had
	// finished.
	CancelJob(ctx context.Context, id string) error
	JobRows(ctx context.Context, jobID string, after, limit int) ([]JobRow, error)
	// JobErrors returns up to limit stored errors of a job after position
	// after (-1: from the first).
	JobErrors(ctx context.Context, jobID string, after, limit int) ([]JobError, error)
}

// AlertStore keeps alerts and their decisions.
type AlertStore interface {
	Alerts(ctx context.Context, q AlertQuery) ([]Alert, error)
	Alert(ctx context.Context, id int64) (*Alert, error)
	// DecideAlert confirms or dismisses a pending alert, or proposes its
	// confirmation (AlertConfirming); a proposed confirmation is then
	// confirmed or dismissed. ECONFLICT when it was already decided (or
	// proposed, for a second proposal).
	DecideAlert(ctx context.Context, id int64, status, reviewer, reason string) error
	// DecideAlertSeen is DecideAlert on the listed record as the reviewer
	// saw it: its version (concord.Entity.Version) replaces the alert's, so
	// that a dismissal holds until the record changes from what was
	// reviewed. "" keeps the alert's version.
	DecideAlertSeen(ctx context.Context, id int64, status, reviewer, reason, entityVersion string) error
	// Dismissed reports whether member dismissed this identity against this
	// version of the listed record.
	Dismissed(ctx context.Context, member, identity, entityID, entityVersion string) (bool, error)
}
