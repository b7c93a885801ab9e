package audit

import (
	"context"
	"strings"
	"testing"
	"time"

	"concord"
)

// chain is an in-memory concord.AuditStore whose rows a test may tamper with.
type chain struct {
	rows []concord.AuditEvent
	key  *concord.AuditKey // seals new rows when set
}

func (c *chain) Audit(_ context.Context, action, object, detail string) error {
	ev := concord.AuditEvent{Seq: int64(len(c.rows)) + 1, Time: time.Date(2026, 2, 1, 0, 0, len(c.rows), 0, time.UTC),
		Actor: "alice", Member: "es", Via: "api", Action: action, Object: object, Detail: detail}
	if n := len(c.rows); n > 0 {
		ev.Prev = c.rows[n-1].Hash
	}
	for _, r := range c.rows {
		if r.Member == ev.Member {
			ev.MemberSeq = r.MemberSeq
		}
	}
	ev.MemberSeq++
	if c.key != nil {
		c.key.Seal(&ev)
	} else {
		ev.Hash = ev.ComputeHash()
	}
	c.rows = append(c.rows, ev)
	return nil
}

func (c *chain) AuditEvents(context.Context, concord.AuditQuery) ([]concord.AuditEvent, error) {
	return c.rows, nil
}

func (c *chain) EachAuditEvent(_ context.Context, fn func(*concord.AuditEvent) error) error {
	for i := range c.rows {
		ev := c.rows[i]
		if err := fn(&ev); err != nil {
			return err
		}
	}
	return nil
}

func newChain(n int) *chain {
	c := &chain{}
	for i := range n {
		c.Audit(context.Background(), "entity.read", "e"+string(rune('a'+i)), "")
	}
	return c
}

// forge returns a well-formed row with the given seq chained to prev.
func forge(seq int64, prev string) concord.AuditEvent {
	ev := concord.AuditEvent{Seq: seq, Time: time.Date(2026, 2, 1, 0, 0, 30, 0, time.UTC), Actor: "mallory",
		Action: "user.create", Object: "mallory", Prev: prev, MemberSeq: 1}
	ev.Hash = ev.ComputeHash()
	return ev
}

func TestVerify(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(c *chain)
		seq    int64
		kind   string
	}{
		{"intact", func(*chain) {}, 0, ""},
		{"empty", func(c *chain) { c.rows = nil }, 0, ""},
		{"altered detail", func(c *chain) { c.rows[2].Detail = "nothing to see" }, 3, Altered},
		{"altered time", func(c *chain) { c.rows[4].Time = c.rows[4].Time.Add(time.Hour) }, 5, Altered},
		{"altered and rehashed", func(c *chain) {
			c.rows[2].Actor = "bob"
			c.rows[2].Hash = c.rows[2].ComputeHash()
		}, 4, Broken},
		{"deleted", func(c *chain) { c.rows = append(c.rows[:3:3], c.rows[4:]...) }, 4, Deleted},
		{"deleted two", func(c *chain) { c.rows = append(c.rows[:1:1], c.rows[3:]...) }, 2, Deleted},
		{"deleted first", func(c *chain) { c.rows = c.rows[1:] }, 1, Deleted},
		{"deleted and renumbered", func(c *chain) {
			c.rows = append(c.rows[:2:2], c.rows[3:]...)
			for i := 2; i < len(c.rows); i++ {
				c.rows[i].Seq--
				c.rows[i].Hash = c.rows[i].ComputeHash()
			}
		}, 3, Broken},
		{"inserted", func(c *chain) {
			rest := append([]concord.AuditEvent(nil), c.rows[3:]...)
			c.rows = append(c.rows[:3:3], forge(4, c.rows[2].Hash))
			for _, ev := range rest {
				ev.Seq++
				ev.Hash = ev.ComputeHash() // even rehashed, the link gives it away
				c.rows = append(c.rows, ev)
			}
		}, 4, Inserted},
		{"appended with a bad link", func(c *chain) { c.rows = append(c.rows, forge(7, "0000")) }, 7, Broken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newChain(6)
			tc.tamper(c)
			b, err := Verify(t.Context(), c)
			if err != nil {
				t.Fatal(err)
			}
			if tc.kind == "" {
				if b != nil {
					t.Fatalf("intact chain reported broken: %v", b)
				}
				return
			}
			if b == nil {
				t.Fatalf("tampering not detected")
			}
			if b.Seq != tc.seq || b.Kind != tc.kind || !strings.Contains(b.Message, "row") {
				t.Errorf("got %+v, want seq %d kind %s", b, tc.seq, tc.kind)
			}
		})
	}
}

func TestCheckHead(t *testing.T) {
	c := newChain(3)
	b, res, err := Check(t.Context(), c)
	if err != nil || b != nil || res.Rows != 3 || res.Head != c.rows[2].Hash {
		t.Errorf("Check: %v %+v %v", b, res, err)
	}
}
