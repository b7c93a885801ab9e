package job

import (
	"context"
	"encoding/json"
	"runtime"
	"sync"
	"sync/atomic"

	"concord/internal/importer/paxlst"
	"concord/match"
)

// MatchFunc screens one query.
type MatchFunc func(ctx context.Context, q match.Query) ([]match.Match, error)

// Screen screens qs with workers goroutines and returns one result per
// query, in input order. progress, if set, is called with the number of
// queries done so far (from any goroutine).
func Screen(ctx context.Context, qs []Query, workers int, fn MatchFunc, progress func(done int64)) ([]Result, error) {
	return ScreenWith(ctx, qs, workers, Matchers{Names: fn}, progress)
}

// ScreenWith is Screen with identifier look-ups for payment parties.
func ScreenWith(ctx context.Context, qs []Query, workers int, m Matchers, progress func(done int64)) ([]Result, error) {
	return NewScreener(m).Screen(ctx, qs, workers, progress)
}

// Screener screens batches with the same matchers, remembering name results
// across batches: the debtor of every transaction of a payment block, or a
// party in every message of a file, is screened once.
type Screener struct {
	m     Matchers
	cache *nameCache
}

// NewScreener returns a Screener.
func NewScreener(m Matchers) *Screener {
	return &Screener{m: m, cache: &nameCache{m: map[match.Query][]match.Match{}}}
}

// Screen screens one batch, as Screen does.
func (s *Screener) Screen(ctx context.Context, qs []Query, workers int, progress func(done int64)) ([]Result, error) {
	return screenWith(ctx, qs, workers, s.m, s.cache, progress)
}

func screenWith(ctx context.Context, qs []Query, workers int, m Matchers, cache *nameCache, progress func(done int64)) ([]Result, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]Result, len(qs))
	var (
		next, done atomic.Int64
		wg         sync.WaitGroup
		errOnce    sync.Once
		firstErr   error
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(qs) || ctx.Err() != nil {
					return
				}
				q := &qs[i]
				var ms []match.Match
				var err error
				if q.Party != nil {
					ms, err = m.party(ctx, q, cache)
				} else {
					ms, err = m.Names(ctx, q.MatchQuery())
				}
				if err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
					return
				}
				out[i] = Result{ID: q.ID, Booking: q.Booking, Tx: q.Tx, Role: q.Role, Party: q.label(), Matches: nonNil(ms)}
				if q.Party != nil {
					out[i].Warnings = q.Party.Warnings
					out[i].Flags = m.flags(q)
				}
				n := done.Add(1)
				if progress != nil {
					progress(n)
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil(ms []match.Match) []match.Match {
	if ms == nil {
		return []match.Match{}
	}
	for i := range ms {
		if ms[i].Refs == nil {
			ms[i].Refs = []string{}
		}
	}
	return ms
}

// manifestMeta describes a manifest's messages and flights as JSON.
func manifestMeta(ic *paxlst.Interchange) string {
	type msg struct {
		Index      int          `json:"index"`
		Version    string       `json:"version"`
		Crew       bool         `json:"crew"`
		Flight     paxlst.Leg   `json:"flight"`
		Legs       []paxlst.Leg `json:"legs"`
		Travellers int          `json:"travellers"`
	}
	v := struct {
		Sender   string   `json:"sender"`
		Messages []msg    `json:"messages"`
		Warnings []string `json:"warnings,omitempty"`
	}{Sender: ic.Sender, Warnings: ic.Warnings}
	for _, m := range ic.Messages {
		v.Messages = append(v.Messages, msg{m.Index, m.Version, m.Crew, m.Flight, m.Legs, m.TravellerCount})
	}
	b, _ := json.Marshal(v)
	return string(b)
}
