package job

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"concord"
	"concord/access"
	"concord/internal/store"
)

var screener = access.Viewer{User: "amina", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}}

func newRunner(t *testing.T) (*Runner, *store.DB) {
	t.Helper()
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &Runner{Store: db, TempDir: t.TempDir()}, db
}

// csvRows is a CSV of n rows generated as it is read, never held whole.
type csvRows struct {
	n, i int
	buf  bytes.Buffer
	bad  func(i int) bool // rows to make invalid (empty name)
}

func (c *csvRows) Read(p []byte) (int, error) {
	for c.buf.Len() < len(p) && c.i <= c.n {
		switch {
		case c.i == 0:
			c.buf.WriteString("id,name,birth_date,nationality\n")
		case c.bad != nil && c.bad(c.i):
			fmt.Fprintf(&c.buf, "r%d,,1980,sy\n", c.i)
		default:
			fmt.Fprintf(&c.buf, "r%d,Traveller%d Person%d,1980-01-%02d,sy\n", c.i, c.i, c.i*7, 1+c.i%28)
		}
		c.i++
	}
	if c.buf.Len() == 0 {
		return 0, io.EOF
	}
	return c.buf.Read(p)
}

// manifestRows is a PAXLST manifest of one message of n travellers,
// generated as it is read; bad, if not nil, makes traveller i's birth date
// invalid, which refuses the manifest.
type manifestRows struct {
	n, i int
	buf  bytes.Buffer
	bad  func(i int) bool
	done bool
}

func (m *manifestRows) Read(p []byte) (int, error) {
	if m.i == 0 && m.buf.Len() == 0 && !m.done {
		m.buf.WriteString("UNA:+.? 'UNB+UNOA:4+AIR+GOV+260301:0631+1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+XX1+++XX'LOC+125+VIE'LOC+87+FRA'\n")
	}
	for m.buf.Len() < len(p) && !m.done {
		if m.i == m.n {
			fmt.Fprintf(&m.buf, "CNT+42:%d'UNT+%d+M1'UNZ+1+1'\n", m.n, 7+4*m.n)
			m.done = true
			break
		}
		m.i++
		day := 1 + m.i%28
		if m.bad != nil && m.bad(m.i) {
			day = 32
		}
		fmt.Fprintf(&m.buf, "NAD+FL+++PERSON%d:TRAVELLER'ATT+2++M'DTM+329:8001%02d'DOC+P+X%08d'\n", m.i, day, m.i)
	}
	if m.buf.Len() == 0 {
		return 0, io.EOF
	}
	return m.buf.Read(p)
}

func TestSubmitStreamsIntoTheStore(t *testing.T) {
	r, db := newRunner(t)
	ctx := concord.WithActor(context.Background(), concord.Actor{User: "amina", Member: "es", Via: "api"})
	j, err := r.Submit(ctx, screener, "csv", "big.csv", &csvRows{n: 5000, bad: func(i int) bool { return i%100 == 0 }}, 0.8, 5)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Job(ctx, j.ID)
	if err != nil || got.Total != 4950 || got.Kind != "csv" {
		t.Fatalf("job: %+v %v", got, err)
	}
	// 50 refused rows, the first ones named, the rest counted.
	if !strings.HasPrefix(got.Error, "50 rows skipped: line 101: query r100: empty name; line 201") ||
		!strings.HasSuffix(got.Error, "; and 30 more") || len(got.Error) > 4096 {
		t.Errorf("error summary (%d bytes): %.300s", len(got.Error), got.Error)
	}
	rows, err := db.PendingRows(ctx, j.ID, 10000)
	if err != nil || len(rows) != 4950 || rows[0].Key != "r1" || rows[4949].Key != "r4999" {
		t.Errorf("rows: %d %v", len(rows), err)
	}
}

func TestSubmitRefusesAndLeavesNothing(t *testing.T) {
	manifest, err := os.ReadFile("../importer/paxlst/testdata/gtas_multiple_flight_leg_05B.txt")
	if err != nil {
		t.Skip(err)
	}
	truncated := manifest[:bytes.LastIndex(manifest, []byte("UNT"))]
	for _, c := range []struct {
		name, kind string
		body       io.Reader
		want       string
	}{
		{"no valid row", "csv", strings.NewReader("id,name\nr1,\nr2,\n"), "x: no query to screen: line 2: query r1: empty name"},
		{"no header", "csv", strings.NewReader("just,text\n"), `header lacks the "id" column`},
		{"a record too long", "csv", io.MultiReader(strings.NewReader("id,name\nr1,\""), strings.NewReader(strings.Repeat("x", 2<<20))), "longer than 1048576 bytes"},
		{"a truncated manifest", "paxlst", bytes.NewReader(truncated), "x: paxlst: segment"},
		{"declared csv, sent a manifest", "csv", bytes.NewReader(manifest), "declared csv but the content is paxlst"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, db := newRunner(t)
			_, err := r.Submit(context.Background(), screener, c.kind, "x", c.body, 0.8, 5)
			if concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if js, err := db.Jobs(context.Background(), ""); err != nil || len(js) != 0 {
				t.Errorf("jobs after a refused upload: %v %v", js, err)
			}
			if left, _ := os.ReadDir(r.TempDir); len(left) != 0 {
				t.Errorf("spooled files left behind: %v", left)
			}
		})
	}
}

// An upload's size costs the server no memory: a 5 MB CSV (100,000 rows)
// is submitted while the heap is sampled; it must grow by less than the
// upload's size (the old Submit held the body, every query and every row:
// some 40 MB here).
func TestSubmitMemoryBounded(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("submits 100,000 rows; not under -short or -race")
	}
	for _, tt := range []struct {
		kind string
		body io.Reader
		mb   int // size of the upload
	}{
		{"csv", &csvRows{n: 100_000}, 5},
		{"paxlst", &manifestRows{n: 100_000}, 8},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			r, db := newRunner(t)
			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base)
			var peak atomic.Uint64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				var ms runtime.MemStats
				for {
					runtime.ReadMemStats(&ms)
					if ms.HeapInuse > peak.Load() {
						peak.Store(ms.HeapInuse)
					}
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
			})
			j, err := r.Submit(context.Background(), screener, tt.kind, "big", tt.body, 0.8, 5)
			close(stop)
			wg.Wait()
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := db.Job(context.Background(), j.ID); got == nil || got.Total != 100_000 {
				t.Fatalf("job %+v", got)
			}
			growth := int64(peak.Load()) - int64(base.HeapInuse)
			t.Logf("heap in use grew by %.1f MB for a 100,000-row upload of %d MB", float64(growth)/1e6, tt.mb)
			// The heap in use counts garbage not yet collected (GOGC
			// lets it reach about twice the live heap): a streamed upload
			// grows it by 5–10 MB, one held whole by over 300 MB.
			if growth > 32<<20 {
				t.Errorf("heap grew by %.1f MB for an upload of %d MB: not streamed", float64(growth)/1e6, tt.mb)
			}
		})
	}
}

// TestSubmitBadManifestLeavesNothing: a manifest refused at its last
// traveller, after thousands were read and stored, leaves no job and no row.
func TestSubmitBadManifestLeavesNothing(t *testing.T) {
	r, db := newRunner(t)
	_, err := r.Submit(context.Background(), screener, "paxlst", "late.edi", &manifestRows{n: 5000, bad: func(i int) bool { return i == 5000 }}, 0.8, 5)
	if err == nil || !strings.Contains(err.Error(), "late.edi") || !strings.Contains(err.Error(), "invalid date") {
		t.Fatalf("err %v, want the manifest refused naming its date", err)
	}
	if jobs, err := db.UnfinishedJobs(context.Background()); err != nil || len(jobs) != 0 {
		t.Errorf("jobs %v, %v: want none", jobs, err)
	}
}
