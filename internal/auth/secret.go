package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"concord"
)

// Credential prefixes.
const (
	TokenPrefix   = "cct_"
	SessionPrefix = "ccs_"
)

// NewSecret returns 32 random bytes, base64url-encoded without padding (43
// characters). It may contain '_': credentials put their hex id first, so
// parsing splits at the first '_' after the prefix.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashSecret returns hex(sha256(credential)), what stores keep in
// Token.Hash and Session.Hash.
func HashSecret(credential string) string {
	sum := sha256.Sum256([]byte(credential))
	return hex.EncodeToString(sum[:])
}

// NewToken creates an API token for user: the plain credential
// "cct_<id>_<secret>" to show once, and the Token to store (hash only).
// Scopes must be valid and are sorted; a zero ttl means no expiry.
func NewToken(user, name string, scopes []string, now time.Time, ttl time.Duration) (string, *concord.Token, error) {
	if err := ValidateScopes(scopes); err != nil {
		return "", nil, err
	}
	idb := make([]byte, 8)
	if _, err := rand.Read(idb); err != nil {
		return "", nil, fmt.Errorf("auth: random: %w", err)
	}
	secret, err := NewSecret()
	if err != nil {
		return "", nil, err
	}
	id := hex.EncodeToString(idb)
	plain := TokenPrefix + id + "_" + secret
	sc := slices.Clone(scopes)
	slices.Sort(sc)
	sc = slices.Compact(sc)
	t := &concord.Token{ID: id, User: user, Name: name, Scopes: sc, Hash: HashSecret(plain), CreatedAt: now}
	if ttl > 0 {
		exp := now.Add(ttl)
		t.ExpiresAt = &exp
	}
	return plain, t, nil
}

// ValidScopes lists the token scopes (those of access.Scopes).
var ValidScopes = []string{"read", "match", "screen", "write", "review", "admin"}

// ValidateScopes checks that scopes is a non-empty list of known scopes.
func ValidateScopes(scopes []string) error {
	if len(scopes) == 0 {
		return concord.Errorf(concord.EINVALID, "a token needs at least one scope (%s)", strings.Join(ValidScopes, ", "))
	}
	for _, s := range scopes {
		if !slices.Contains(ValidScopes, s) {
			return concord.Errorf(concord.EINVALID, "unknown scope %q (want %s)", s, strings.Join(ValidScopes, ", "))
		}
	}
	return nil
}

// newSession returns a session credential "ccs_<secret>" and its Session.
func newSession(user string, now time.Time, ttl time.Duration) (string, *concord.Session, error) {
	secret, err := NewSecret()
	if err != nil {
		return "", nil, err
	}
	plain := SessionPrefix + secret
	return plain, &concord.Session{Hash: HashSecret(plain), User: user, CreatedAt: now, ExpiresAt: now.Add(ttl)}, nil
}

// tokenID returns the public id of a "cct_<id>_<secret>" credential.
func tokenID(cred string) (string, bool) {
	rest, ok := strings.CutPrefix(cred, TokenPrefix)
	if !ok {
		return "", false
	}
	id, secret, ok := strings.Cut(rest, "_")
	if !ok || id == "" || len(secret) < 16 {
		return "", false
	}
	return id, true
}
