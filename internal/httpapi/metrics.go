package httpapi

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// metrics are the server's Prometheus metrics, written in the text
// exposition format (version 0.0.4) without the client library: the module
// lists github.com/prometheus/client_golang but not its dependencies, and a
// dozen counters do not need them. Counters and histogram buckets are
// atomic; the maps of labelled series are guarded by a mutex taken only when
// a new series appears.
type metrics struct {
	start time.Time

	mu       sync.RWMutex
	requests map[[3]string]*atomic.Uint64 // route, method, status
	latency  map[string]*histogram        // route
	counters map[[2]string]*atomic.Uint64 // name, label value (see counterHelp)
}

// latencyBuckets are the upper bounds, in seconds, of the latency histogram.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// counterHelp describes the labelled counters the handlers increment.
var counterHelp = map[string][2]string{
	"concord_match_queries_total":   {"kind", "Queries screened through the API, by kind (match, search)."},
	"concord_jobs_submitted_total":  {"kind", "Screening jobs submitted, by kind (csv, paxlst)."},
	"concord_alert_decisions_total": {"status", "Alert decisions, by status (confirmed, dismissed)."},
	"concord_logins_total":          {"result", "Sign-in attempts, by result (ok, failed, rate_limited)."},
	"concord_contributions_total":   {"action", "Statement writes, by action (contribute, retract, reshare)."},
	"concord_auth_failures_total":   {"reason", "Requests refused for missing or invalid credentials."},
	"concord_match_results_total":   {"match", "Results returned by /v1/match, by whether they are above threshold."},
}

type histogram struct {
	counts []atomic.Uint64 // one per bucket, then +Inf
	sum    atomic.Uint64   // float64 bits
	n      atomic.Uint64
}

func newMetrics() *metrics {
	return &metrics{start: time.Now(), requests: map[[3]string]*atomic.Uint64{},
		latency: map[string]*histogram{}, counters: map[[2]string]*atomic.Uint64{}}
}

// observe records one request. Methods outside the standard ones count as
// OTHER, so that no client can grow the series without bound.
func (m *metrics) observe(route, method string, status int, d time.Duration) {
	switch method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
	default:
		method = "OTHER"
	}
	series(m, m.requests, [3]string{route, method, strconv.Itoa(status)}, func() *atomic.Uint64 { return new(atomic.Uint64) }).Add(1)
	h := series(m, m.latency, route, func() *histogram {
		return &histogram{counts: make([]atomic.Uint64, len(latencyBuckets)+1)}
	})
	secs := d.Seconds()
	i, _ := slices.BinarySearch(latencyBuckets, secs)
	h.counts[i].Add(1)
	h.n.Add(1)
	for {
		old := h.sum.Load()
		if h.sum.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+secs)) {
			break
		}
	}
}

// inc adds n to a labelled counter named in counterHelp.
func (m *metrics) inc(name, label string, n int) {
	if m == nil || n <= 0 {
		return
	}
	series(m, m.counters, [2]string{name, label}, func() *atomic.Uint64 { return new(atomic.Uint64) }).Add(uint64(n))
}

// series returns the value of k in mp, creating it with mk.
func series[K comparable, V any](m *metrics, mp map[K]*V, k K, mk func() *V) *V {
	m.mu.RLock()
	v := mp[k]
	m.mu.RUnlock()
	if v != nil {
		return v
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if v = mp[k]; v == nil {
		v = mk()
		mp[k] = v
	}
	return v
}

// ServeHTTP writes the metrics in the Prometheus text format.
func (m *metrics) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	m.write(w)
}

func (m *metrics) write(w io.Writer) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	fmt.Fprintf(w, "# HELP concord_http_requests_total HTTP requests by route pattern, method and status.\n")
	fmt.Fprintf(w, "# TYPE concord_http_requests_total counter\n")
	for _, k := range sortedKeys(m.requests, func(k [3]string) string { return strings.Join(k[:], "\x00") }) {
		fmt.Fprintf(w, "concord_http_requests_total{route=%s,method=%s,status=%s} %d\n",
			quote(k[0]), quote(k[1]), quote(k[2]), m.requests[k].Load())
	}
	fmt.Fprintf(w, "# HELP concord_http_request_duration_seconds HTTP request latency by route pattern.\n")
	fmt.Fprintf(w, "# TYPE concord_http_request_duration_seconds histogram\n")
	for _, route := range sortedKeys(m.latency, func(k string) string { return k }) {
		h := m.latency[route]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i].Load()
			fmt.Fprintf(w, "concord_http_request_duration_seconds_bucket{route=%s,le=%q} %d\n", quote(route), strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		cum += h.counts[len(latencyBuckets)].Load()
		fmt.Fprintf(w, "concord_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", quote(route), cum)
		fmt.Fprintf(w, "concord_http_request_duration_seconds_sum{route=%s} %s\n", quote(route),
			strconv.FormatFloat(math.Float64frombits(h.sum.Load()), 'g', -1, 64))
		fmt.Fprintf(w, "concord_http_request_duration_seconds_count{route=%s} %d\n", quote(route), h.n.Load())
	}
	names := make([]string, 0, len(counterHelp))
	for n := range counterHelp {
		names = append(names, n)
	}
	slices.Sort(names)
	keys := sortedKeys(m.counters, func(k [2]string) string { return k[0] + "\x00" + k[1] })
	for _, name := range names {
		help := counterHelp[name]
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", name, help[1], name)
		for _, k := range keys {
			if k[0] == name {
				fmt.Fprintf(w, "%s{%s=%s} %d\n", name, help[0], quote(k[1]), m.counters[k].Load())
			}
		}
	}
	fmt.Fprintf(w, "# HELP concord_goroutines Goroutines that currently exist.\n# TYPE concord_goroutines gauge\nconcord_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintf(w, "# HELP concord_uptime_seconds Seconds since the server started.\n# TYPE concord_uptime_seconds gauge\nconcord_uptime_seconds %s\n",
		strconv.FormatFloat(time.Since(m.start).Seconds(), 'f', 3, 64))
}

func sortedKeys[K comparable, V any](mp map[K]V, str func(K) string) []K {
	out := make([]K, 0, len(mp))
	for k := range mp {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b K) int { return strings.Compare(str(a), str(b)) })
	return out
}

// quote escapes a label value: backslash, double quote and newline.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
