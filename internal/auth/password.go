// Package auth turns credentials into an access.Viewer: argon2id password
// hashes in the PHC string format, bearer API tokens and session secrets of
// which only a SHA-256 hash is stored, sign-in throttled per account and address, and an
// Authenticator that loads the user, its roles and its member's groups.
//
// Credential formats:
//
//	cct_<id>_<secret>   API token: id is public (Token.ID), the whole string is hashed
//	ccs_<secret>        session: returned by Login, also set as a cookie
//
// Stores keep hex(sha256(credential)) in Token.Hash and Session.Hash, so a
// stolen database yields no usable credential.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"

	"concord"
)

// Params are the argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // iterations
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams follow RFC 9106's second recommended option scaled to a
// server: 64 MiB, two passes, two lanes.
var DefaultParams = Params{Memory: 64 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}

// Bounds on parameters read back from a stored hash, so that a corrupted or
// hostile row cannot make verification allocate gigabytes.
const (
	maxMemory  = 1 << 20 // 1 GiB in KiB
	maxTime    = 16
	maxThreads = 16
	maxKeyLen  = 128
)

// HashPassword hashes password with argon2id and DefaultParams, returning a
// PHC string: $argon2id$v=19$m=65536,t=2,p=2$<salt>$<hash>.
func HashPassword(password string) (string, error) {
	return HashPasswordParams(password, DefaultParams)
}

// HashPasswordParams hashes with explicit parameters (tests use cheap ones).
func HashPasswordParams(password string, p Params) (string, error) {
	if p.SaltLen == 0 {
		p.SaltLen = 16
	}
	if p.KeyLen == 0 {
		p.KeyLen = 32
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 {
		return "", concord.Errorf(concord.EINTERNAL, "argon2id: zero cost parameter")
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC-encoded hash. The
// comparison runs in constant time; a malformed hash never matches.
func VerifyPassword(hash, password string) bool {
	p, salt, key, err := decodeHash(hash)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// decodeHash parses $argon2id$v=19$m=..,t=..,p=..$salt$hash.
func decodeHash(s string) (Params, []byte, []byte, error) {
	var p Params
	f := strings.Split(s, "$")
	if len(f) != 6 || f[0] != "" || f[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("auth: not an argon2id PHC string")
	}
	if f[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("auth: unsupported argon2 version %q", f[2])
	}
	for _, kv := range strings.Split(f[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil {
			return p, nil, nil, fmt.Errorf("auth: bad parameter %q", kv)
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > maxThreads {
				return p, nil, nil, fmt.Errorf("auth: parameter p=%d out of range", n)
			}
			p.Threads = uint8(n)
		default:
			return p, nil, nil, fmt.Errorf("auth: unknown parameter %q", k)
		}
	}
	if p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Time > maxTime || p.Threads == 0 {
		return p, nil, nil, fmt.Errorf("auth: parameters out of range")
	}
	salt, err := base64.RawStdEncoding.DecodeString(f[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, fmt.Errorf("auth: bad salt")
	}
	key, err := base64.RawStdEncoding.DecodeString(f[5])
	if err != nil || len(key) < 16 || len(key) > maxKeyLen {
		return p, nil, nil, fmt.Errorf("auth: bad hash")
	}
	return p, salt, key, nil
}

// ValidatePassword checks a new password: at least 12 characters, at most
// 1024 bytes (argon2 would accept more, but nobody types them).
func ValidatePassword(pw string) error {
	if len([]rune(pw)) < 12 {
		return concord.Errorf(concord.EINVALID, "password: at least 12 characters")
	}
	if len(pw) > 1024 {
		return concord.Errorf(concord.EINVALID, "password: at most 1024 bytes")
	}
	return nil
}

// NewPassword returns a random password to show a new user once: 18
// random bytes, base64url (24 characters).
func NewPassword() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
