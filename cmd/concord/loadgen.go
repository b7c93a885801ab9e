package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/job"
	"concord/internal/seed"
)

func (m *Main) loadgenCommand() *cobra.Command {
	var (
		url, token, in string
		clients, batch int
		duration       time.Duration
	)
	cmd := &cobra.Command{
		Use:   "loadgen",
		Short: "Load a running server's /v1/match and report throughput and latency",
		Long: `Send POST /v1/match requests from --clients concurrent clients for
--duration, cycling through the queries of --in (the screening CSV format;
default: the bundled sample travellers), --batch queries per request, and
report requests and queries per second and p50/p90/p99 request latency.
Several --url (comma-separated: nodes of one store) share the clients in
turn.`,
		Example: `  TOKEN=$(concord token create admin | awk '{print $NF}')
  concord loadgen --url http://127.0.0.1:8080 --token $TOKEN --clients 8 --duration 20s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if token == "" {
				token = os.Getenv("CONCORD_TOKEN")
			}
			var r io.Reader = seed.Travellers()
			if in != "" {
				f, err := os.Open(in)
				if err != nil {
					return concord.Errorf(concord.EINVALID, "%v", err)
				}
				defer f.Close()
				r = f
			}
			qs, _, err := job.ReadCSV(r, in)
			if err != nil {
				return err
			}
			if len(qs) == 0 {
				return concord.Errorf(concord.EINVALID, "no queries")
			}
			var urls []string
			for _, u := range strings.Split(url, ",") {
				urls = append(urls, strings.TrimRight(strings.TrimSpace(u), "/"))
			}
			res, err := loadgen(cmd.Context(), urls, token, qs, clients, batch, duration)
			if err != nil {
				return err
			}
			fmt.Fprintln(m.Stdout, res)
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "http://127.0.0.1:8080", "server base URL; several, comma-separated, share the clients")
	cmd.Flags().StringVar(&token, "token", "", "bearer token (env CONCORD_TOKEN)")
	cmd.Flags().StringVar(&in, "in", "", "query CSV (default: bundled sample travellers)")
	cmd.Flags().IntVar(&clients, "clients", 1, "concurrent clients")
	cmd.Flags().IntVar(&batch, "batch", 1, "queries per request")
	cmd.Flags().DurationVar(&duration, "duration", 10*time.Second, "how long to run")
	return cmd
}

type loadResult struct {
	clients, batch      int
	requests, errors    int
	elapsed             time.Duration
	p50, p90, p99, pmax time.Duration
}

func (r loadResult) String() string {
	rps := float64(r.requests) / r.elapsed.Seconds()
	return fmt.Sprintf("clients %d, batch %d: %d requests (%d errors) in %s: %.0f requests/s, %.0f queries/s; latency p50 %s p90 %s p99 %s max %s",
		r.clients, r.batch, r.requests, r.errors, r.elapsed.Round(time.Millisecond), rps, rps*float64(r.batch),
		r.p50.Round(time.Microsecond), r.p90.Round(time.Microsecond), r.p99.Round(time.Microsecond), r.pmax.Round(time.Microsecond))
}

func loadgen(ctx context.Context, urls []string, token string, qs []job.Query, clients, batch int, d time.Duration) (loadResult, error) {
	type yq struct {
		Schema     string              `json:"schema"`
		Properties map[string][]string `json:"properties"`
	}
	bodies := make([][]byte, 0, len(qs))
	for i := 0; i < len(qs); i += 1 {
		body := map[string]map[string]yq{"queries": {}}
		for k := 0; k < batch; k++ {
			q := qs[(i+k)%len(qs)]
			props := map[string][]string{"name": {q.Name}}
			if q.BirthDate != "" {
				props["birthDate"] = []string{q.BirthDate}
			}
			if q.Nationality != "" {
				props["nationality"] = []string{q.Nationality}
			}
			schema := q.Schema
			if schema == "" {
				schema = "LegalEntity"
			}
			body["queries"][fmt.Sprint("q", k)] = yq{Schema: schema, Properties: props}
		}
		b, _ := json.Marshal(body)
		bodies = append(bodies, b)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: clients * 2}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	deadline := time.Now().Add(d)
	var mu sync.Mutex
	var lats []time.Duration
	errs := 0
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := c; time.Now().Before(deadline) && ctx.Err() == nil; i += clients {
				req, _ := http.NewRequestWithContext(ctx, "POST", urls[c%len(urls)]+"/v1/match", bytes.NewReader(bodies[i%len(bodies)]))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				t := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("status %s", resp.Status)
					}
				}
				if err != nil {
					bad++
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lats = append(lats, mine...)
			errs += bad
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	res := loadResult{clients: clients, batch: batch, requests: len(lats), errors: errs, elapsed: time.Since(start)}
	if len(lats) == 0 {
		return res, fmt.Errorf("no successful request: %v", firstErr)
	}
	slices.Sort(lats)
	pct := func(p int) time.Duration { return lats[min(len(lats)-1, len(lats)*p/100)] }
	res.p50, res.p90, res.p99, res.pmax = pct(50), pct(90), pct(99), lats[len(lats)-1]
	return res, nil
}
