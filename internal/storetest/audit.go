package storetest

import (
	"fmt"
	"sync"
	"testing"

	"concord"
	"concord/internal/audit"
)

// wantIntact verifies the chain and checks it has n rows numbered 1..n.
func wantIntact(t *testing.T, s concord.AuditStore, n int) {
	t.Helper()
	b, res, err := audit.Check(ctx(t), s)
	if err != nil {
		t.Fatal(err)
	}
	if b != nil {
		t.Fatalf("audit chain broken: %v", b)
	}
	if res.Rows != int64(n) {
		t.Errorf("audit has %d rows, want %d", res.Rows, n)
	}
}

func testAuditAppend(t *testing.T, s Service) {
	wantIntact(t, s, 0)
	if err := s.Audit(as(t, "alice", "es"), "entity.read", "Q1", "via search"); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(ctx(t), "export", "", ""); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "audit without action", s.Audit(ctx(t), "", "x", ""), concord.EINVALID)
	var evs []concord.AuditEvent
	if err := s.EachAuditEvent(ctx(t), func(ev *concord.AuditEvent) error {
		evs = append(evs, *ev)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	a, b := evs[0], evs[1]
	if a.Seq != 1 || a.Prev != "" || a.Actor != "alice" || a.Member != "es" || a.Via != "api" ||
		a.Action != "entity.read" || a.Object != "Q1" || a.Detail != "via search" || a.Hash != a.ComputeHash() || a.Time.IsZero() {
		t.Errorf("first event: %+v", a)
	}
	if b.Seq != 2 || b.Prev != a.Hash || b.Actor != "system" || b.Via != "system" || b.Member != "" || b.Hash != b.ComputeHash() {
		t.Errorf("second event (system actor): %+v", b)
	}
	stop := fmt.Errorf("stop")
	if err := s.EachAuditEvent(ctx(t), func(*concord.AuditEvent) error { return stop }); err != stop {
		t.Errorf("EachAuditEvent does not return fn's error: %v", err)
	}

}

func testAuditQuery(t *testing.T, s Service) {
	for i := range 12 {
		user, member := "alice", "es"
		if i%3 == 0 {
			user, member = "bob", "us"
		}
		if err := s.Audit(as(t, user, member), fmt.Sprintf("action%d", i%2), fmt.Sprint(i), ""); err != nil {
			t.Fatal(err)
		}
	}
	seqs := func(q concord.AuditQuery) []int64 {
		evs, err := s.AuditEvents(ctx(t), q)
		if err != nil {
			t.Fatal(err)
		}
		out := []int64{}
		for _, e := range evs {
			out = append(out, e.Seq)
		}
		return out
	}
	for _, tc := range []struct {
		q    concord.AuditQuery
		want string
	}{
		{concord.AuditQuery{}, "[1 2 3 4 5 6 7 8 9 10 11 12]"},
		{concord.AuditQuery{Member: "us"}, "[1 4 7 10]"},
		{concord.AuditQuery{Actor: "alice", Action: "action1"}, "[2 6 8 12]"},
		{concord.AuditQuery{Member: "es", After: 6, Limit: 2}, "[8 9]"},
		{concord.AuditQuery{Action: "action0", After: 11}, "[]"},
		{concord.AuditQuery{Limit: 3}, "[1 2 3]"},
	} {
		if got := fmt.Sprint(seqs(tc.q)); got != tc.want {
			t.Errorf("AuditEvents(%+v) = %s, want %s", tc.q, got, tc.want)
		}
	}
}

// testAuditConcurrent appends from many goroutines, standalone events and
// writes mixed: the chain must not fork.
func testAuditConcurrent(t *testing.T, s Service) {
	const workers, each = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			c := as(t, fmt.Sprintf("user%d", w), "es")
			for i := range each {
				var err error
				if i%5 == 4 {
					err = s.CreateUser(c, &concord.User{Name: fmt.Sprintf("u%d-%d", w, i), Member: "es"})
				} else {
					err = s.Audit(c, "match", fmt.Sprint(i), "")
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	wantIntact(t, s, workers*each)
}

// testAuditRollback: a write that fails leaves no audit row, and its audit
// row is not left behind either.
func testAuditRollback(t *testing.T, s Service) {
	c := as(t, "alice", "es")
	if err := s.CreateUser(c, &concord.User{Name: "alice", Member: "es"}); err != nil {
		t.Fatal(err)
	}
	n := auditLen(t, s)
	wantCode(t, "duplicate user", s.CreateUser(c, &concord.User{Name: "alice", Member: "es"}), concord.ECONFLICT)
	wantCode(t, "complete rows of a missing job", s.CompleteRows(c, "nope", []concord.JobRow{{N: 0}}, nil), concord.ENOTFOUND)
	wantCode(t, "decide a missing alert", s.DecideAlert(c, 42, concord.AlertConfirmed, "alice", "because"), concord.ENOTFOUND)
	wantCode(t, "retract a missing statement", s.Retract(c, "es", []string{"nope"}), concord.ENOTFOUND)
	if got := auditLen(t, s); got != n {
		t.Errorf("failed writes left %d audit rows", got-n)
	}
	wantIntact(t, s, n)
}

// testAuditTamper alters, deletes and inserts rows behind the store's back
// and expects the verifier to name the first row concerned.
func testAuditTamper(t *testing.T, open func(t *testing.T) (Service, Exec)) {
	fill := func(t *testing.T) (Service, Exec) {
		s, exec := open(t)
		for i := range 6 {
			if err := s.Audit(as(t, "alice", "es"), "entity.read", fmt.Sprint("e", i), ""); err != nil {
				t.Fatal(err)
			}
		}
		wantIntact(t, s, 6)
		return s, exec
	}
	run := func(t *testing.T, exec Exec, queries ...string) {
		for _, q := range queries {
			if err := exec(ctx(t), q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	want := func(t *testing.T, s Service, seq int64, kind string) {
		t.Helper()
		b, err := audit.Verify(ctx(t), s)
		if err != nil {
			t.Fatal(err)
		}
		if b == nil || b.Seq != seq || b.Kind != kind {
			t.Fatalf("Verify = %+v, want seq %d %s", b, seq, kind)
		}
		t.Log(b.Message)
	}
	t.Run("alter", func(t *testing.T) {
		s, exec := fill(t)
		run(t, exec, `UPDATE audit SET detail = 'nothing happened' WHERE seq = 3`)
		want(t, s, 3, audit.Altered)
	})
	t.Run("delete", func(t *testing.T) {
		s, exec := fill(t)
		run(t, exec, `DELETE FROM audit WHERE seq = 4`)
		want(t, s, 4, audit.Deleted)
	})
	t.Run("insert", func(t *testing.T) {
		s, exec := fill(t)
		evs, err := s.AuditEvents(ctx(t), concord.AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		// A forged row 3, well formed, chained to row 2 and numbered among
		// the member's rows; rows 3.. move up.
		forged := evs[1]
		forged.Seq, forged.Actor, forged.Action, forged.Object, forged.Prev = 3, "mallory", "user.create", "mallory", evs[1].Hash
		forged.Hash = forged.ComputeHash()
		run(t, exec,
			`UPDATE audit SET seq = seq + 1000000, member_seq = member_seq + 1000000 WHERE seq >= 3`,
			`UPDATE audit SET seq = seq - 999999, member_seq = member_seq - 999999 WHERE seq >= 1000000`,
			fmt.Sprintf(`INSERT INTO audit (seq, time, actor, member, via, action, object, detail, member_seq, prev, hash)
				SELECT 3, time, 'mallory', member, via, 'user.create', 'mallory', detail, 3, '%s', '%s' FROM audit WHERE seq = 2`,
				forged.Prev, forged.Hash))
		want(t, s, 3, audit.Inserted)
	})
	t.Run("writes after tampering", func(t *testing.T) {
		s, exec := fill(t)
		run(t, exec, `DELETE FROM audit WHERE seq = 2`)
		if err := s.Audit(ctx(t), "match", "", ""); err != nil {
			t.Fatal(err)
		}
		want(t, s, 2, audit.Deleted)
	})
}
