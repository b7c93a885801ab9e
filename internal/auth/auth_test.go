package auth

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
)

// cheap keeps tests fast; the format and the verification are the same.
var cheap = Params{Memory: 256, Time: 1, Threads: 1}

func TestHashPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=2,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(h) {
		t.Fatalf("hash %q is not a PHC argon2id string with the default parameters", h)
	}
	if !VerifyPassword(h, "correct horse battery staple") {
		t.Error("the right password does not verify")
	}
	if VerifyPassword(h, "correct horse battery stapl") {
		t.Error("a wrong password verifies")
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	good, _ := HashPasswordParams("pw", cheap)
	f := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":        "",
		"bcrypt":       "$2a$10$abcdefghijklmnopqrstuv",
		"argon2i":      strings.Replace(good, "argon2id", "argon2i", 1),
		"version":      strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":  strings.Join([]string{"", f[1], f[2], "m=4194304,t=1,p=1", f[4], f[5]}, "$"),
		"zero time":    strings.Join([]string{"", f[1], f[2], "m=256,t=0,p=1", f[4], f[5]}, "$"),
		"bad param":    strings.Join([]string{"", f[1], f[2], "m=256,t=1,x=1", f[4], f[5]}, "$"),
		"bad salt":     strings.Join([]string{"", f[1], f[2], f[3], "!!!", f[5]}, "$"),
		"short hash":   strings.Join([]string{"", f[1], f[2], f[3], f[4], "AAAA"}, "$"),
		"extra fields": good + "$x",
	} {
		if VerifyPassword(h, "pw") {
			t.Errorf("%s: malformed hash %q verified", name, h)
		}
	}
	if !VerifyPassword(good, "pw") {
		t.Error("good hash with cheap params does not verify")
	}
}

func TestNewToken(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	plain, tok, err := NewToken("alice", "ci", []string{"match", "read", "match"}, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^cct_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$`).MatchString(plain) {
		t.Fatalf("token %q", plain)
	}
	if id, ok := tokenID(plain); !ok || id != tok.ID {
		t.Errorf("tokenID(%q) = %q, %v; want %q", plain, id, ok, tok.ID)
	}
	if tok.Hash != HashSecret(plain) || strings.Contains(tok.Hash, plain) || len(tok.Hash) != 64 {
		t.Errorf("hash %q", tok.Hash)
	}
	if !slices.Equal(tok.Scopes, []string{"match", "read"}) {
		t.Errorf("scopes %v", tok.Scopes)
	}
	if tok.ExpiresAt == nil || !tok.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Errorf("expires %v", tok.ExpiresAt)
	}
	for _, bad := range [][]string{nil, {}, {"read", "root"}} {
		if _, _, err := NewToken("alice", "x", bad, now, 0); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("scopes %v: err %v, want invalid", bad, err)
		}
	}
}

type fixture struct {
	users *memUsers
	clock *clock
	a     *Authenticator
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{users: newMemUsers(), clock: newClock()}
	var err error
	f.a, err = New(Config{Users: f.users, Groups: f.users, Clock: f.clock, Params: cheap})
	if err != nil {
		t.Fatal(err)
	}
	f.addUser(t, "alice", "es", "alice password 1", concord.RoleAnalyst)
	f.users.groups["es"] = []string{"ttwg", "africa"}
	return f
}

func (f *fixture) addUser(t *testing.T, name, member, pw string, roles ...concord.Role) {
	t.Helper()
	h, err := HashPasswordParams(pw, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.users.CreateUser(context.Background(), &concord.User{Name: name, Member: member, Roles: roles, PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
}

func TestAuthenticateToken(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	plain, tok, err := f.a.CreateToken(ctx, "alice", "ci", []string{"read", "match"}, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.a.Authenticate(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	v := p.Viewer
	if v.User != "alice" || v.Member != "es" || !slices.Equal(v.Groups, []string{"ttwg", "africa"}) ||
		!slices.Equal(v.Scopes, []string{"match", "read"}) || p.TokenID != tok.ID || p.SessionHash != "" {
		t.Fatalf("principal %+v", p)
	}
	if v.Can("write") {
		t.Error("a read/match token may write")
	}

	bad := func(name, cred string) {
		t.Helper()
		if _, err := f.a.Authenticate(ctx, cred); concord.ErrorCode(err) != concord.EUNAUTHORIZED {
			t.Errorf("%s: err %v, want unauthorized", name, err)
		}
	}
	bad("empty", "")
	bad("garbage", "Bearer xyz")
	bad("other secret", otherSecret(plain))
	bad("other id", strings.Replace(plain, tok.ID, "0000000000000000", 1))
	bad("too long", plain+strings.Repeat("a", 300))

	f.clock.Add(24 * time.Hour)
	bad("expired", plain)
	f.clock.Add(-time.Hour)
	if _, err := f.a.Authenticate(ctx, plain); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	if err := f.a.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	bad("revoked", plain)
}

func TestAuthenticateTokenWithoutScopesNarrowsToNothing(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	plain, tok, _ := NewToken("alice", "x", []string{"read"}, f.clock.Now(), 0)
	tok.Scopes = nil // as a store might give back an empty list
	f.users.CreateToken(ctx, tok)
	p, err := f.a.Authenticate(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	if p.Viewer.Scopes == nil || p.Viewer.Can("read") {
		t.Errorf("a token with no scopes grants %v", p.Viewer.Scopes)
	}
}

func TestLoginSessionLogout(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	s, err := f.a.Login(ctx, "alice", "alice password 1", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.Token, SessionPrefix) || !s.ExpiresAt.Equal(f.clock.Now().Add(12*time.Hour)) || s.User.Name != "alice" {
		t.Fatalf("session %+v", s)
	}
	if _, ok := f.users.sessions[HashSecret(s.Token)]; !ok {
		t.Fatal("the session is not stored by the hash of its credential")
	}
	p, err := f.a.Authenticate(ctx, s.Token)
	if err != nil {
		t.Fatal(err)
	}
	if p.Viewer.Scopes != nil || !p.Viewer.Can("write") || p.SessionHash == "" {
		t.Errorf("session principal %+v", p)
	}
	if err := f.a.Logout(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Authenticate(ctx, s.Token); concord.ErrorCode(err) != concord.EUNAUTHORIZED {
		t.Errorf("after logout: %v", err)
	}

	s, _ = f.a.Login(ctx, "alice", "alice password 1", "192.0.2.1")
	f.clock.Add(12 * time.Hour)
	if _, err := f.a.Authenticate(ctx, s.Token); concord.ErrorCode(err) != concord.EUNAUTHORIZED {
		t.Errorf("expired session: %v", err)
	}
}

func TestLoginSameErrorForUnknownUserWrongPasswordDisabled(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.addUser(t, "bob", "es", "bob password 12", concord.RoleViewer)
	u, _ := f.users.User(ctx, "bob")
	u.Disabled = true
	f.users.UpdateUser(ctx, u)
	f.users.CreateUser(ctx, &concord.User{Name: "robot", Member: "es", Roles: []concord.Role{concord.RoleViewer}})

	var msgs []string
	for _, c := range []struct{ user, pw string }{
		{"nobody", "alice password 1"},
		{"alice", "wrong password!"},
		{"bob", "bob password 12"},
		{"robot", "anything at all"},
	} {
		_, err := f.a.Login(ctx, c.user, c.pw, "")
		if concord.ErrorCode(err) != concord.EUNAUTHORIZED {
			t.Fatalf("%s: err %v, want unauthorized", c.user, err)
		}
		msgs = append(msgs, err.Error())
	}
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Errorf("error %q differs from %q", m, msgs[0])
		}
	}
	if _, err := f.a.Login(ctx, "", "x", ""); concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("empty user: %v", err)
	}
}

func TestValidatePassword(t *testing.T) {
	if ValidatePassword("short") == nil || ValidatePassword(strings.Repeat("x", 2000)) == nil {
		t.Error("bad passwords accepted")
	}
	if err := ValidatePassword("twelve chars"); err != nil {
		t.Error(err)
	}
}

// otherSecret changes the last character of a credential to a different one
// (replacing it with a fixed letter would give the same credential when it
// already ends in that letter).
func otherSecret(cred string) string {
	last := cred[len(cred)-1]
	repl := byte('A')
	if last == 'A' {
		repl = 'B'
	}
	return cred[:len(cred)-1] + string(repl)
}
