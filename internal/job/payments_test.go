package job_test

import (
	"context"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"concord/internal/idindex"
	"concord/internal/idindex/idtest"
	"concord/internal/importer/payment"
	"concord/internal/job"
	"concord/internal/search"
	"concord/internal/store"
	"concord/match"
)

// screener opens a store with the UN list, three OFAC rows and the made-up
// FIU accounts, and returns the matchers the command line uses.
func screener(t testing.TB) job.Matchers {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := idtest.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc, err := search.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := idindex.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	opt := match.Options{Threshold: match.DefaultThreshold, Limit: match.DefaultLimit}
	return job.Matchers{
		Names:  func(_ context.Context, q match.Query) ([]match.Match, error) { return svc.MatchAll(q, opt), nil },
		Idents: func(ctx context.Context, ids []payment.Ident) ([]match.Match, error) { return ix.MatchAll(ctx, ids) },
		Limit:  opt.Limit,
	}
}

func screenFile(t *testing.T, m job.Matchers, path string) (string, map[string][]string, []job.Result) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kind, qs, bad, meta, err := job.ReadQueries(f, path)
	if err != nil || len(bad) > 0 {
		t.Fatalf("%v %v", err, bad)
	}
	if !strings.Contains(meta, `"transactions":4`) {
		t.Errorf("meta %s", meta)
	}
	res, err := job.ScreenWith(context.Background(), qs, 2, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	hits := map[string][]string{}
	for _, r := range res {
		for _, x := range r.Matches {
			hits[r.ID] = append(hits[r.ID], x.EntityID)
		}
		sort.Strings(hits[r.ID])
	}
	return kind, hits, res
}

// TestPaymentAlerts screens the project's own test messages: every listed
// party, account, BIC and wallet in them is found, under its role, with an
// explanation; the innocent transaction raises nothing.
func TestPaymentAlerts(t *testing.T) {
	m := screener(t)
	tests := []struct {
		file, kind string
		want       map[string]string // party → listed records, comma-separated
		clean      []string          // parties with no match
	}{
		{"../importer/iso20022/testdata/concord_pacs008_listed.xml", job.KindISO20022, map[string]string{
			"tx 1 debtor":                     "un-QDi.278",
			"tx 1 creditor agent":             "ofac-24545",
			"tx 1 creditor":                   "un-QDi.277",
			"tx 3 intermediary agent 1":       "ofac-25019",
			"tx 3 creditor":                   "ofac-25308,un-QDi.276",
			"tx 3 remittance information":     "ofac-25308,un-QDe.137",
			"tx 4 debtor":                     "un-QDi.326,un-QDi.339",
			"tx 4 creditor":                   "un-QDe.137",
			"tx 4 ultimate creditor":          "un-QDe.164",
			"tx 4 instruction for next agent": "un-QDi.325",
		}, []string{"tx 2 debtor", "tx 2 creditor", "tx 2 debtor agent", "tx 2 creditor agent", "tx 2 remittance information", "tx 1 remittance information", "tx 1 instructing agent"}},
		{"../importer/swiftmt/testdata/concord_mt103_listed.txt", job.KindSWIFTMT, map[string]string{
			"tx 1 debtor":                         "un-QDi.339",
			"tx 1 intermediary agent 1":           "ofac-25019",
			"tx 1 creditor agent":                 "ofac-24545",
			"tx 1 creditor":                       "un-QDi.326",
			"tx 1 remittance information":         "un-QDe.137",
			"tx 1 sender to receiver information": "ofac-25019",
			"tx 1 instructed agent":               "ofac-24545",
			"tx 2 debtor":                         "un-QDi.345",
			"tx 2 creditor":                       "ofac-25308",
			"tx 4 creditor":                       "ofac-24545",
			"tx 4 underlying debtor":              "un-QDi.339",
			"tx 4 underlying creditor":            "un-QDi.277",
		}, []string{"tx 3 debtor", "tx 3 creditor", "tx 3 remittance information", "tx 2 remittance information"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			kind, hits, res := screenFile(t, m, tt.file)
			if kind != tt.kind {
				t.Errorf("kind %s", kind)
			}
			for party, want := range tt.want {
				if got := strings.Join(hits[party], ","); got != want {
					t.Errorf("%s: matched %q, want %q", party, got, want)
				}
			}
			for _, party := range tt.clean {
				if len(hits[party]) > 0 {
					t.Errorf("%s: matched %v", party, hits[party])
				}
			}
			for _, r := range res {
				if r.Role == "" || r.Tx == 0 || r.Party == "" {
					t.Errorf("result without role, tx or party: %+v", r)
				}
				for _, x := range r.Matches {
					if len(x.Explanation) == 0 || x.Score < match.DefaultThreshold {
						t.Errorf("%s: match without explanation or below threshold: %+v", r.ID, x)
					}
				}
			}
		})
	}
}

// TestHighRiskFlags: a party tied to a country the member treats as
// high-risk carries a flag with its reason; others do not.
func TestHighRiskFlags(t *testing.T) {
	m := screener(t)
	m.HighRisk, m.Member = []string{"sy", "ir"}, "es"
	_, _, res := screenFile(t, m, "../importer/iso20022/testdata/concord_pacs008_listed.xml")
	flagged := map[string]string{}
	for _, r := range res {
		for _, f := range r.Flags {
			flagged[r.ID] += f.Country + "/" + f.From + " "
			if f.Kind != job.FlagHighRisk || !strings.Contains(f.Reason, "high-risk country for member es") {
				t.Errorf("%s: flag %+v", r.ID, f)
			}
		}
	}
	want := map[string]string{
		"tx 3 creditor":             "sy/address ",
		"tx 3 intermediary agent 1": "ir/BIC ",
		"tx 4 creditor agent":       "sy/address ",
	}
	if !reflect.DeepEqual(flagged, want) {
		t.Errorf("flags %v, want %v", flagged, want)
	}
}
