package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/httpapi"
)

// defaultMetricsAddr is where concord serve exposes its metrics unless told
// otherwise: loopback, on the port of Prometheus exporters (OpenTelemetry's
// default).
const defaultMetricsAddr = "127.0.0.1:9464"

// metricsListener listens for the metrics of --metrics-addr. A loopback
// address needs nothing more; any other needs a token (--metrics-token-file),
// since the metrics tell how busy the node is. "" and "off" serve none.
func metricsListener(addr, tokenFile string) (net.Listener, string, error) {
	if addr == "" || addr == "off" {
		return nil, "", nil
	}
	token := ""
	if tokenFile != "" {
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			return nil, "", concord.Errorf(concord.EINVALID, "--metrics-token-file: %v", err)
		}
		token = strings.TrimSpace(string(b))
		if len(token) < 16 || strings.ContainsAny(token, " \t\r\n") {
			return nil, "", concord.Errorf(concord.EINVALID, "--metrics-token-file %s: want one token of at least 16 characters without spaces", tokenFile)
		}
	}
	if token != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, "", concord.Errorf(concord.EINVALID, "--metrics-addr %q: %v", addr, err)
		}
		return ln, token, nil
	}
	ln, err := listenLoopback("--metrics-addr", addr)
	if err != nil {
		return nil, "", concord.Errorf(concord.EINVALID, "%s (or give --metrics-token-file to serve them beyond this host)", concord.ErrorMessage(err))
	}
	return ln, "", nil
}

// serveMetrics serves api's metrics on ln until the returned stop is called.
func (m *Main) serveMetrics(ln net.Listener, token string, api *httpapi.Server, log *slog.Logger) (stop func()) {
	srv := &http.Server{Handler: api.MetricsHandler(token), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() { _ = srv.Serve(ln) }()
	log.Info("metrics", "addr", ln.Addr().String(), "token", token != "")
	fmt.Fprintf(m.Stdout, "Metrics (Prometheus) on http://%s/metrics\n", ln.Addr())
	return func() { _ = srv.Close() }
}

// parseSize reads a size such as 64MiB, 100MB, 512KiB or 1048576 (bytes).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, concord.Errorf(concord.EINVALID, "%q: want a size such as 64MiB, 100MB or a number of bytes", s)
	}
	return n * mult, nil
}
