package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"concord"
)

func (m *Main) uploadCommand() *cobra.Command {
	var (
		url, token, kind, size, metrics string
		every                           time.Duration
	)
	cmd := &cobra.Command{
		Use:   "upload",
		Short: "Upload a synthetic screening file of a given size to a running server and report its memory",
		Long: `Generate a screening upload of --size bytes as it is sent — a query CSV
(--kind csv) or a PAXLST manifest (--kind paxlst), travellers with names from
a small stock, a few of them listed — POST it to /v1/jobs, and report the
answer, the time it took and the server's resident memory sampled from its
metrics listener (--metrics, process_resident_memory_bytes) before and
during the upload: the peak and its growth over the baseline. The file is
never held in memory here.`,
		Example: `  TOKEN=$(concord token create amina | awk '{print $NF}')
  concord upload --token $TOKEN --kind csv --size 64MB
  concord upload --token $TOKEN --kind paxlst --size 16MB --metrics http://127.0.0.1:9464`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if token == "" {
				token = os.Getenv("CONCORD_TOKEN")
			}
			n, err := parseSize(size)
			if err != nil {
				return concord.FieldError("--size", err)
			}
			var body io.Reader
			ctype := "text/csv"
			switch kind {
			case "csv":
				body = &syntheticCSV{size: n}
			case "paxlst":
				body, ctype = newSyntheticPAXLST(n), "application/edifact"
			default:
				return concord.Errorf(concord.EINVALID, "--kind %q: want csv or paxlst", kind)
			}
			res, err := upload(cmd.Context(), strings.TrimRight(url, "/"), token, ctype, body, strings.TrimRight(metrics, "/"), every)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "%s upload of %s: %s\n", kind, size, res)
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "http://127.0.0.1:8080", "server base URL")
	cmd.Flags().StringVar(&token, "token", "", "bearer token of a user who may screen (env CONCORD_TOKEN)")
	cmd.Flags().StringVar(&kind, "kind", "csv", "csv or paxlst")
	cmd.Flags().StringVar(&size, "size", "16MB", "size of the upload, e.g. 1MB, 64MB")
	cmd.Flags().StringVar(&metrics, "metrics", "http://"+defaultMetricsAddr, `the server's metrics listener ("" for none)`)
	cmd.Flags().DurationVar(&every, "every", 20*time.Millisecond, "how often to sample the server's memory")
	return cmd
}

// uploadResult is what upload saw.
type uploadResult struct {
	status         int
	answer         string
	took           time.Duration
	base, peak     float64 // resident bytes; 0 when not sampled
	samples        int
	samplingFailed error
}

func (r uploadResult) String() string {
	s := fmt.Sprintf("%d in %s", r.status, r.took.Round(time.Millisecond))
	if r.samples > 0 {
		s += fmt.Sprintf("; server RSS %.0f MB before, peak %.0f MB (+%.0f MB, %d samples)", r.base/1e6, r.peak/1e6, (r.peak-r.base)/1e6, r.samples)
	} else if r.samplingFailed != nil {
		s += fmt.Sprintf("; memory not sampled: %v", r.samplingFailed)
	}
	return s + "; " + r.answer
}

// upload sends body and samples the server's RSS meanwhile.
func upload(ctx context.Context, url, token, ctype string, body io.Reader, metrics string, every time.Duration) (uploadResult, error) {
	var res uploadResult
	var mu sync.Mutex
	sample := func() {
		v, err := residentBytes(ctx, metrics)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			res.samplingFailed = err
			return
		}
		if res.samples == 0 {
			res.base = v
		}
		res.samples++
		res.peak = max(res.peak, v)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if metrics != "" {
		sample()
		wg.Go(func() {
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					sample()
				}
			}
		})
	}
	req, err := http.NewRequestWithContext(ctx, "POST", url+"/v1/jobs?name=synthetic", body)
	if err != nil {
		return res, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ctype)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		res.status, res.answer = resp.StatusCode, strings.TrimSpace(string(b))
		if len(res.answer) > 300 {
			res.answer = res.answer[:300] + "..."
		}
	}
	res.took = time.Since(start)
	close(stop)
	wg.Wait()
	if metrics != "" {
		sample()
	}
	return res, err
}

// residentBytes reads process_resident_memory_bytes from a metrics listener.
func residentBytes(ctx context.Context, metrics string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", metrics+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, fmt.Errorf("no process_resident_memory_bytes at %s", metrics)
}

// travellerNames are the stock of synthetic travellers; every 500th is a
// listed person.
var travellerNames = [][2]string{{"PERSON", "TRAVELLER"}, {"HADID", "YUSUF"}, {"KARIMOVA", "DILNOZA"}, {"OKAFOR", "CHIDI"},
	{"YILMAZ", "AYSE"}, {"PETROV", "IVAN"}, {"RAHIMI", "FARZANA"}, {"NGUYEN", "LAN"}}

// syntheticCSV is a query CSV of as many whole rows as fit size bytes,
// generated as it is read.
type syntheticCSV struct {
	size, sent int64
	i          int
	buf        bytes.Buffer
	row        bytes.Buffer
}

func (c *syntheticCSV) Read(p []byte) (int, error) {
	for c.buf.Len() < len(p) {
		c.row.Reset()
		if c.i == 0 {
			c.row.WriteString("id,name,birth_date,nationality\n")
		} else if c.i%500 == 0 {
			fmt.Fprintf(&c.row, "r%d,Seif al Adel,1963,eg\n", c.i)
		} else {
			n := travellerNames[c.i%len(travellerNames)]
			fmt.Fprintf(&c.row, "r%d,%s %s %d,19%02d-%02d-%02d,tr\n", c.i, n[1], n[0], c.i, 40+c.i%60, 1+c.i%12, 1+c.i%28)
		}
		if c.sent+int64(c.buf.Len()+c.row.Len()) > c.size {
			break
		}
		c.buf.Write(c.row.Bytes())
		c.i++
	}
	if c.buf.Len() == 0 {
		return 0, io.EOF
	}
	n, err := c.buf.Read(p)
	c.sent += int64(n)
	return n, err
}

// syntheticPAXLST is one PAXLST message of as many travellers as fit size
// bytes, generated as it is read: header, travellers, UNT and UNZ with the
// right counts.
type syntheticPAXLST struct {
	size, sent int64
	i, segs    int
	buf        bytes.Buffer
	done       bool
}

func newSyntheticPAXLST(size int64) *syntheticPAXLST {
	p := &syntheticPAXLST{size: size}
	p.buf.WriteString("UNA:+.? 'UNB+UNOA:4+APIS*ABE+USADHS+260301:0545+SYN0001++USADHS'UNG+PAXLST+XYZ AIRLINES+USADHS+260301:0545+1+UN+D:05B'\n")
	hdr := []string{"UNH+SYN0001+PAXLST:D:05B:UN:IATA", "BGM+745", "NAD+MS+++DOTTIE MOODY", "TDT+20+ZZ123+++ZZ",
		"LOC+125+IST", "DTM+189:2603011500:201", "LOC+87+FRA", "DTM+232:2603011755:201"}
	for _, s := range hdr {
		p.buf.WriteString(s + "'\n")
	}
	p.segs = len(hdr)
	return p
}

// paxTrailer is an upper bound of what follows the last traveller.
const paxTrailer = 128

func (p *syntheticPAXLST) Read(b []byte) (int, error) {
	for p.buf.Len() < len(b) && !p.done {
		if p.sent+int64(p.buf.Len())+400 > p.size-paxTrailer {
			fmt.Fprintf(&p.buf, "CNT+42:%d'\nUNT+%d+SYN0001'\nUNE+1+1'\nUNZ+1+SYN0001'\n", p.i, p.segs+2)
			p.done = true
			break
		}
		p.i++
		n := travellerNames[p.i%len(travellerNames)]
		last, first := n[0], n[1]+" "+strconv.Itoa(p.i)
		if p.i%500 == 0 {
			last, first = "AL ADEL", "SEIF"
		}
		for _, s := range []string{
			"NAD+FL+++" + last + ":" + first,
			"ATT+2++M",
			fmt.Sprintf("DTM+329:%02d%02d%02d", 40+p.i%60, 1+p.i%12, 1+p.i%28),
			"NAT+2+TUR",
			fmt.Sprintf("DOC+P:110:111+U%08d", p.i),
		} {
			p.buf.WriteString(s + "'\n")
			p.segs++
		}
	}
	if p.buf.Len() == 0 {
		return 0, io.EOF
	}
	n, err := p.buf.Read(b)
	p.sent += int64(n)
	return n, err
}
