package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
)

// RunFeed runs the suite of the change feed. open returns two stores on one
// fresh database (two nodes on one PostgreSQL, or two processes on one
// SQLite file), both closed by t.Cleanup.
func RunFeed(t *testing.T, open func(t *testing.T) (a, b concord.Store)) {
	t.Run("Kinds", func(t *testing.T) { testFeedKinds(t, open) })
	t.Run("Across", func(t *testing.T) { testFeedAcross(t, open) })
	t.Run("Concurrent", func(t *testing.T) { testFeedConcurrent(t, open) })
	t.Run("Wait", func(t *testing.T) { testFeedWait(t, open) })
}

// changesAfter reads every change after seq.
func changesAfter(t *testing.T, s concord.ChangeFeed, after int64) []concord.Change {
	t.Helper()
	var out []concord.Change
	for {
		page, err := s.Changes(ctx(t), after, 3)
		if err != nil {
			t.Fatalf("Changes after %d: %v", after, err)
		}
		if len(page) == 0 {
			return out
		}
		for _, c := range page {
			if c.Seq != after+1 {
				t.Fatalf("change %d follows %d", c.Seq, after)
			}
			if c.At.IsZero() {
				t.Errorf("change %d has no time", c.Seq)
			}
			after = c.Seq
		}
		out = append(out, page...)
	}
}

func lastChange(t *testing.T, s concord.ChangeFeed) int64 {
	t.Helper()
	n, err := s.LastChange(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// testFeedKinds: every kind of write records what it changed, read through
// the other store; reads, standalone audit events, unchanged imports and
// failed writes record nothing.
func testFeedKinds(t *testing.T, open func(t *testing.T) (a, b concord.Store)) {
	a, b := open(t)
	sec, es := as(t, "sec", ""), as(t, "amina", "es")
	type step struct {
		name string
		do   func() error
		want []string // "kind ids", one per change
	}
	job := &concord.Job{ID: "job-1", Kind: "csv", Owner: "amina", Member: "es", Threshold: 0.8, Limit: 5}
	exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	var alerts []concord.Alert
	steps := []step{
		{"coalition", func() error { return a.LoadCoalition(sec, &concord.Coalition{Name: "c", Members: members()}) }, []string{"coalition "}},
		{"member", func() error { return a.PutMember(sec, &concord.Member{ID: "xx", Country: "FR", Name: "X"}) }, []string{"coalition member:xx"}},
		{"group", func() error {
			return a.PutGroup(sec, &concord.Group{ID: "g1", Name: "G", Kind: concord.GroupWorkingGroup, Members: []string{"es"}})
		}, []string{"coalition group:g1"}},
		{"delete group", func() error { return a.DeleteGroup(sec, "g1") }, []string{"coalition group:g1"}},
		{"delete member", func() error { return a.DeleteMember(sec, "xx") }, []string{"coalition member:xx"}},
		{"import", func() error { _, err := a.Import(sec, SyntheticBatch("un", "1", 3, 2)); return err },
			[]string{"entities un-000000,un-000001,un-000002"}},
		{"import unchanged", func() error { _, err := a.Import(sec, SyntheticBatch("un", "1", 3, 2)); return err }, nil},
		{"import changed", func() error { _, err := a.Import(sec, SyntheticBatch("un", "2", 2, 2)); return err },
			[]string{"entities un-000000,un-000001,un-000002"}},
		{"contribute", func() error {
			return a.Contribute(es, []concord.Statement{
				{EntityID: "es-1", Schema: "Person", Prop: "name", Value: "A", Dataset: "member-es", ContributedBy: "es", Audience: concord.MemberAudience("es"), Handling: concord.TLPRed},
				{EntityID: "es-1", Schema: "Person", Prop: "alias", Value: "B", Dataset: "member-es", ContributedBy: "es", Audience: concord.MemberAudience("es"), Handling: concord.TLPRed},
				{EntityID: "es-2", Schema: "Person", Prop: "name", Value: "C", Dataset: "member-es", ContributedBy: "es", Audience: concord.MemberAudience("es"), Handling: concord.TLPRed}})
		}, []string{"entities es-1,es-2"}},
		{"retract", func() error {
			st, err := b.Statements(ctx(t), concord.Filter{Member: "es"}, "es-2")
			if err != nil {
				return err
			}
			return a.Retract(es, "es", []string{st[0].ID})
		}, []string{"entities es-2"}},
		{"retract refused", func() error {
			if err := a.Retract(es, "fr", []string{"nope"}); concord.ErrorCode(err) != concord.ENOTFOUND {
				return fmt.Errorf("retract of a missing statement: %v", err)
			}
			return nil
		}, nil},
		{"user", func() error { return a.CreateUser(sec, &concord.User{Name: "amina", Member: "es"}) }, []string{"credentials user:amina"}},
		{"user taken", func() error {
			if err := a.CreateUser(sec, &concord.User{Name: "amina", Member: "es"}); concord.ErrorCode(err) != concord.ECONFLICT {
				return fmt.Errorf("duplicate user: %v", err)
			}
			return nil
		}, nil},
		{"update user", func() error { return a.UpdateUser(sec, &concord.User{Name: "amina", Member: "es", Disabled: true}) }, []string{"credentials user:amina"}},
		{"token", func() error {
			return a.CreateToken(sec, &concord.Token{ID: "t1", User: "amina", Hash: "h1", ExpiresAt: &exp})
		}, []string{"credentials token:t1"}},
		{"revoke", func() error { return a.RevokeToken(sec, "t1", exp) }, []string{"credentials token:t1"}},
		{"session", func() error { return a.CreateSession(sec, &concord.Session{Hash: "s1", User: "amina", ExpiresAt: exp}) },
			[]string{"credentials session:amina"}},
		{"logout", func() error { return a.DeleteSession(sec, "s1") }, []string{"credentials session:amina"}},
		{"reads and audit", func() error {
			if _, err := a.Entity(ctx(t), concord.System, "un-000001"); err != nil {
				return err
			}
			return a.Audit(es, "match", "q", "")
		}, nil},
		{"job", func() error {
			return a.CreateJob(es, job, concord.JobRows([]concord.JobRow{{N: 0, Key: "t1", Query: []byte(`{}`)}}))
		}, []string{"jobs job-1"}},
		{"results", func() error {
			alerts = []concord.Alert{{Row: 0, QueryKey: "t1", Identity: "i", EntityID: "un-000001", EntityVersion: "v", Score: 0.9}}
			return a.CompleteRows(es, "job-1", []concord.JobRow{{N: 0, Result: []byte(`{}`)}}, alerts)
		}, nil}, // checked below: the alert's id is known only now
		{"status", func() error { return a.SetJobStatus(es, "job-1", concord.JobDone, "") }, []string{"jobs job-1"}},
		{"decide", func() error { return a.DecideAlert(es, alerts[0].ID, concord.AlertDismissed, "amina", "no") }, nil},
	}
	for _, st := range steps {
		before := lastChange(t, b)
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		var got []string
		for _, c := range changesAfter(t, b, before) {
			got = append(got, c.Kind+" "+strings.Join(c.IDs, ","))
		}
		want := st.want
		switch st.name {
		case "results":
			want = []string{"jobs job-1", fmt.Sprintf("alerts %d", alerts[0].ID)}
		case "decide":
			want = []string{fmt.Sprintf("alerts %d", alerts[0].ID)}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: changes %q, want %q", st.name, got, want)
		}
	}
}

// testFeedAcross: a write through one store wakes WaitChange on the other
// within a second (PostgreSQL: NOTIFY; SQLite: the data version).
func testFeedAcross(t *testing.T, open func(t *testing.T) (a, b concord.Store)) {
	a, b := open(t)
	for i := range 3 {
		last := lastChange(t, b)
		ready := make(chan struct{})
		woke := make(chan error, 1)
		go func() {
			c, cancel := context.WithTimeout(ctx(t), 5*time.Second)
			defer cancel()
			close(ready)
			woke <- b.WaitChange(c, last)
		}()
		<-ready
		if i > 0 {
			time.Sleep(200 * time.Millisecond) // b is waiting, not catching up
		}
		start := time.Now()
		if err := a.CreateUser(as(t, "sec", ""), &concord.User{Name: fmt.Sprint("u", i), Member: "es"}); err != nil {
			t.Fatal(err)
		}
		if err := <-woke; err != nil {
			t.Fatalf("WaitChange: %v", err)
		}
		took := time.Since(start)
		t.Logf("write %d seen by the other store after %v", i, took)
		if took > time.Second {
			t.Errorf("write %d seen by the other store after %v, want within a second", i, took)
		}
		if cs := changesAfter(t, b, last); len(cs) != 1 || cs[0].IDs[0] != fmt.Sprint("user:u", i) {
			t.Errorf("changes after the write: %+v", cs)
		}
	}
}

// testFeedConcurrent: writers on both stores at once, and a follower on one
// of them reading as they go: seqs are contiguous and in commit order (the
// follower never finds one missing that a later one has passed), and every
// write's change appears exactly once.
func testFeedConcurrent(t *testing.T, open func(t *testing.T) (a, b concord.Store)) {
	a, b := open(t)
	start := lastChange(t, b)
	const workers, each = 3, 15
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers*each)
	for si, s := range []concord.Store{a, b} {
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					if err := s.CreateUser(as(t, "sec", ""), &concord.User{Name: fmt.Sprintf("u%d-%d-%d", si, w, i), Member: "es"}); err != nil {
						errs <- err
					}
					if err := s.Audit(as(t, "sec", ""), "match", "", ""); err != nil {
						errs <- err
					}
				}
			})
		}
	}
	seen := map[string]int{}
	follow := make(chan error, 1)
	go func() {
		after := start
		c, cancel := context.WithTimeout(ctx(t), 30*time.Second)
		defer cancel()
		for len(seen) < 2*workers*each {
			page, err := b.Changes(c, after, 7)
			if err != nil {
				follow <- fmt.Errorf("after %d: %w", after, err)
				return
			}
			for _, ch := range page {
				for _, id := range ch.IDs {
					seen[id]++
				}
				after = ch.Seq
			}
			if len(page) == 0 {
				if err := b.WaitChange(c, after); err != nil {
					follow <- err
					return
				}
			}
		}
		follow <- nil
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := <-follow; err != nil {
		t.Fatalf("follower: %v", err)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s seen %d times", id, n)
		}
	}
	if got := len(changesAfter(t, a, start)); got != 2*workers*each {
		t.Errorf("%d changes, want %d", got, 2*workers*each)
	}
}

// testFeedWait: WaitChange returns at once when the caller is behind, waits
// until its context ends when nothing is written, and Changes refuses a
// position the feed never reached.
func testFeedWait(t *testing.T, open func(t *testing.T) (a, b concord.Store)) {
	a, _ := open(t)
	if err := a.CreateUser(as(t, "sec", ""), &concord.User{Name: "u", Member: "es"}); err != nil {
		t.Fatal(err)
	}
	last := lastChange(t, a)
	if last == 0 {
		t.Fatal("no change after a write")
	}
	if err := a.WaitChange(ctx(t), last-1); err != nil {
		t.Errorf("WaitChange behind: %v", err)
	}
	c, cancel := context.WithTimeout(ctx(t), 300*time.Millisecond)
	defer cancel()
	if err := a.WaitChange(c, last); err != context.DeadlineExceeded {
		t.Errorf("WaitChange with nothing new: %v, want the deadline", err)
	}
	_, err := a.Changes(ctx(t), last+10, 0)
	wantCode(t, "Changes after the last one", err, concord.ECONFLICT)
	if cs, err := a.Changes(ctx(t), last, 0); err != nil || len(cs) != 0 {
		t.Errorf("Changes at the last one: %v %v", cs, err)
	}
}
