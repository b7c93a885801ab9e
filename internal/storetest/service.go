package storetest

import (
	"context"
	"testing"

	"concord"
)

// Service is the store under test: concord.Store holds accounts,
// contributions, the audit, screening jobs and alerts.
type Service = concord.Store

// Exec runs a raw SQL statement on the store's database, bypassing the store:
// the audit tests tamper with the chain through it. Statements use no
// parameters and only SQL that both dialects accept.
type Exec func(ctx context.Context, query string) error

// RunService runs the suite of accounts, contributions, the audit chain,
// jobs and alerts. open returns a new, empty store (closed by t.Cleanup) and
// a way to run raw SQL on its database.
func RunService(t *testing.T, open func(t *testing.T) (Service, Exec)) {
	store := func(t *testing.T) Service { s, _ := open(t); return s }
	t.Run("Users", func(t *testing.T) { testUsers(t, store(t)) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, store(t)) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, store(t)) })
	t.Run("Contribute", func(t *testing.T) { testContribute(t, store(t)) })
	t.Run("ReshareRetract", func(t *testing.T) { testReshareRetract(t, store(t)) })
	t.Run("AuditAppend", func(t *testing.T) { testAuditAppend(t, store(t)) })
	t.Run("AuditQuery", func(t *testing.T) { testAuditQuery(t, store(t)) })
	t.Run("AuditConcurrent", func(t *testing.T) { testAuditConcurrent(t, store(t)) })
	t.Run("AuditRollback", func(t *testing.T) { testAuditRollback(t, store(t)) })
	t.Run("AuditWrites", func(t *testing.T) { testAuditWrites(t, store(t)) })
	t.Run("AuditTamper", func(t *testing.T) { testAuditTamper(t, open) })
	t.Run("AuditKeyed", func(t *testing.T) { testAuditKeyed(t, open) })
	t.Run("AuditMemberView", func(t *testing.T) { testAuditMemberView(t, store(t)) })
	t.Run("Jobs", func(t *testing.T) { testJobs(t, store(t)) })
	t.Run("JobRowsStream", func(t *testing.T) { testJobRowsStream(t, store(t)) })
	t.Run("JobKillSafety", func(t *testing.T) { testJobKillSafety(t, store(t)) })
	t.Run("JobQueue", func(t *testing.T) { testJobQueue(t, store(t)) })
	t.Run("JobFairness", func(t *testing.T) { testJobFairness(t, store(t)) })
	t.Run("JobCancel", func(t *testing.T) { testJobCancel(t, store(t)) })
	t.Run("JobErrors", func(t *testing.T) { testJobErrors(t, store(t)) })
	t.Run("Alerts", func(t *testing.T) { testAlerts(t, store(t)) })
	t.Run("Dismissed", func(t *testing.T) { testDismissed(t, store(t)) })
	t.Run("Workflow", func(t *testing.T) { testWorkflow(t, store(t)) })
	t.Run("WorkflowConcurrent", func(t *testing.T) { testWorkflowConcurrent(t, store(t)) })
	t.Run("RetentionStore", func(t *testing.T) { testRetentionStore(t, store(t)) })
}

// as is a context acting as user of member through the API.
func as(t *testing.T, user, member string) context.Context {
	return concord.WithActor(t.Context(), concord.Actor{User: user, Member: member, Via: "api"})
}

// auditLen is the number of rows in the audit.
func auditLen(t *testing.T, s concord.AuditStore) int {
	t.Helper()
	evs, err := s.AuditEvents(ctx(t), concord.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

// lastEvent is the newest audit row.
func lastEvent(t *testing.T, s concord.AuditStore) concord.AuditEvent {
	t.Helper()
	evs, err := s.AuditEvents(ctx(t), concord.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) == 0 {
		t.Fatal("audit is empty")
	}
	return evs[len(evs)-1]
}

// wantEvent checks the newest audit row.
func wantEvent(t *testing.T, s concord.AuditStore, user, action, object, detail string) {
	t.Helper()
	ev := lastEvent(t, s)
	if ev.Actor != user || ev.Action != action || ev.Object != object || (detail != "" && ev.Detail != detail) {
		t.Errorf("last audit event %+v, want actor %s action %s object %s detail %q", ev, user, action, object, detail)
	}
}
