package storetest

import (
	"fmt"
	"testing"
	"time"

	"concord"
	"concord/internal/audit"
)

// keyedStore is a store that seals its audit rows with an audit key.
type keyedStore interface {
	UseAuditKey(k *concord.AuditKey)
}

// testAuditKeyed: with an audit key, what the chain alone let pass is
// caught — a chain recomputed from a row without the key; and with a
// checkpoint, the removal of the last rows. A store without the key refuses
// to append to a sealed chain.
func testAuditKeyed(t *testing.T, open func(t *testing.T) (Service, Exec)) {
	k, err := audit.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	keys := audit.Options{Keys: []*concord.AuditKey{k}}
	fill := func(t *testing.T) (Service, Exec) {
		s, exec := open(t)
		ks, ok := s.(keyedStore)
		if !ok {
			t.Skip("the store takes no audit key")
		}
		ks.UseAuditKey(k)
		for i := range 6 {
			if err := s.Audit(as(t, "alice", "es"), "entity.read", fmt.Sprint("e", i), ""); err != nil {
				t.Fatal(err)
			}
		}
		b, res, err := audit.CheckWith(ctx(t), s, keys)
		if err != nil || b != nil || res.Rows != 6 || res.Sealed != 6 || res.KeyID != k.ID {
			t.Fatalf("sealed chain: %v %+v %v", b, res, err)
		}
		return s, exec
	}
	run := func(t *testing.T, exec Exec, queries ...string) {
		for _, q := range queries {
			if err := exec(ctx(t), q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	want := func(t *testing.T, b *audit.Break, err error, seq int64, kind string) {
		t.Helper()
		if err != nil || b == nil || b.Seq != seq || b.Kind != kind {
			t.Fatalf("got %v %v, want seq %d %s", b, err, seq, kind)
		}
		t.Log(b.Message)
	}
	t.Run("recomputed from a row", func(t *testing.T) {
		s, exec := fill(t)
		evs, err := s.AuditEvents(ctx(t), concord.AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		// Alter row 3 and rehash it and every row after it, as one could
		// before keys: without the key, only unkeyed hashes can be made.
		prev := evs[1].Hash
		for i := 2; i < len(evs); i++ {
			ev := evs[i]
			if i == 2 {
				ev.Detail = "nothing happened"
			}
			ev.Prev = prev
			ev.Hash = ev.ComputeHash()
			prev = ev.Hash
			run(t, exec, fmt.Sprintf(`UPDATE audit SET detail = '%s', prev = '%s', hash = '%s' WHERE seq = %d`, ev.Detail, ev.Prev, ev.Hash, ev.Seq))
		}
		if b, _ := audit.Verify(ctx(t), s); b == nil {
			t.Log("(without the key, verification stops at the first sealed row)")
		}
		b, _, err := audit.CheckWith(ctx(t), s, keys)
		want(t, b, err, 3, audit.Altered)
	})
	t.Run("last rows deleted", func(t *testing.T) {
		s, exec := fill(t)
		_, res, _ := audit.CheckWith(ctx(t), s, keys)
		cp := audit.Sign(k, res.Rows, res.Head, time.Now())
		run(t, exec, `DELETE FROM audit WHERE seq >= 5`)
		if b, _, err := audit.CheckWith(ctx(t), s, keys); b != nil || err != nil {
			t.Fatalf("the chain alone: %v %v (the test tampers too little)", b, err)
		}
		b, _, err := audit.CheckWith(ctx(t), s, audit.Options{Keys: keys.Keys, Checkpoints: []*audit.Checkpoint{cp}})
		want(t, b, err, 5, audit.Truncated)
	})
	t.Run("a store without the key", func(t *testing.T) {
		s, _ := fill(t)
		s.(keyedStore).UseAuditKey(nil)
		if err := s.Audit(as(t, "alice", "es"), "match", "", ""); err == nil {
			t.Fatal("a store without the key appended to a sealed chain")
		}
		if err := s.CreateUser(as(t, "sec", ""), &concord.User{Name: "zed", Member: "es"}); err == nil {
			t.Fatal("a store without the key wrote to a sealed chain")
		}
		if _, err := s.User(ctx(t), "zed"); concord.ErrorCode(err) != concord.ENOTFOUND {
			t.Errorf("the refused write happened: %v", err)
		}
	})
}

// testAuditMemberView: a member's view numbers its own rows 1, 2, 3 ...
// whatever the other members do in between, and pages by that number.
func testAuditMemberView(t *testing.T, s Service) {
	for i := range 5 {
		for _, m := range []string{"es", "fr", "fr"} {
			if err := s.Audit(as(t, m+"-user", m), "entity.read", fmt.Sprint(m, i), ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	evs, err := s.AuditEvents(ctx(t), concord.AuditQuery{Member: "es", ByMember: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 5 {
		t.Fatalf("%d rows of es, want 5", len(evs))
	}
	for i, ev := range evs {
		if ev.Member != "es" || ev.MemberSeq != int64(i+1) || ev.Object != fmt.Sprint("es", i) {
			t.Errorf("row %d of es: member %s member_seq %d object %s", i, ev.Member, ev.MemberSeq, ev.Object)
		}
	}
	page, err := s.AuditEvents(ctx(t), concord.AuditQuery{Member: "es", ByMember: true, After: 3, Limit: 1})
	if err != nil || len(page) != 1 || page[0].MemberSeq != 4 {
		t.Errorf("page after 3: %+v %v", page, err)
	}
	fr, _ := s.AuditEvents(ctx(t), concord.AuditQuery{Member: "fr", ByMember: true})
	if len(fr) != 10 || fr[9].MemberSeq != 10 {
		t.Errorf("fr: %d rows", len(fr))
	}
	wantIntact(t, s, 15)
}
