package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPprofLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:6060", "example.com:6060", "127.0.0.1"} {
		if ln, err := listenLoopback("--pprof", addr); err == nil {
			ln.Close()
			t.Errorf("--pprof %s: accepted", addr)
		}
	}
	ln, err := listenLoopback("--pprof", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: pprofHandler()}
	go srv.Serve(ln)
	defer srv.Close()
	resp, err := http.Get("http://" + ln.Addr().String() + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "goroutine profile") {
		t.Errorf("goroutine profile: %d %.200s", resp.StatusCode, b)
	}
}

func TestMetricsListener(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.token")
	short := filepath.Join(dir, "short.token")
	os.WriteFile(good, []byte("k2l6q0tJm3JxZr5pXvYw\n"), 0o600)
	os.WriteFile(short, []byte("abc\n"), 0o600)
	for _, c := range []struct {
		addr, token string
		ok, served  bool
		wantToken   string
	}{
		{"off", "", true, false, ""},
		{"", "", true, false, ""},
		{"127.0.0.1:0", "", true, true, ""},
		{"0.0.0.0:0", "", false, false, ""},
		{"192.0.2.1:9464", "", false, false, ""},
		{"0.0.0.0:0", good, true, true, "k2l6q0tJm3JxZr5pXvYw"},
		{"127.0.0.1:0", short, false, false, ""},
		{"127.0.0.1:0", filepath.Join(dir, "missing"), false, false, ""},
	} {
		ln, tok, err := metricsListener(c.addr, c.token)
		if (err == nil) != c.ok || (ln != nil) != c.served || tok != c.wantToken {
			t.Errorf("metricsListener(%q, %q) = %v, %q, %v", c.addr, c.token, ln, tok, err)
		}
		if err != nil && !strings.Contains(err.Error(), "--metrics") {
			t.Errorf("%q: error %q does not name the flag", c.addr, err)
		}
		if ln != nil {
			ln.Close()
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"64MiB": 64 << 20, "100MB": 100e6, "512 KiB": 512 << 10, "1048576": 1 << 20, "2GiB": 2 << 30, "7B": 7,
		"": 0, "-1": 0, "0": 0, "lots": 0, "64mib": 0, "9999999999GiB": 0} {
		got, err := parseSize(in)
		if got != want || (err == nil) != (want != 0) {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}
