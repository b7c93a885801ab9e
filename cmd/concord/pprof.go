package main

import (
	"net"
	"net/http"
	"net/http/pprof"

	"concord"
)

// listenLoopback listens on addr, the value of flag, which must name a
// loopback address: the profiling endpoints reveal memory contents (heap
// profiles hold strings of the data) and cost CPU, and the metrics tell how
// busy the node is, so neither is exposed beyond the host unprotected.
func listenLoopback(flag, addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "%s %q: want HOST:PORT on a loopback address", flag, addr)
	}
	if host != "localhost" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return nil, concord.Errorf(concord.EINVALID, "%s %q: only a loopback address (127.0.0.1, ::1, localhost) is allowed", flag, addr)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "%s %q: %v", flag, addr, err)
	}
	if ta, ok := ln.Addr().(*net.TCPAddr); ok && !ta.IP.IsLoopback() {
		ln.Close()
		return nil, concord.Errorf(concord.EINVALID, "%s %q: resolves to %s, not a loopback address", flag, addr, ta.IP)
	}
	return ln, nil
}

// pprofHandler serves net/http/pprof on its own mux (never
// http.DefaultServeMux, where the package registers itself).
func pprofHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
