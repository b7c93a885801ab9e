package job

import (
	"context"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/access"
	"concord/internal/store"
	"concord/match"
)

// screenOnce submits one traveller named like the listed person, runs the
// runner until the job is done and returns the job's alerts.
func screenOnce(t *testing.T, r *Runner, db *store.DB) []concord.Alert {
	t.Helper()
	ctx := concord.WithActor(context.Background(), concord.Actor{User: "amina", Member: "es", Via: "api"})
	j, err := r.Submit(ctx, screener, "csv", "t.csv", strings.NewReader("id,name\nt1,Abu Bakr al-Baghdadi\n"), 0.8, 5)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(runCtx); close(done) }()
	defer func() { stop(); <-done }()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		got, err := db.Job(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == concord.JobDone {
			break
		}
		if got.Status == concord.JobFailed || time.Now().After(deadline) {
			t.Fatalf("job %+v", got)
		}
	}
	as, err := db.Alerts(ctx, concord.AlertQuery{Member: "es", JobID: j.ID})
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// Issue 8 §2: a dismissal is remembered against the listed record as the
// member sees it. A statement hidden from the member (another member's RED
// alias) neither re-arms it nor shows in the alert's version; a statement
// the member sees does re-arm it.
func TestDismissalsPerView(t *testing.T) {
	r, db := newRunner(t)
	ctx := concord.WithActor(context.Background(), concord.Actor{User: "operator", Via: "cli"})
	un := concord.NewEntity("un-qdi-1", "Person")
	un.Add("name", "Abu Bakr al-Baghdadi")
	un.Add("birthDate", "1971")
	if _, err := db.Import(ctx, &concord.ImportBatch{Dataset: "un", Version: "1", Statements: un.Statements(
		concord.Provenance{Dataset: "un", SourceRef: "un:QDi.001", Audience: concord.AudiencePublic, Handling: concord.TLPClear})}); err != nil {
		t.Fatal(err)
	}
	r.Match = func(ctx context.Context, v access.Viewer, q match.Query, opt match.Options) ([]match.Match, error) {
		return []match.Match{{EntityID: "un-qdi-1", Caption: "Abu Bakr al-Baghdadi", Schema: "Person", Score: 0.97}}, nil
	}
	r.Viewer = func(context.Context, string) (access.Viewer, error) { return screener, nil }
	contribute := func(member string, aud concord.Audience, tlp concord.TLP, prop, value string) {
		t.Helper()
		e := concord.NewEntity("un-qdi-1", "Person")
		e.Add(prop, value)
		c := concord.WithActor(context.Background(), concord.Actor{User: member + "-analyst", Member: member, Via: "api"})
		if err := db.Contribute(c, e.Statements(concord.Provenance{Dataset: "member-" + member, SourceRef: member + ":x",
			ContributedBy: member, Audience: aud, Handling: tlp, Seen: time.Now()})); err != nil {
			t.Fatal(err)
		}
	}

	first := screenOnce(t, r, db)
	if len(first) != 1 {
		t.Fatalf("first screening: %d alerts", len(first))
	}
	esView, err := db.Entity(ctx, screener.Filter(), "un-qdi-1")
	if err != nil {
		t.Fatal(err)
	}
	if first[0].EntityVersion != esView.Version() {
		t.Errorf("the alert's version is not that of the record as es sees it")
	}
	if err := db.DecideAlert(concord.WithActor(ctx, concord.Actor{User: "es-reviewer", Member: "es", Via: "api"}),
		first[0].ID, concord.AlertDismissed, "es-reviewer", "different person: born 1990"); err != nil {
		t.Fatal(err)
	}
	if again := screenOnce(t, r, db); len(again) != 0 {
		t.Fatalf("the dismissed pair was raised again: %+v", again)
	}

	// fr adds an alias only fr may see: es's view, its version and its
	// dismissal do not change.
	contribute("fr", concord.MemberAudience("fr"), concord.TLPRed, "alias", "Ibrahim Awad Ibrahim al-Badri")
	if again := screenOnce(t, r, db); len(again) != 0 {
		t.Fatalf("a statement hidden from es re-armed its dismissal: %+v", again)
	}
	// A statement es sees changes the record for es: the pair is raised again.
	contribute("fr", concord.AudienceCoalition, concord.TLPGreen, "birthDate", "1971-07-28")
	rearmed := screenOnce(t, r, db)
	if len(rearmed) != 1 || rearmed[0].EntityVersion == first[0].EntityVersion {
		t.Fatalf("a change es sees did not re-arm the alert: %+v", rearmed)
	}
}
