package job_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"concord"
	"concord/internal/idindex"
	"concord/internal/idindex/idtest"
	"concord/internal/importer"
	"concord/internal/importer/ofaccsv"
	"concord/internal/importer/payment"
	"concord/internal/job"
	"concord/internal/search"
	"concord/internal/store"
	"concord/match"
)

const shared = "../../../shared/data"

// benchMatchers is screener over UN + the whole OFAC list when
// ../shared/data is there (the test fixtures otherwise).
func benchMatchers(b *testing.B) (job.Matchers, string) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := idtest.Load(ctx, db); err != nil {
		b.Fatal(err)
	}
	lists := "UN + 3 OFAC rows"
	if paths, _ := filepath.Glob(shared + "/lists/ofac_*.csv"); len(paths) == 3 {
		files, err := ofaccsv.FindFiles(paths)
		if err != nil {
			b.Fatal(err)
		}
		var recs []importer.Record
		if _, err := ofaccsv.Read(files, func(r importer.Record) error { recs = append(recs, r); return nil }); err != nil {
			b.Fatal(err)
		}
		p := concord.Provenance{Audience: concord.AudiencePublic, Handling: concord.TLPClear}
		if _, err := db.Import(ctx, importer.Batch("ofac", "full", "ofac", recs, p)); err != nil {
			b.Fatal(err)
		}
		lists = "UN + OFAC"
	}
	svc, err := search.New(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	ix, err := idindex.New(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	opt := match.Options{Threshold: match.DefaultThreshold, Limit: match.DefaultLimit}
	return job.Matchers{
		Names:  func(_ context.Context, q match.Query) ([]match.Match, error) { return svc.MatchAll(q, opt), nil },
		Idents: ix.MatchAll,
		Limit:  opt.Limit,
	}, lists
}

// locale is the given and family names of one locale of names.tsv.
type locale struct{ given, family []string }

// benchNames are people's names to pay, by locale: names.tsv when there,
// else a few.
func benchNames(b *testing.B) []locale {
	f, err := os.Open(shared + "/names/names.tsv")
	if err != nil {
		return []locale{{[]string{"Maria", "Robert", "Ahmed", "Olga", "Chidi", "Ayse", "Rustam", "Fatima"},
			[]string{"Bernasconi", "Schneider", "Haddad", "Ivanova", "Okafor", "Yilmaz", "Karimov", "Diallo"}}}
	}
	defer f.Close()
	by := map[string]*locale{}
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 3 || p[0] == "locale" {
			continue
		}
		l := by[p[0]]
		if l == nil {
			l = &locale{}
			by[p[0]] = l
			order = append(order, p[0])
		}
		switch p[1] {
		case "given":
			l.given = append(l.given, p[2])
		case "family":
			l.family = append(l.family, p[2])
		}
	}
	var out []locale
	for _, k := range order {
		if l := by[k]; len(l.given) > 0 && len(l.family) > 0 {
			out = append(out, *l)
		}
	}
	return out
}

func ibanOf(rng *rand.Rand) string {
	bban := fmt.Sprintf("%08d%010d", rng.IntN(1e8), rng.IntN(1e10))
	for cd := 2; cd < 99; cd++ {
		if v, err := payment.CheckIBAN(fmt.Sprintf("DE%02d%s", cd, bban)); err == nil {
			return v
		}
	}
	return ""
}

// syntheticPacs008 writes a pacs.008 of n transactions between people and
// companies named after names.tsv (given and family names of one locale), through a pool of banks, with the remittance texts
// banks see (invoice numbers, salaries, family support naming a person).
func syntheticPacs008(b *testing.B, n int) []byte {
	locales := benchNames(b)
	rng := rand.New(rand.NewPCG(1, 2))
	name := func() string {
		l := locales[rng.IntN(len(locales))]
		return html.EscapeString(l.given[rng.IntN(len(l.given))] + " " + l.family[rng.IntN(len(l.family))])
	}
	company := func() string {
		l := locales[rng.IntN(len(locales))]
		return html.EscapeString(l.family[rng.IntN(len(l.family))]) + []string{" GmbH", " Ltd", " SARL", " Trading LLC", " and Sons"}[rng.IntN(5)]
	}
	banks := []string{"COBADEFF", "DEUTDEFF", "BNPAFRPP", "UNCRITMM", "INGBNL2A", "BKTRUS33", "CHASUS33", "HSBCGB2L", "BARCGB22", "RZBAATWW", "POFICHBE", "NBEGEGCX", "ARABJOAX", "TCZBTR2A", "SABRRUMM"}
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>`)
	fmt.Fprintf(&buf, `<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-01-15T09:00:00</CreDtTm><NbOfTxs>%d</NbOfTxs><InstgAgt><FinInstnId><BICFI>COBADEFF</BICFI></FinInstnId></InstgAgt></GrpHdr>`, n)
	for i := 1; i <= n; i++ {
		rmt := fmt.Sprintf("INVOICE %d", rng.IntN(1e6))
		switch rng.IntN(10) {
		case 0:
			rmt = "FAMILY SUPPORT FOR " + strings.ToUpper(name())
		case 1:
			rmt = "SALARY " + strings.ToUpper(name())
		}
		cdtr := name()
		if rng.IntN(3) == 0 {
			cdtr = company()
		}
		fmt.Fprintf(&buf, `<CdtTrfTxInf><PmtId><EndToEndId>E%d</EndToEndId></PmtId><IntrBkSttlmAmt Ccy="EUR">%d.00</IntrBkSttlmAmt>`+
			`<Dbtr><Nm>%s</Nm><PstlAdr><TwnNm>Berlin</TwnNm><Ctry>DE</Ctry></PstlAdr></Dbtr><DbtrAcct><Id><IBAN>%s</IBAN></Id></DbtrAcct>`+
			`<DbtrAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></DbtrAgt><CdtrAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></CdtrAgt>`+
			`<Cdtr><Nm>%s</Nm></Cdtr><CdtrAcct><Id><Othr><Id>%d</Id></Othr></Id></CdtrAcct><RmtInf><Ustrd>%s</Ustrd></RmtInf></CdtTrfTxInf>`,
			i, rng.IntN(1e5), name(), ibanOf(rng), banks[rng.IntN(len(banks))], banks[rng.IntN(len(banks))], cdtr, rng.Int64N(1e12), rmt)
	}
	buf.WriteString(`</FIToFICstmrCdtTrf></Document>`)
	return buf.Bytes()
}

// BenchmarkScreenPayments reads and screens a pacs.008 of 5,000
// transactions (35,000 parties and texts) with two workers, as `concord
// screen` does: the figure is transactions per second.
func BenchmarkScreenPayments(b *testing.B) {
	const n = 5000
	m, lists := benchMatchers(b)
	msg := syntheticPacs008(b, n)
	b.Logf("index: %s; message: %d bytes", lists, len(msg))
	ctx := context.Background()
	if _, err := job.ReadPayments(bytes.NewReader(msg), "bench.xml", job.KindISO20022, func([]job.Query) error { return nil }); err != nil {
		b.Fatal(err)
	}
	hits := 0
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sc := job.NewScreener(m) // a fresh name cache for every message
		hits = 0
		if _, err := job.ReadPayments(bytes.NewReader(msg), "bench.xml", job.KindISO20022, func(qs []job.Query) error {
			res, err := sc.Screen(ctx, qs, 2, nil)
			for _, r := range res {
				if len(r.Matches) > 0 {
					hits++
				}
			}
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	// CPU time per transaction tells the throughput two free cores would
	// give while other processes share the machine (wall time then says
	// more about them than about us).
	cpuPerTx := (cpuTime() - cpu0).Seconds() / float64(b.N*n)
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "tx/s")
	b.ReportMetric(cpuPerTx*1e6, "cpu-µs/tx")
	b.ReportMetric(2/cpuPerTx, "tx/s-on-2-free-cores")
	b.ReportMetric(float64(hits), "hits")
}

// BenchmarkReadPayments reads BenchmarkScreenPayments' message into its
// queries without screening them: the reader's share of the screening,
// with no index to build (cheap to count instructions of).
func BenchmarkReadPayments(b *testing.B) {
	const n = 5000
	msg := syntheticPacs008(b, n)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		parties := 0
		if _, err := job.ReadPayments(bytes.NewReader(msg), "bench.xml", job.KindISO20022, func(qs []job.Query) error {
			parties += len(qs)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if parties != 6*n {
			b.Fatalf("%d parties, want %d", parties, 6*n)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "tx/s")
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
