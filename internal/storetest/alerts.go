package storetest

import (
	"fmt"
	"reflect"
	"testing"

	"concord"
)

func alertIDs(as []concord.Alert) string {
	out := []int64{}
	for _, a := range as {
		out = append(out, a.ID)
	}
	return fmt.Sprint(out)
}

func testAlerts(t *testing.T, s Service) {
	newJob(t, s, "job-es", "es", 3)
	newJob(t, s, "job-us", "us", 1)
	es := []concord.Alert{alert("job-es", 0, "Q1"), alert("job-es", 1, "Q2"), alert("job-es", 2, "Q3")}
	if err := s.CompleteRows(as(t, "job", "es"), "job-es", done("job-es", 0, 1, 2), es); err != nil {
		t.Fatal(err)
	}
	us := []concord.Alert{alert("job-us", 0, "Q1")}
	us[0].Member = "es" // the job's member wins
	if err := s.CompleteRows(as(t, "job", "us"), "job-us", done("job-us", 0), us); err != nil {
		t.Fatal(err)
	}
	if es[0].ID == 0 || es[1].ID <= es[0].ID || es[2].ID <= es[1].ID || us[0].ID <= es[2].ID {
		t.Fatalf("alert ids not assigned in order: %s %s", alertIDs(es), alertIDs(us))
	}
	got, err := s.Alert(ctx(t), es[1].ID)
	want := es[1]
	want.Member = "es"
	if err != nil || got.CreatedAt.IsZero() {
		t.Fatalf("Alert: %+v %v", got, err)
	}
	want.CreatedAt = got.CreatedAt
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("Alert:\n got %+v\nwant %+v", *got, want)
	}
	if got, _ := s.Alert(ctx(t), us[0].ID); got.Member != "us" {
		t.Errorf("alert of a us job belongs to %q", got.Member)
	}
	_, err = s.Alert(ctx(t), 999999)
	wantCode(t, "missing alert", err, concord.ENOTFOUND)

	c := as(t, "rita", "es")
	n := auditLen(t, s)
	wantCode(t, "no reason", s.DecideAlert(c, es[0].ID, concord.AlertConfirmed, "rita", ""), concord.EINVALID)
	wantCode(t, "bad status", s.DecideAlert(c, es[0].ID, concord.AlertPending, "rita", "x"), concord.EINVALID)
	if auditLen(t, s) != n {
		t.Error("refused decisions were audited")
	}
	if err := s.DecideAlert(c, es[0].ID, concord.AlertConfirmed, "rita", "same passport number"); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "rita", "alert.decide", fmt.Sprint(es[0].ID), "")
	if err := s.DecideAlert(c, es[1].ID, concord.AlertDismissed, "rita", "different birth year"); err != nil {
		t.Fatal(err)
	}
	n = auditLen(t, s)
	wantCode(t, "decide twice", s.DecideAlert(c, es[0].ID, concord.AlertDismissed, "rita", "changed my mind"), concord.ECONFLICT)
	wantCode(t, "decide a missing alert", s.DecideAlert(c, 999999, concord.AlertDismissed, "rita", "x"), concord.ENOTFOUND)
	if auditLen(t, s) != n {
		t.Error("refused decisions were audited")
	}
	got, _ = s.Alert(ctx(t), es[0].ID)
	if got.Status != concord.AlertConfirmed || got.Reviewer != "rita" || got.Reason != "same passport number" ||
		got.DecidedAt == nil || got.DecidedAt.Before(got.CreatedAt) {
		t.Errorf("decided alert: %+v", got)
	}

	for _, tc := range []struct {
		q    concord.AlertQuery
		want string
	}{
		{concord.AlertQuery{Member: "es"}, alertIDs(es)},
		{concord.AlertQuery{Member: "us"}, alertIDs(us)},
		{concord.AlertQuery{All: true}, alertIDs(append(es[:3:3], us...))},
		{concord.AlertQuery{Member: "es", Status: concord.AlertPending}, alertIDs(es[2:])},
		{concord.AlertQuery{Member: "es", Status: concord.AlertDismissed}, alertIDs(es[1:2])},
		{concord.AlertQuery{Member: "es", After: es[0].ID, Limit: 1}, alertIDs(es[1:2])},
		{concord.AlertQuery{Member: "es", JobID: "job-us"}, "[]"},
		{concord.AlertQuery{All: true, JobID: "job-us"}, alertIDs(us)},
		{concord.AlertQuery{Member: "es", Identity: es[1].Identity}, alertIDs(es[1:2])},
		{concord.AlertQuery{Member: "us", Identity: es[1].Identity}, "[]"},
	} {
		as, err := s.Alerts(ctx(t), tc.q)
		if err != nil || alertIDs(as) != tc.want {
			t.Errorf("Alerts(%+v) = %s %v, want %s", tc.q, alertIDs(as), err, tc.want)
		}
	}
	_, err = s.Alerts(ctx(t), concord.AlertQuery{})
	wantCode(t, "alerts of no member", err, concord.EINVALID)

	// Four eyes: a proposed confirmation is decided once more, then never.
	if err := s.DecideAlert(c, es[2].ID, concord.AlertConfirming, "rita", "same name and birth date"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Alert(ctx(t), es[2].ID); got.Status != concord.AlertConfirming || got.Reviewer != "rita" {
		t.Errorf("proposed alert: %+v", got)
	}
	wantCode(t, "propose twice", s.DecideAlert(c, es[2].ID, concord.AlertConfirming, "omar", "again"), concord.ECONFLICT)
	if err := s.DecideAlert(as(t, "omar", "es"), es[2].ID, concord.AlertConfirmed, "omar", "agreed"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "decide a confirmed proposal", s.DecideAlert(c, es[2].ID, concord.AlertDismissed, "rita", "x"), concord.ECONFLICT)
	if as, err := s.Alerts(ctx(t), concord.AlertQuery{Member: "es", Status: concord.AlertConfirmed}); err != nil || alertIDs(as) != alertIDs([]concord.Alert{es[0], es[2]}) {
		t.Errorf("confirmed alerts after four eyes: %s %v", alertIDs(as), err)
	}
}

func testDismissed(t *testing.T, s Service) {
	newJob(t, s, "job-d", "es", 3)
	a := []concord.Alert{alert("job-d", 0, "Q1"), alert("job-d", 1, "Q1")}
	if err := s.CompleteRows(ctx(t), "job-d", done("job-d", 0, 1), a); err != nil {
		t.Fatal(err)
	}
	dismissed := func(member, identity, entity, version string) bool {
		t.Helper()
		ok, err := s.Dismissed(ctx(t), member, identity, entity, version)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if dismissed("es", "ident0", "Q1", "v1") {
		t.Error("pending alert counts as dismissed")
	}
	if err := s.DecideAlert(ctx(t), a[0].ID, concord.AlertDismissed, "rita", "not him"); err != nil {
		t.Fatal(err)
	}
	if err := s.DecideAlert(ctx(t), a[1].ID, concord.AlertConfirmed, "rita", "him"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		member, identity, entity, version string
		want                              bool
	}{
		{"es", "ident0", "Q1", "v1", true},
		{"es", "ident0", "Q1", "v2", false}, // the listed record changed
		{"us", "ident0", "Q1", "v1", false}, // another member
		{"es", "ident0", "Q2", "v1", false},
		{"es", "ident1", "Q1", "v1", false}, // confirmed, not dismissed
	} {
		if got := dismissed(tc.member, tc.identity, tc.entity, tc.version); got != tc.want {
			t.Errorf("Dismissed(%s, %s, %s, %s) = %v, want %v", tc.member, tc.identity, tc.entity, tc.version, got, tc.want)
		}
	}
	// A dismissal of the record as the reviewer saw it (version v3, after
	// the alert was raised on v1) holds for v3.
	b := []concord.Alert{alert("job-d", 2, "Q3")}
	if err := s.CompleteRows(ctx(t), "job-d", done("job-d", 2), b); err != nil {
		t.Fatal(err)
	}
	if err := s.DecideAlertSeen(ctx(t), b[0].ID, concord.AlertDismissed, "rita", "not him either", "v3"); err != nil {
		t.Fatal(err)
	}
	if !dismissed("es", "ident2", "Q3", "v3") || dismissed("es", "ident2", "Q3", "v1") {
		t.Error("the dismissal is not held against the version the reviewer saw")
	}
	if got, _ := s.Alert(ctx(t), b[0].ID); got == nil || got.EntityVersion != "v3" {
		t.Errorf("decided alert: %+v", got)
	}
}
