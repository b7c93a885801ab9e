package pnrgov

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// The 250 KB message streams: its first PNR comes out after the reader has
// taken in no more than its 64 KiB buffer, and the PNRs one by one are those
// Parse collects.
func TestLargeMessageStreams(t *testing.T) {
	b, err := os.ReadFile("testdata/gtas_pnrWithBags.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 250_000 {
		t.Fatalf("%d bytes", len(b))
	}
	cr := &countingReader{r: bytes.NewReader(b)}
	rd := fixed.NewReader(cr)
	first, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	if cr.n > 80<<10 {
		t.Errorf("read %d of %d bytes before the first PNR", cr.n, len(b))
	}
	all := parseFile(t, "gtas_pnrWithBags.txt")
	if !reflect.DeepEqual(*first, all.Messages[0].PNRs[0]) {
		t.Errorf("first PNR differs from Parse's")
	}
	n := 1
	for {
		p, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*p, all.Messages[0].PNRs[n]) {
			t.Fatalf("PNR %d differs from Parse's", n+1)
		}
		n++
	}
	if n != 127 || !reflect.DeepEqual(rd.Interchange().Warnings, all.Warnings) || len(rd.Interchange().Messages[0].PNRs) != 0 {
		t.Errorf("%d PNRs; warnings %q", n, rd.Interchange().Warnings)
	}
	if _, err := rd.Next(); err != io.EOF {
		t.Errorf("after the end: %v", err)
	}
}

// repeat is a reader of head, n times body, then tail, made as it is read.
type repeat struct {
	head, body, tail []byte
	n, pos           int
	cur              []byte
}

func (r *repeat) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		switch {
		case r.pos == 0:
			r.cur = r.head
		case r.pos <= r.n:
			r.cur = r.body
		case r.pos == r.n+1:
			r.cur = r.tail
		default:
			return 0, io.EOF
		}
		r.pos++
	}
	k := copy(p, r.cur)
	r.cur = r.cur[k:]
	return k, nil
}

// Memory is bounded by the PNR, not by the file: a message of 8,000 PNRs
// (about 16 MB) is read with the heap staying a few megabytes.
func TestMemoryBoundedByThePNR(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 16 MB")
	}
	b, err := os.ReadFile("testdata/gtas_pnrWithBags.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	first, second := strings.Index(s, "SRC'"), strings.Index(s[strings.Index(s, "SRC'")+4:], "SRC'")+strings.Index(s, "SRC'")+4
	head, body, tail := s[:first], s[first:second], s[strings.Index(s, "UNT+"):]
	const n = 8000
	rd := fixed.NewReader(&repeat{head: []byte(head), body: []byte(body), tail: []byte(tail), n: n})
	var ms runtime.MemStats
	peak, count := uint64(0), 0
	for {
		_, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if count++; count%1000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if count != n {
		t.Fatalf("%d PNRs, want %d", count, n)
	}
	if total := len(head) + n*len(body); peak > 8<<20 {
		t.Errorf("heap %d MB while reading %d MB", peak>>20, total>>20)
	}
}

// BenchmarkParse reads the 250 KB message of 127 PNRs.
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/gtas_pnrWithBags.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	pnrs := 0
	for b.Loop() {
		rd := fixed.NewReader(bytes.NewReader(data))
		for {
			_, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			pnrs++
		}
	}
	b.ReportMetric(float64(pnrs)/b.Elapsed().Seconds(), "PNRs/s")
}
