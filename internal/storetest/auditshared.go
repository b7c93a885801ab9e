package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"concord"
)

// AuditShared checks the chain when two stores work on one database (two
// processes on one SQLite file, such as the server and the CLI; two nodes on
// one PostgreSQL): a store that keeps the chain head in memory must notice
// the other's appends. a and b are open on the same, empty database.
func AuditShared(t *testing.T, a, b Service) {
	n := 0
	// Alternating, one at a time: every append follows one by the other store.
	for i := range 10 {
		s := a
		if i%2 == 1 {
			s = b
		}
		if err := s.Audit(as(t, "alice", "es"), "match", fmt.Sprint("alt", i), ""); err != nil {
			t.Fatal(err)
		}
		n++
		wantIntact(t, a, n)
	}
	// A write through one store, then a standalone event through the other.
	if err := a.CreateUser(as(t, "sec", ""), &concord.User{Name: "carol", Member: "es"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Audit(as(t, "carol", "es"), "entity.read", "Q1", ""); err != nil {
		t.Fatal(err)
	}
	n += 2
	wantIntact(t, b, n)

	// Both at once, from several goroutines each, writes and reads mixed.
	const workers, each = 4, 20
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers*each)
	for si, s := range []Service{a, b} {
		for w := range workers {
			wg.Go(func() {
				c := as(t, fmt.Sprintf("user%d-%d", si, w), "es")
				for i := range each {
					var err error
					if i%7 == 6 {
						err = s.CreateUser(c, &concord.User{Name: fmt.Sprintf("u%d-%d-%d", si, w, i), Member: "es"})
					} else {
						err = s.Audit(c, "match", fmt.Sprint(i), "")
					}
					if err != nil {
						errs <- err
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n += 2 * workers * each
	wantIntact(t, a, n)
	wantIntact(t, b, n)
}

// AuditFailure checks that a failed append leaves nothing behind: install
// (SQL run through exec) makes the database refuse any audit row whose
// object is 'reject', remove undoes it. Standalone events are committed in
// batches: a caller may fail because another event of its batch was refused,
// but exactly the events of the callers that got nil are in the audit, and
// the chain goes on intact afterwards. A write whose audit row is refused
// is rolled back with it.
func AuditFailure(t *testing.T, s Service, exec Exec, install, remove []string) {
	for i := range 3 {
		if err := s.Audit(ctx(t), "match", fmt.Sprint("before", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range install {
		if err := exec(ctx(t), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// A write whose audit row is refused: neither the user nor a row stays.
	if err := s.CreateUser(as(t, "sec", ""), &concord.User{Name: "reject", Member: "es"}); err == nil {
		t.Fatal("a write whose audit row was refused succeeded")
	}
	wantCode(t, "user of the refused write", func() error { _, err := s.User(ctx(t), "reject"); return err }(), concord.ENOTFOUND)
	wantIntact(t, s, 3)

	const workers, each = 8, 12
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		ok     []string
		failed int
	)
	for w := range workers {
		wg.Go(func() {
			c := as(t, fmt.Sprint("user", w), "es")
			for i := range each {
				object := fmt.Sprintf("ok-%d-%d", w, i)
				if (w+i)%5 == 0 {
					object = "reject"
				}
				err := s.Audit(c, "match", object, "")
				mu.Lock()
				switch {
				case err == nil && object == "reject":
					t.Errorf("a refused event was reported committed")
				case err == nil:
					ok = append(ok, object)
				default:
					failed++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	var got []string
	evs, err := s.AuditEvents(ctx(t), concord.AuditQuery{After: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		got = append(got, ev.Object)
	}
	slices.Sort(ok)
	slices.Sort(got)
	if !slices.Equal(ok, got) {
		t.Errorf("committed events %v,\ncallers told nil %v", got, ok)
	}
	wantIntact(t, s, 3+len(ok))
	t.Logf("%d events committed, %d callers failed with their batch", len(ok), failed)

	for _, q := range remove {
		if err := exec(ctx(t), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for i := range 3 {
		if err := s.Audit(ctx(t), "match", "reject", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateUser(as(t, "sec", ""), &concord.User{Name: "reject", Member: "es"}); err != nil {
		t.Fatal(err)
	}
	wantIntact(t, s, 3+len(ok)+4)
}
