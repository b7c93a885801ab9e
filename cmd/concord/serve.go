package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"concord"
	"concord/access"
	"concord/internal/auth"
	"concord/internal/httpapi"
	"concord/internal/job"
	"concord/internal/pnr"
	"concord/internal/service"
	"concord/internal/taxii"
	"concord/internal/web"
)

func (m *Main) serveCommand() *cobra.Command {
	var addr, pprofAddr, deny, metricsAddr, metricsToken, maxUpload, uploadDir, snapshot, memLimit string
	var schedule time.Duration
	var fedAddr string
	var syncEvery time.Duration
	var relay bool
	var workers int
	var fourEyes []string
	var authTTL, retentionEvery time.Duration
	var jobs jobOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the console and the JSON API: search, screening jobs, review, audit",
		Long: `Start the server. On a fresh data directory it loads the default coalition
and the bundled UN Consolidated List, creates the first administrator (user
admin, member secretariat) and prints its password once.

Endpoints: / (the console, for people: open it in a browser and sign in),
/v1 (JSON API, OpenAPI at /v1/openapi.json), /taxii2/ (TAXII 2.1: one
collection per audience the caller may read, for MISP and OpenCTI; a bearer
token, or HTTP Basic with the user name and a token), /healthz, /readyz. Prometheus
metrics are served on a listener of their own, --metrics-addr (127.0.0.1:9464
by default; "off" for none): a loopback address, or any address with
--metrics-token-file, whose token the scraper then sends as "Authorization:
Bearer <token>". They count requests, latencies and sign-ins, never what
members do. API clients sign in with POST /v1/auth/login {"user","password"}
and send the returned token as "Authorization: Bearer <token>". Screening
jobs run in the background; several nodes on one PostgreSQL share them (each
claims chunks of rows and leases them, --job-lease; the rows of a node that
dies go to the others when its lease expires), members take turns
(--jobs-per-member), and a job's owner may cancel it. SIGINT/SIGTERM shut
down gracefully and give the rows being screened back.

Every node follows the store's change feed: a record imported, contributed
or retracted anywhere (another node, concord import on the same data
directory) reaches this node's match index, and a revocation, logout,
disabled user or group change its credential cache, within a second or
two. /readyz answers 503 until every index (match, identifiers, hash bank,
network) is loaded and has caught up with the feed. --four-eyes es,uz turns a confirmation by one reviewer of those
members into a proposal that a second reviewer of the member confirms or
dismisses. --pprof ADDR serves net/http/pprof on a separate listener, which
must be a loopback address.

Federation (docs/FEDERATION.md): --federation-addr serves the signed feed
of statement versions to the configured peers (concord peer add) over
mutual TLS with the node key; --sync-every pulls from every peer with a
URL; --relay forwards what this node received from others (a coalition
node).`,
		Example: `  concord serve
  concord serve --addr 127.0.0.1:9090 --db postgres://concord@db/concord
  concord serve --pprof 127.0.0.1:6060   # then: go tool pprof http://127.0.0.1:6060/debug/pprof/profile
  concord serve --metrics-addr 10.0.0.5:9464 --metrics-token-file /etc/concord/metrics.token
  concord serve --federation-addr 127.0.0.1:8443 --sync-every 30s --relay`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			read, err := readOptions(deny)
			if err != nil {
				return err
			}
			maxBytes, err := parseSize(maxUpload)
			if err != nil {
				return concord.FieldError("--max-upload", err)
			}
			return m.runServe(cmd.Context(), serveOptions{addr: addr, workers: workers, pprof: pprofAddr, authCacheTTL: authTTL, fourEyes: fourEyes, retentionEvery: retentionEvery,
				read: read, pnrEvery: schedule, metrics: metricsAddr, metricsToken: metricsToken, maxUpload: maxBytes, uploadDir: uploadDir,
				indexSnapshot: snapshot, indexSnapshotSet: cmd.Flags().Changed("index-snapshot"), memoryLimit: memLimit,
				federation: fedAddr, syncEvery: syncEvery, relay: relay, jobs: jobs})
		},
	}
	cmd.Flags().StringVar(&jobs.node, "node-id", "", "this node's name in job leases, the audit and the logs (default: host-pid)")
	cmd.Flags().DurationVar(&jobs.lease, "job-lease", job.DefaultLease, "how long a node holds the rows it claimed unless it renews them; a dead node's rows wait this long")
	cmd.Flags().IntVar(&jobs.perMember, "jobs-per-member", job.DefaultPerMember, "chunks of one member's jobs screened at once, on all nodes, before other members' jobs go first")
	cmd.Flags().IntVar(&jobs.maxRows, "max-job-rows", job.DefaultMaxRows, "queries a screening job may hold; more is refused (413)")
	cmd.Flags().IntVar(&jobs.maxErrors, "max-job-errors", job.DefaultMaxErrors, "refused rows stored per job (all are counted)")
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "listen address (port 0 picks a free one)")
	cmd.Flags().IntVar(&workers, "workers", 0, "chunks of job rows this node screens at once (default: number of CPUs)")
	cmd.Flags().StringVar(&maxUpload, "max-upload", "64MiB", "largest screening upload (CSV or PAXLST) accepted; larger ones get 413")
	cmd.Flags().StringVar(&uploadDir, "upload-dir", "", "where uploads are spooled while they are parsed (default: $TMPDIR, else /tmp)")
	cmd.Flags().DurationVar(&authTTL, "auth-cache", auth.DefaultCacheTTL,
		"remember a verified credential this long (0: off); changes made elsewhere evict it through the change feed, this bounds how long they may be missed")
	cmd.Flags().DurationVar(&retentionEvery, "retention-every", time.Hour, "how often the retention job depersonalises closed cases that fell due (0: never)")
	cmd.Flags().StringSliceVar(&fourEyes, "four-eyes", nil, "members (ids) whose alert confirmations need a second reviewer, e.g. es,uz")
	cmd.Flags().StringVar(&fedAddr, "federation-addr", "", "serve the federation feed to peers on this address (mutual TLS with node keys), e.g. :8443; off by default")
	cmd.Flags().DurationVar(&syncEvery, "sync-every", 0, "pull from every peer with a URL this often (e.g. 30s); 0: never (concord sync pulls once)")
	cmd.Flags().BoolVar(&relay, "relay", false, "forward to peers what this node received from others (a coalition node)")
	cmd.Flags().StringVar(&pprofAddr, "pprof", "", "serve net/http/pprof on this loopback address (e.g. 127.0.0.1:6060); off by default")
	cmd.Flags().StringVar(&deny, "pnr-deny", "", "file of SSR codes never kept from a PNRGOV push (default: special meals and health requests)")
	cmd.Flags().DurationVar(&schedule, "pnr-schedule", time.Hour, "how often PNR versions due are depersonalised and deleted (0: never; concord pnr housekeep does it by hand)")
	cmd.Flags().StringVar(&metricsAddr, "metrics-addr", defaultMetricsAddr, `serve Prometheus /metrics on this address: loopback, or any with --metrics-token-file ("off": none)`)
	cmd.Flags().StringVar(&metricsToken, "metrics-token-file", "", "file holding the bearer token a scraper must send for /metrics")
	cmd.Flags().StringVar(&memLimit, "memory-limit", "auto", `soft limit of the Go heap, which the collector works harder to keep under (the indexes are most of it): a size such as 18GiB, "off", or "auto": GOMEMLIMIT when set, else 3/4 of the memory of the machine or of the process's cgroup`)
	cmd.Flags().StringVar(&snapshot, "index-snapshot", "", "file of the match index's snapshot, loaded at start and saved every 10 minutes and at exit, the identifier index, the hash bank and the network beside it (FILE.ids, FILE.bank, FILE.network) (default: index.snapshot in --data; none with --db; \"\" for none)")
	return cmd
}

// routeNode sends the API's paths to the JSON API, /taxii2/ to the TAXII
// server and everything else to the console.
func routeNode(api, console, taxiiSrv http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/taxii2/", taxiiSrv)
	for _, p := range []string{"/v1/", "/healthz", "/readyz", "/metrics"} {
		mux.Handle(p, api)
	}
	mux.Handle("/v1", api)
	mux.Handle("/", console)
	return mux
}

// serveOptions are the flags of concord serve.
type serveOptions struct {
	addr    string
	workers int
	// authCacheTTL is Config.CacheTTL of the authenticator; 0: no cache.
	authCacheTTL time.Duration
	// fourEyes are the members whose confirmations need a second reviewer.
	fourEyes []string
	// pprof is the loopback address of the profiling listener; "" for none.
	pprof string
	// retentionEvery is how often the retention job runs; 0: never.
	retentionEvery time.Duration
	// metrics is the address of the metrics listener ("" or "off": none);
	// metricsToken the file of its bearer token, if any.
	metrics, metricsToken string
	// maxUpload bounds screening uploads (0: the API's default); uploadDir
	// is where they are spooled ("": the system's temporary directory).
	maxUpload int64
	uploadDir string
	// indexSnapshot is --index-snapshot, when indexSnapshotSet.
	indexSnapshot    string
	indexSnapshotSet bool
	// memoryLimit is --memory-limit ("" as "auto").
	memoryLimit string
	// ready, if set, receives the listening address (tests use port 0).
	ready func(addr string)
	// read is how uploaded batches are read (the PNR deny list).
	read job.Options
	// pnrEvery is the period of the PNR schedule (depersonalisation and
	// deletion); 0: off.
	pnrEvery time.Duration
	// federation is the address of the federation listener; "" for none.
	federation string
	// syncEvery is how often peers are pulled from; 0: never.
	syncEvery time.Duration
	// relay makes the node forward what it received from others.
	relay bool
	// fedReady, if set, receives the federation listener's address.
	fedReady func(addr string)
	jobs     jobOptions
}

// jobOptions are the job queue's flags.
type jobOptions struct {
	node                          string
	lease                         time.Duration
	perMember, maxRows, maxErrors int
}

// runServe runs the server until ctx ends.
func (m *Main) runServe(ctx context.Context, o serveOptions) error {
	addr, workers, ready := o.addr, o.workers, o.ready
	log := slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	limit, restoreLimit, err := applyMemoryLimit(o.memoryLimit, os.ReadFile)
	if err != nil {
		return err
	}
	defer restoreLimit()
	if limit < math.MaxInt64 {
		log.Info("memory limit", "bytes", limit)
	}
	var pprofLn net.Listener
	if o.pprof != "" {
		// Listen before the (slow) store and index loading so that a bad
		// address fails at once, and so that start-up can be profiled.
		var err error
		if pprofLn, err = listenLoopback("--pprof", o.pprof); err != nil {
			return err
		}
		defer pprofLn.Close()
		psrv := &http.Server{Handler: pprofHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = psrv.Serve(pprofLn) }()
		defer psrv.Close()
		log.Info("profiling", "addr", pprofLn.Addr().String())
		fmt.Fprintf(m.Stdout, "Profiling (net/http/pprof) on http://%s/debug/pprof/\n", pprofLn.Addr())
	}
	// Listen before the store is opened, so that a bad or busy address fails
	// at once; serve once the API (which owns the counters) exists.
	metricsLn, metricsToken, err := metricsListener(o.metrics, o.metricsToken)
	if err != nil {
		return err
	}
	if metricsLn != nil {
		defer metricsLn.Close()
	}
	ctx = concord.WithActor(ctx, concord.Actor{User: "system", Via: "serve"})
	st, err := m.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := m.bootstrapAdmin(ctx, st); err != nil {
		return err
	}
	// Changes committed from here on reach the index through the feed.
	from, err := st.LastChange(ctx)
	if err != nil {
		return err
	}
	snapshot := m.indexSnapshot(o.indexSnapshot, o.indexSnapshotSet)
	t0 := time.Now()
	nx, err := loadIndexes(ctx, st, snapshot, log)
	if err != nil {
		return err
	}
	log.Info("indexes loaded", "took", time.Since(t0).String())
	svc, ids, bank, network := nx.match, nx.ids, nx.bank, nx.network
	from = min(from, nx.at) // the changes a snapshot misses reach everything again: harmless

	cacheTTL := o.authCacheTTL
	if cacheTTL <= 0 {
		cacheTTL = -1 // off
	}
	authn, err := auth.New(auth.Config{Users: st, Groups: st, Clock: m.Clock, CacheTTL: cacheTTL})
	if err != nil {
		return err
	}
	if o.jobs.node == "" {
		o.jobs.node = job.DefaultNode()
	}
	runner := &job.Runner{
		Store:  st,
		Match:  svc.Match,
		Idents: ids.Match,
		HighRisk: func(ctx context.Context, member string) ([]string, error) {
			mem, err := st.Member(ctx, member)
			if concord.ErrorCode(err) == concord.ENOTFOUND {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return mem.HighRisk, nil
		},
		Viewer:     func(ctx context.Context, user string) (access.Viewer, error) { return viewerOf(ctx, st, user) },
		Clock:      m.Clock,
		Log:        log,
		Node:       o.jobs.node,
		Workers:    workers,
		Lease:      o.jobs.lease,
		PerMember:  o.jobs.perMember,
		Limits:     job.Limits{MaxRows: o.jobs.maxRows, MaxErrors: o.jobs.maxErrors},
		Contribute: st.Contribute,
		Read:       o.read,
		TempDir:    o.uploadDir,
	}
	follower := nodeFollower(st, authn, runner, log, svc, ids, bank, network)
	onChange := func(id string) {
		if err := svc.Refresh(context.WithoutCancel(ctx), id); err != nil {
			log.Error("refreshing the match index", "entity", id, "err", err)
		}
		if err := ids.Refresh(context.WithoutCancel(ctx), id); err != nil {
			log.Error("refreshing the identifier index", "entity", id, "err", err)
		}
		if err := bank.Refresh(context.WithoutCancel(ctx), id); err != nil {
			log.Error("refreshing the hash bank", "entity", id, "err", err)
		}
		if err := network.Refresh(context.WithoutCancel(ctx), id); err != nil {
			log.Error("refreshing the network", "entity", id, "err", err)
		}
	}
	runner.OnChange = onChange
	readyCheck := func(ctx context.Context) error {
		if !follower.CaughtUp() {
			return errors.New("catching up with the change feed")
		}
		_, err := st.Datasets(ctx)
		return err
	}
	fourEyes := map[string]bool{}
	for _, m := range o.fourEyes {
		fourEyes[strings.TrimSpace(m)] = true
	}
	pnrs, err := m.pnrService(st, o.read)
	if err != nil {
		return err
	}
	services := &service.Service{Store: st, Matcher: svc, Clock: m.Clock, OnChange: onChange,
		FourEyes: func(member string) bool { return fourEyes[member] }}
	api, err := httpapi.New(httpapi.Config{Service: services,
		Store: st, Matcher: svc, Jobs: runner, Auth: authn, Clock: m.Clock, Logger: log, Media: bank, PNR: pnrs, MaxJobBody: o.maxUpload,
		Ready:    readyCheck,
		OnChange: onChange,
		Network:  network.Current,
	})
	if err != nil {
		return err
	}
	console, err := web.New(web.Config{Service: services,
		Store: st, Matcher: svc, Jobs: runner, Auth: authn, Clock: m.Clock, Logger: log, PNR: pnrs,
		OnChange: onChange, IndexSize: svc.Len, Network: network.Current,
		Ready: readyCheck,
		FirstStart: func(ctx context.Context) bool {
			us, err := st.Users(ctx, "")
			return err == nil && len(us) == 1 && us[0].Name == "admin"
		},
	})
	if err != nil {
		return err
	}
	if metricsLn != nil {
		defer m.serveMetrics(metricsLn, metricsToken, api, log)()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	taxiiSrv := &taxii.Server{Store: st, Log: log, Auth: taxii.AuthFunc(func(ctx context.Context, user, cred string) (access.Viewer, error) {
		p, err := authn.Authenticate(ctx, cred)
		if err != nil {
			return access.Viewer{}, err
		}
		if user != "" && p.Viewer.User != user {
			return access.Viewer{}, concord.Errorf(concord.EUNAUTHORIZED, "invalid credentials")
		}
		return p.Viewer, nil
	})}
	// Request lines and headers of at most 64 KiB (net/http answers 431
	// beyond): no identifier or parameter needs more.
	srv := &http.Server{Handler: routeNode(api.Handler(), console.Handler(), taxiiSrv.Handler()), ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := runner.Run(runCtx); err != nil {
			log.Error("job runner stopped", "err", err)
		}
	})
	wg.Go(func() { _ = follower.Run(runCtx, from) })
	wg.Go(func() { retentionLoop(runCtx, services, m.Clock, o.retentionEvery, log) })
	if o.pnrEvery > 0 {
		wg.Go(func() { pnrSchedule(runCtx, pnrs, o.pnrEvery, log) })
	}
	// concord user unlock / reset-password, from the CLI or another node.
	wg.Go(func() { authn.FollowUnlocks(runCtx, st, time.Second, log) })
	if snapshot != "" {
		wg.Go(func() { saveSnapshots(runCtx, nx, follower, snapshot, nx.fresh, log) })
	}
	if o.federation == "" && o.syncEvery == 0 && m.DBURL == "" {
		// The node's identity exists from the first start (concord node
		// key shows it), federation or not.
		if _, err := m.federationNode(st, false); err != nil {
			stop()
			wg.Wait()
			return err
		}
	}
	if o.federation != "" || o.syncEvery > 0 {
		fsrv, err := m.serveFederation(runCtx, st, log, o, &wg)
		if err != nil {
			stop()
			wg.Wait()
			return err
		}
		if fsrv != nil {
			defer fsrv.Close()
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "store", m.storeName(), "node", runner.Node)
	fmt.Fprintf(m.Stdout, "Concord is listening on http://%s (console at /, API under /v1, OpenAPI at /v1/openapi.json)\n", ln.Addr())
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		stop()
		wg.Wait()
		return err
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	err = srv.Shutdown(shutCtx)
	stop()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// pnrSchedule depersonalises and deletes PNR versions on the members'
// policies, at start and then every period, until ctx ends.
func pnrSchedule(ctx context.Context, svc *pnr.Service, every time.Duration, log *slog.Logger) {
	ctx = concord.WithActor(ctx, concord.Actor{User: "system", Via: "schedule"})
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rep, err := svc.Housekeep(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("PNR schedule", "err", err)
		case err == nil && (rep.Depersonalised > 0 || rep.Deleted > 0):
			log.Info("PNR schedule", "depersonalised", rep.Depersonalised, "deleted", rep.Deleted, "bookings", rep.Bookings)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// serveFederation starts the federation listener and the periodic pulls.
func (m *Main) serveFederation(ctx context.Context, st concord.Store, log *slog.Logger, o serveOptions, wg *sync.WaitGroup) (*http.Server, error) {
	node, err := m.federationNode(st, o.relay)
	if err != nil {
		return nil, err
	}
	node.Log = log
	if o.syncEvery > 0 {
		wg.Go(func() {
			node.Run(concord.WithActor(ctx, concord.Actor{User: "system", Via: "federation"}), o.syncEvery)
		})
	}
	if o.federation == "" {
		return nil, nil
	}
	cfg, err := node.ServerTLS()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", o.federation)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: node.Handler(), TLSConfig: cfg, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() { _ = srv.Serve(tls.NewListener(ln, cfg)) }()
	log.Info("federation listening", "addr", ln.Addr().String(), "key", node.Key.String())
	fmt.Fprintf(m.Stdout, "Federation feed on https://%s (node key %s)\n", ln.Addr(), node.Key)
	if o.fedReady != nil {
		o.fedReady(ln.Addr().String())
	}
	return srv, nil
}

func (m *Main) storeName() string {
	if m.DBURL != "" {
		return "postgres"
	}
	return "sqlite:" + m.DataDir
}

// viewerOf builds the access viewer of a user (for jobs resumed after a
// restart, which run with their owner's rights).
func viewerOf(ctx context.Context, st concord.Store, name string) (access.Viewer, error) {
	u, err := st.User(ctx, name)
	if err != nil {
		return access.Viewer{}, err
	}
	if u.Disabled {
		return access.Viewer{}, concord.Errorf(concord.EFORBIDDEN, "user %s is disabled", name)
	}
	groups, err := st.MemberGroups(ctx, u.Member)
	if err != nil {
		return access.Viewer{}, err
	}
	return access.Viewer{User: u.Name, Member: u.Member, Roles: u.Roles, Groups: groups}, nil
}

// bootstrapAdmin creates the first administrator on a store with no user
// and prints its password once.
func (m *Main) bootstrapAdmin(ctx context.Context, st concord.Store) error {
	users, err := st.Users(ctx, "")
	if err != nil {
		return err
	}
	if len(users) > 0 {
		return nil
	}
	pw, err := auth.NewPassword()
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	u := &concord.User{Name: "admin", Member: "secretariat", Roles: []concord.Role{concord.RoleAdmin, concord.RoleSecretariat},
		PasswordHash: hash, CreatedAt: m.Clock.Now()}
	if err := st.CreateUser(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, `
First start: created the administrator.
  user:     admin
  password: %s
This password is shown once. Open the console (its address is printed
below) and sign in, or sign in to the API with
  curl -s -X POST http://<addr>/v1/auth/login -H 'Content-Type: application/json' -d '{"user":"admin","password":"<password>"}'
Create your analysts' and reviewers' accounts in the console (Operate → Users)
or with: concord user add NAME --member es --role analyst,reviewer

`, pw)
	return nil
}
