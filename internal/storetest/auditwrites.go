package storetest

import (
	"testing"

	"concord"
)

// testAuditWrites: imports and coalition changes are audited in their own
// transaction, with the actor of the context and what changed; a write that
// fails leaves no row.
func testAuditWrites(t *testing.T, s Service) {
	sec := as(t, "sec", "")
	if _, err := s.Import(sec, SyntheticBatch("un", "1", 4, 2)); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "sec", "import", "un", "+4 ~0 -0")
	b := SyntheticBatch("un", "2", 3, 2)
	b.Statements[1].Value = b.Statements[1].Value + " changed"
	if _, err := s.Import(sec, b); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "sec", "import", "un", "+0 ~3 -1")

	for _, m := range members() {
		if err := s.PutMember(sec, &m); err != nil {
			t.Fatal(err)
		}
	}
	wantEvent(t, s, "sec", "member.put", "ng", "")
	g := &concord.Group{ID: "ttwg", Name: "Terrorist Travel Working Group", Kind: concord.GroupWorkingGroup, Members: []string{"es", "us"}}
	if err := s.PutGroup(sec, g); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "sec", "group.put", "ttwg", "version 1")
	n := auditLen(t, s)

	// Failures inside the transaction leave no audit row.
	taken := SyntheticBatch("un", "2", 1, 1).Statements[0]
	forged := Stmt("ofac", "C", "Person", "name", "Forged")
	forged.ID = taken.ID
	_, err := s.Import(sec, &concord.ImportBatch{Dataset: "ofac", Version: "1", Statements: []concord.Statement{forged}})
	wantCode(t, "import of a taken id", err, concord.ECONFLICT)
	wantCode(t, "delete a member of a group", s.DeleteMember(sec, "es"), concord.ECONFLICT)
	wantCode(t, "delete a missing group", s.DeleteGroup(sec, "nope"), concord.ENOTFOUND)
	if got := auditLen(t, s); got != n {
		t.Errorf("failed writes left %d audit rows", got-n)
	}

	if err := s.DeleteGroup(sec, "ttwg"); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "sec", "group.delete", "ttwg", "")
	if err := s.DeleteMember(sec, "ng"); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "sec", "member.delete", "ng", "")
	c := &concord.Coalition{Name: "Global Coalition", Members: members()[:2],
		Groups: []concord.Group{{ID: "g1", Name: "G", Kind: concord.GroupInitiative, Members: []string{"es"}}}}
	if err := s.LoadCoalition(sec, c); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "sec", "coalition.load", "Global Coalition", "2 members, 1 groups")
	wantIntact(t, s, auditLen(t, s))
}
