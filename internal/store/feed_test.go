package store

import (
	"sync"
	"testing"
	"time"

	"concord"
	"concord/internal/pgtest"
)

// stepClock is a clock the test moves.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stepClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestPruneChanges: changes older than the retention are pruned but the
// latest, numbering goes on, and a follower behind the pruned ones is told
// to load again.
func TestPruneChanges(t *testing.T) {
	for _, c := range []struct {
		name string
		open func(t *testing.T, clock concord.Clock) (*DB, error)
	}{
		{"sqlite", func(t *testing.T, clock concord.Clock) (*DB, error) {
			return OpenSQLite(t.Context(), t.TempDir(), clock)
		}},
		{"postgres", func(t *testing.T, clock concord.Clock) (*DB, error) {
			return OpenPostgres(t.Context(), pgtest.URL(t), clock)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock := &stepClock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
			db, err := c.open(t, clock)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ctx := concord.WithActor(t.Context(), concord.Actor{User: "sec", Via: "cli"})
			for _, name := range []string{"a", "b", "c"} {
				if err := db.CreateUser(ctx, &concord.User{Name: name, Member: "es"}); err != nil {
					t.Fatal(err)
				}
			}
			clock.add(changeRetention + time.Minute)
			db.pruneChanges(ctx)
			if last, err := db.LastChange(ctx); err != nil || last != 3 {
				t.Fatalf("last change after pruning: %d, %v", last, err)
			}
			if _, err := db.Changes(ctx, 0, 0); concord.ErrorCode(err) != concord.ECONFLICT {
				t.Errorf("changes from 0 after pruning: %v", err)
			}
			if err := db.CreateUser(ctx, &concord.User{Name: "d", Member: "es"}); err != nil {
				t.Fatal(err)
			}
			cs, err := db.Changes(ctx, 3, 0)
			if err != nil || len(cs) != 1 || cs[0].Seq != 4 || cs[0].IDs[0] != "user:d" {
				t.Errorf("changes after the kept one: %+v, %v", cs, err)
			}
		})
	}
}
