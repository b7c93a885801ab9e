package storetest

import (
	"reflect"
	"testing"
	"time"

	"concord"
)

func testUsers(t *testing.T, s Service) {
	c := as(t, "admin", "es")
	alice := &concord.User{Name: "alice", Member: "es", Roles: []concord.Role{concord.RoleAnalyst, concord.RoleReviewer},
		PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA"}
	if err := s.CreateUser(c, alice); err != nil {
		t.Fatal(err)
	}
	if alice.CreatedAt.IsZero() {
		t.Error("CreatedAt not set")
	}
	wantEvent(t, s, "admin", "user.create", "alice", "")
	bob := &concord.User{Name: "bob", Member: "us", Roles: []concord.Role{concord.RoleViewer}, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)}
	if err := s.CreateUser(c, bob); err != nil {
		t.Fatal(err)
	}
	carol := &concord.User{Name: "carol", Member: "es", Roles: []concord.Role{}}
	if err := s.CreateUser(c, carol); err != nil {
		t.Fatal(err)
	}
	n := auditLen(t, s)
	wantCode(t, "duplicate user", s.CreateUser(c, &concord.User{Name: "alice", Member: "us"}), concord.ECONFLICT)
	wantCode(t, "bad role", s.CreateUser(c, &concord.User{Name: "dave", Member: "us", Roles: []concord.Role{"king"}}), concord.EINVALID)
	wantCode(t, "no name", s.CreateUser(c, &concord.User{Member: "us"}), concord.EINVALID)
	if got := auditLen(t, s); got != n {
		t.Errorf("failed writes left %d audit rows", got-n)
	}

	got, err := s.User(ctx(t), "alice")
	if err != nil || !reflect.DeepEqual(got, alice) {
		t.Errorf("User:\n got %+v %v\nwant %+v", got, err, alice)
	}
	if got, err := s.User(ctx(t), "bob"); err != nil || !got.CreatedAt.Equal(bob.CreatedAt) {
		t.Errorf("User keeps CreatedAt: %v %v", got, err)
	}
	_, err = s.User(ctx(t), "nobody")
	wantCode(t, "missing user", err, concord.ENOTFOUND)

	names := func(us []concord.User) []string {
		out := []string{}
		for _, u := range us {
			out = append(out, u.Name)
		}
		return out
	}
	if us, err := s.Users(ctx(t), "es"); err != nil || !reflect.DeepEqual(names(us), []string{"alice", "carol"}) {
		t.Errorf("Users(es): %v %v", names(us), err)
	}
	if us, err := s.Users(ctx(t), ""); err != nil || !reflect.DeepEqual(names(us), []string{"alice", "bob", "carol"}) {
		t.Errorf("Users(all): %v %v", names(us), err)
	}
	if us, err := s.Users(ctx(t), "zz"); err != nil || len(us) != 0 {
		t.Errorf("Users(zz): %v %v", us, err)
	}

	alice.Roles = []concord.Role{concord.RoleAdmin}
	alice.Disabled = true
	alice.PasswordHash = "new"
	if err := s.UpdateUser(c, alice); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "admin", "user.update", "alice", "")
	if got, err := s.User(ctx(t), "alice"); err != nil || !reflect.DeepEqual(got, alice) {
		t.Errorf("after UpdateUser:\n got %+v %v\nwant %+v", got, err, alice)
	}
	wantCode(t, "update missing user", s.UpdateUser(c, &concord.User{Name: "nobody"}), concord.ENOTFOUND)
}

func testTokens(t *testing.T, s Service) {
	c := as(t, "admin", "es")
	if err := s.CreateUser(c, &concord.User{Name: "robot", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}}); err != nil {
		t.Fatal(err)
	}
	exp := time.Date(2027, 1, 1, 0, 0, 0, 1000, time.UTC)
	t1 := &concord.Token{ID: "cct_aaa", User: "robot", Name: "ci", Scopes: []string{"read", "match"}, Hash: "h1", ExpiresAt: &exp}
	t2 := &concord.Token{ID: "cct_bbb", User: "robot", Name: "batch", Scopes: []string{"screen"}, Hash: "h2"}
	for _, tk := range []*concord.Token{t1, t2} {
		if err := s.CreateToken(c, tk); err != nil {
			t.Fatal(err)
		}
	}
	wantEvent(t, s, "admin", "token.create", "cct_bbb", "")
	got, err := s.TokenByHash(ctx(t), "h1")
	if err != nil || !reflect.DeepEqual(got, t1) {
		t.Errorf("TokenByHash:\n got %+v %v\nwant %+v", got, err, t1)
	}
	_, err = s.TokenByHash(ctx(t), "nope")
	wantCode(t, "missing token", err, concord.ENOTFOUND)
	wantCode(t, "token of unknown user", s.CreateToken(c, &concord.Token{ID: "x", User: "nobody", Hash: "h3"}), concord.ENOTFOUND)
	wantCode(t, "duplicate token hash", s.CreateToken(c, &concord.Token{ID: "y", User: "robot", Hash: "h1"}), concord.ECONFLICT)
	wantCode(t, "duplicate token id", s.CreateToken(c, &concord.Token{ID: "cct_aaa", User: "robot", Hash: "h4"}), concord.ECONFLICT)

	ts, err := s.Tokens(ctx(t), "robot")
	if err != nil || len(ts) != 2 || ts[0].ID != "cct_aaa" || ts[1].ID != "cct_bbb" {
		t.Errorf("Tokens: %+v %v", ts, err)
	}
	if ts, err := s.Tokens(ctx(t), "nobody"); err != nil || len(ts) != 0 {
		t.Errorf("Tokens(nobody): %+v %v", ts, err)
	}

	at := time.Date(2026, 3, 1, 9, 0, 0, 5000, time.UTC)
	if err := s.RevokeToken(c, "cct_bbb", at); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "admin", "token.revoke", "cct_bbb", "")
	if err := s.RevokeToken(c, "cct_bbb", at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err = s.TokenByHash(ctx(t), "h2")
	if err != nil || got.RevokedAt == nil || !got.RevokedAt.Equal(at) {
		t.Errorf("revoked token: %+v %v (want the first revocation kept)", got, err)
	}
	wantCode(t, "revoke missing token", s.RevokeToken(c, "nope", at), concord.ENOTFOUND)
}

func testSessions(t *testing.T, s Service) {
	c := as(t, "alice", "es")
	if err := s.CreateUser(c, &concord.User{Name: "alice", Member: "es", Roles: []concord.Role{concord.RoleViewer}}); err != nil {
		t.Fatal(err)
	}
	se := &concord.Session{Hash: "s1", User: "alice", CreatedAt: time.Date(2026, 3, 1, 9, 0, 0, 1000, time.UTC),
		ExpiresAt: time.Date(2026, 3, 1, 21, 0, 0, 1000, time.UTC)}
	if err := s.CreateSession(c, se); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "alice", "session.create", "alice", "")
	got, err := s.SessionByHash(ctx(t), "s1")
	if err != nil || !reflect.DeepEqual(got, se) {
		t.Errorf("SessionByHash:\n got %+v %v\nwant %+v", got, err, se)
	}
	wantCode(t, "session of unknown user", s.CreateSession(c, &concord.Session{Hash: "s2", User: "nobody"}), concord.ENOTFOUND)
	wantCode(t, "duplicate session", s.CreateSession(c, &concord.Session{Hash: "s1", User: "alice"}), concord.ECONFLICT)
	if err := s.DeleteSession(c, "s1"); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "alice", "session.delete", "alice", "")
	_, err = s.SessionByHash(ctx(t), "s1")
	wantCode(t, "deleted session", err, concord.ENOTFOUND)
	wantCode(t, "delete again", s.DeleteSession(c, "s1"), concord.ENOTFOUND)

	// A password reset ends the user's sessions, and only the user's.
	if err := s.CreateUser(c, &concord.User{Name: "bob", Member: "es", Roles: []concord.Role{concord.RoleViewer}}); err != nil {
		t.Fatal(err)
	}
	for _, h := range []struct{ hash, user string }{{"s3", "alice"}, {"s4", "alice"}, {"s5", "bob"}} {
		if err := s.CreateSession(c, &concord.Session{Hash: h.hash, User: h.user, CreatedAt: se.CreatedAt, ExpiresAt: se.ExpiresAt}); err != nil {
			t.Fatal(err)
		}
	}
	op := as(t, "operator", "")
	if err := s.SetPassword(op, "alice", "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, s, "operator", "user.password_reset", "alice", "sessions ended: 2")
	if u, err := s.User(ctx(t), "alice"); err != nil || u.PasswordHash != "$argon2id$new" {
		t.Errorf("password after reset: %+v %v", u, err)
	}
	for hash, want := range map[string]string{"s3": concord.ENOTFOUND, "s4": concord.ENOTFOUND, "s5": ""} {
		_, err := s.SessionByHash(ctx(t), hash)
		wantCode(t, "session "+hash+" after alice's reset", err, want)
	}
	wantCode(t, "reset of an unknown user", s.SetPassword(op, "nobody", "x"), concord.ENOTFOUND)
}
