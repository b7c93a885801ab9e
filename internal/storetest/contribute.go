package storetest

import (
	"strings"
	"testing"

	"concord"
)

// contribution is a statement of member about entity, seen by its own member only.
func contribution(member, entity, prop, value string) concord.Statement {
	return concord.Statement{EntityID: entity, Schema: "Person", Prop: prop, Value: value,
		Dataset: "member-" + member, SourceRef: member + ":" + entity, ContributedBy: member,
		Audience: concord.MemberAudience(member), Handling: concord.TLPAmber}
}

var coalitionViewer = concord.Filter{Member: "uz", Audiences: []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition},
	Handlings: []concord.TLP{concord.TLPClear, concord.TLPGreen, concord.TLPAmber}}

func testContribute(t *testing.T, s Service) {
	es := as(t, "alice", "es")
	st := []concord.Statement{contribution("es", "es-p1", "name", "Abu Example"), contribution("es", "es-p1", "birthDate", "1980-01-02")}
	if err := s.Contribute(es, st); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "alice", "contribute", "es-p1", "+2 ~0")
	id := st[0].MakeID().ID
	got, err := s.Statement(ctx(t), concord.Filter{Member: "es"}, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != id || got.Value != "Abu Example" || got.ContributedBy != "es" || got.FirstSeen.IsZero() ||
		!got.FirstSeen.Equal(got.LastSeen) || got.Retracted || got.Audience != concord.MemberAudience("es") {
		t.Errorf("contributed statement: %+v", got)
	}
	if e, err := s.Entity(ctx(t), concord.Filter{Member: "es"}, "es-p1"); err != nil || e.Caption() != "Abu Example" {
		t.Errorf("entity of contribution: %v %v", e, err)
	}
	_, errHidden := s.Statement(ctx(t), coalitionViewer, id)
	_, errMissing := s.Statement(ctx(t), coalitionViewer, "nope")
	wantCode(t, "hidden statement", errHidden, concord.ENOTFOUND)
	if concord.ErrorMessage(errMissing) != strings.ReplaceAll(concord.ErrorMessage(errHidden), id, "nope") {
		t.Errorf("hidden and missing statements differ: %q vs %q", concord.ErrorMessage(errHidden), concord.ErrorMessage(errMissing))
	}

	n := auditLen(t, s)
	bad := contribution("es", "es-p2", "name", "X")
	bad.ContributedBy = ""
	wantCode(t, "no contributor", s.Contribute(es, []concord.Statement{contribution("es", "es-p2", "name", "Y"), bad}), concord.EINVALID)
	bad = contribution("es", "es-p2", "name", "X")
	bad.Handling = "PURPLE"
	wantCode(t, "bad handling", s.Contribute(es, []concord.Statement{bad}), concord.EINVALID)
	bad.Handling, bad.Audience = concord.TLPRed, "everyone"
	wantCode(t, "bad audience", s.Contribute(es, []concord.Statement{bad}), concord.EINVALID)
	wantCode(t, "nothing", s.Contribute(es, nil), concord.EINVALID)
	if _, err := s.Statements(ctx(t), everything, "es-p2"); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("a refused contribution was stored: %v", err)
	}
	if auditLen(t, s) != n {
		t.Error("a refused contribution was audited")
	}

	// The same statement again is refreshed, not duplicated.
	if err := s.Contribute(es, st[:1]); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "alice", "contribute", "es-p1", "+0 ~1")
	all, err := s.Statements(ctx(t), everything, "es-p1")
	if err != nil || len(all) != 2 {
		t.Fatalf("statements after a repeated contribution: %d %v", len(all), err)
	}
	if !all[0].LastSeen.After(all[0].FirstSeen) || !all[0].FirstSeen.Equal(got.FirstSeen) {
		t.Errorf("refreshed statement: first %v last %v (was %v)", all[0].FirstSeen, all[0].LastSeen, got.FirstSeen)
	}
}

func testReshareRetract(t *testing.T, s Service) {
	es, us := as(t, "alice", "es"), as(t, "bob", "us")
	mine := []concord.Statement{contribution("es", "p1", "name", "Omar Example"), contribution("es", "p1", "nationality", "sy")}
	theirs := []concord.Statement{contribution("us", "p1", "name", "Umar Example")}
	if err := s.Contribute(es, mine); err != nil {
		t.Fatal(err)
	}
	if err := s.Contribute(us, theirs); err != nil {
		t.Fatal(err)
	}
	m0, m1, o0 := mine[0].MakeID().ID, mine[1].MakeID().ID, theirs[0].MakeID().ID
	before := snapshot(t, s, "p1")
	n := auditLen(t, s)

	// Another member's statement and a missing one: the same not-found, and nothing changes.
	errTheirs := s.Reshare(es, "es", []string{m0, o0}, concord.AudienceCoalition, concord.TLPGreen)
	errMissing := s.Reshare(es, "es", []string{m0, "nope"}, concord.AudienceCoalition, concord.TLPGreen)
	wantCode(t, "reshare another member's statement", errTheirs, concord.ENOTFOUND)
	wantCode(t, "reshare a missing statement", errMissing, concord.ENOTFOUND)
	if concord.ErrorMessage(errMissing) != strings.ReplaceAll(concord.ErrorMessage(errTheirs), o0, "nope") {
		t.Errorf("another member's and missing statements differ: %q vs %q", concord.ErrorMessage(errTheirs), concord.ErrorMessage(errMissing))
	}
	wantCode(t, "retract another member's statement", s.Retract(es, "es", []string{m1, o0}), concord.ENOTFOUND)
	wantCode(t, "retract a missing statement", s.Retract(es, "es", []string{"nope"}), concord.ENOTFOUND)
	wantCode(t, "reshare to a bad audience", s.Reshare(es, "es", []string{m0}, "everyone", concord.TLPGreen), concord.EINVALID)
	wantCode(t, "reshare with a bad label", s.Reshare(es, "es", []string{m0}, concord.AudienceCoalition, "PURPLE"), concord.EINVALID)
	wantCode(t, "retract nothing", s.Retract(es, "es", nil), concord.EINVALID)
	if after := snapshot(t, s, "p1"); after != before {
		t.Errorf("refused changes changed the store:\n%s\nvs\n%s", before, after)
	}
	if auditLen(t, s) != n {
		t.Error("refused changes were audited")
	}

	if err := s.Reshare(es, "es", []string{m0, m0}, concord.AudienceCoalition, concord.TLPGreen); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "alice", "reshare", m0, "")
	got, err := s.Statement(ctx(t), coalitionViewer, m0)
	if err != nil || got.Audience != concord.AudienceCoalition || got.Handling != concord.TLPGreen {
		t.Errorf("reshared statement as seen by the coalition: %+v %v", got, err)
	}
	if _, err := s.Statement(ctx(t), coalitionViewer, m1); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("a statement not reshared is visible: %v", err)
	}

	if err := s.Retract(es, "es", []string{m0, m1}); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "alice", "retract", m0+","+m1, "-2")
	if _, err := s.Statement(ctx(t), concord.Filter{Member: "es"}, m0); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("retracted statement still visible: %v", err)
	}
	if got, err := s.Statement(ctx(t), concord.Filter{Member: "es", IncludeRetracted: true}, m0); err != nil || !got.Retracted {
		t.Errorf("retracted statement in history: %+v %v", got, err)
	}
	if got, err := s.Statement(ctx(t), concord.Filter{Member: "us"}, o0); err != nil || got.Retracted {
		t.Errorf("another member's statement after a retraction: %+v %v", got, err)
	}
	if e, err := s.Entity(ctx(t), concord.System, "p1"); err != nil || e.Caption() != "Umar Example" {
		t.Errorf("entity after retraction: %v %v", e, err)
	}
}
