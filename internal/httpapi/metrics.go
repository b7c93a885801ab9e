package httpapi

import (
	"crypto/subtle"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry the Server owns
// (never the global default one, so that two servers in one process, as in
// tests, count apart). Every label takes values from a fixed set: route
// patterns of the route table (or "unmatched"), standard methods (others
// count as OTHER), the statuses the handlers write, and the label values of
// counterHelp. No client can grow the series.
//
// They describe the service, not the members' work: request rates,
// latencies, statuses, sign-in outcomes, the Go runtime and the process.
// Nothing counts contributions, decisions, jobs, hits or anything else a
// member does, and no label names a member, a user or a record — whoever
// reads the metrics (a monitoring system, its operators) learns how busy and
// healthy the node is, not what the coalition is doing. They are served on
// a listener of their own (MetricsHandler), never on the API.
type metrics struct {
	reg      *prometheus.Registry
	handler  http.Handler
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	byRoute  map[string]prometheus.Observer // latency per known route, made once; read-only
	counters map[string]*prometheus.CounterVec
}

// latencyBuckets are the upper bounds, in seconds, of the latency histogram.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// counterHelp describes the labelled counters the handlers increment: label
// name, help, and the label values (exported at zero from the start).
var counterHelp = map[string]struct {
	label, help string
	values      []string
}{
	"concord_match_queries_total": {"kind", "Queries screened through the API, by kind (match, search): the load on the engine.", []string{"match", "search"}},
	"concord_logins_total":        {"result", "Sign-in attempts, by result (ok, failed, rate_limited).", []string{"ok", "failed", "rate_limited"}},
	"concord_auth_failures_total": {"reason", "Requests refused for missing or invalid credentials.", []string{"credentials"}},
}

// newMetrics registers the metrics; routes are the route patterns known in
// advance.
func newMetrics(routes []string) *metrics {
	start := time.Now()
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "concord_http_requests_total",
			Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "concord_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: latencyBuckets,
		}, []string{"route"}),
		byRoute:  map[string]prometheus.Observer{},
		counters: map[string]*prometheus.CounterVec{},
	}
	m.reg.MustRegister(m.requests, m.latency,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "concord_goroutines", Help: "Goroutines that currently exist."},
			func() float64 { return float64(runtime.NumGoroutine()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "concord_uptime_seconds", Help: "Seconds since the server started."},
			func() float64 { return time.Since(start).Seconds() }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	for name, c := range counterHelp {
		v := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: c.help}, []string{c.label})
		for _, lv := range c.values {
			v.WithLabelValues(lv)
		}
		m.reg.MustRegister(v)
		m.counters[name] = v
	}
	for _, r := range append(routes, "unmatched") {
		m.byRoute[r] = m.latency.WithLabelValues(r)
	}
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
	return m
}

// observe records one request. Methods outside the standard ones count as
// OTHER, so that no client can grow the series without bound.
func (m *metrics) observe(route, method string, status int, d time.Duration) {
	switch method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
	default:
		method = "OTHER"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	o, ok := m.byRoute[route]
	if !ok {
		o = m.latency.WithLabelValues(route)
	}
	o.Observe(d.Seconds())
}

// inc adds n to a labelled counter named in counterHelp.
func (m *metrics) inc(name, label string, n int) {
	if m == nil || n <= 0 {
		return
	}
	if v, ok := m.counters[name]; ok {
		v.WithLabelValues(label).Add(float64(n))
	}
}

// MetricsHandler serves the server's metrics at GET /metrics in the
// Prometheus exposition format the scraper asks for, for a listener of its
// own (concord serve --metrics-addr). With a token, only a request carrying
// "Authorization: Bearer <token>" gets them (Prometheus' authorization
// credentials_file); any other gets 401. Every other path is 404.
func (s *Server) MetricsHandler(token string) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if token != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="concord-metrics"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		s.metrics.handler.ServeHTTP(w, r)
	})
}
