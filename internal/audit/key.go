package audit

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"concord"
)

// keyHeader starts an audit key file: "concord-audit-key-v1 <secret>\n",
// the secret 32 random bytes in unpadded base64url.
const keyHeader = "concord-audit-key-v1"

// NewKey returns a new random audit key.
func NewKey() (*concord.AuditKey, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("audit: random: %w", err)
	}
	return keyOf(secret), nil
}

// keyOf is the key of secret; its ID is a fingerprint that tells nothing of
// the secret.
func keyOf(secret []byte) *concord.AuditKey {
	sum := sha256.Sum256(append([]byte("concord audit key id\x00"), secret...))
	return &concord.AuditKey{ID: hex.EncodeToString(sum[:8]), Secret: secret}
}

// WriteKey writes k to a new file at path, readable by its owner only; an
// existing file is never overwritten.
func WriteKey(path string, k *concord.AuditKey) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("audit key %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("audit key %s: %w", path, err)
	}
	_, err = fmt.Fprintf(f, "%s %s\n", keyHeader, base64.RawURLEncoding.EncodeToString(k.Secret))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("audit key %s: %w", path, err)
	}
	return nil
}

// ReadKey reads the audit key file at path. A file that others than its
// owner may read is refused, as ssh refuses a private key: whoever reads
// the key can forge audit rows.
func ReadKey(path string) (*concord.AuditKey, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, concord.Errorf(concord.EINVALID, "audit key %s: permissions %#o: it must be readable by its owner only (chmod 600)", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	head, enc, ok := strings.Cut(string(bytes.TrimSpace(b)), " ")
	secret, derr := base64.RawURLEncoding.DecodeString(enc)
	if !ok || head != keyHeader || derr != nil || len(secret) < 32 {
		return nil, concord.Errorf(concord.EINVALID, "audit key %s: not a Concord audit key (want %q and 32 bytes in base64url)", path, keyHeader)
	}
	return keyOf(secret), nil
}

// LoadOrCreateKey reads the key at path, or creates it there when no file
// exists (created is then true).
func LoadOrCreateKey(path string) (k *concord.AuditKey, created bool, err error) {
	k, err = ReadKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, false, err
	}
	if k, err = NewKey(); err != nil {
		return nil, false, err
	}
	if err := WriteKey(path, k); err != nil {
		return nil, false, err
	}
	return k, true, nil
}

// signer is the Ed25519 key that signs the checkpoints of k, derived from
// its secret so that one file holds everything; its public half lets anyone
// check a checkpoint without being able to make one.
func signer(k *concord.AuditKey) ed25519.PrivateKey {
	m := hmac.New(sha256.New, k.Secret)
	m.Write([]byte("concord audit checkpoint signing key"))
	return ed25519.NewKeyFromSeed(m.Sum(nil))
}

// PublicKey is the key that verifies the checkpoints of k, in unpadded
// base64url: publish it with them.
func PublicKey(k *concord.AuditKey) string {
	return base64.RawURLEncoding.EncodeToString(signer(k).Public().(ed25519.PublicKey))
}
