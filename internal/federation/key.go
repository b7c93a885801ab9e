// Package federation exchanges statements between Concord nodes: each node
// has an ed25519 key, serves its peers a signed feed of the statement
// versions their member may see (decided by access, the one predicate) over
// mutual TLS, pulls theirs, and writes and reads the same signed format as
// bundles for air-gapped networks, optionally encrypted to the recipient's
// node key with age. See docs/FEDERATION.md.
package federation

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"concord"
)

// keyHeader starts a node key file: "concord-node-key-v1 <seed>\n", the
// ed25519 seed (32 bytes) in unpadded base64url.
const keyHeader = "concord-node-key-v1"

// publicPrefix starts the text form of a node's public key.
const publicPrefix = "ed25519:"

// Key is a node's identity: an ed25519 key pair.
type Key struct {
	priv ed25519.PrivateKey
}

// NewKey returns a new random node key.
func NewKey() (*Key, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("node key: %w", err)
	}
	return &Key{priv: priv}, nil
}

// KeyFromSeed returns the key of a 32-byte seed (tests).
func KeyFromSeed(seed []byte) *Key { return &Key{priv: ed25519.NewKeyFromSeed(seed)} }

// LoadKey reads the node key at path, creating it (readable by its owner
// only) when there is none; created says so. A key file others may read is
// refused, as ssh refuses a private key.
func LoadKey(path string) (k *Key, created bool, err error) {
	k, err = ReadKey(path)
	if err == nil || !os.IsNotExist(err) {
		return k, false, err
	}
	if k, err = NewKey(); err != nil {
		return nil, false, err
	}
	if err := k.Write(path); err != nil {
		return nil, false, err
	}
	return k, true, nil
}

// ReadKey reads a node key file.
func ReadKey(path string) (*Key, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, concord.Errorf(concord.EINVALID, "node key %s: permissions %#o: it must be readable by its owner only (chmod 600)", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	head, enc, ok := strings.Cut(string(bytes.TrimSpace(b)), " ")
	seed, derr := base64.RawURLEncoding.DecodeString(enc)
	if !ok || head != keyHeader || derr != nil || len(seed) != ed25519.SeedSize {
		return nil, concord.Errorf(concord.EINVALID, "node key %s: not a Concord node key (want %q and a 32-byte seed in base64url)", path, keyHeader)
	}
	return KeyFromSeed(seed), nil
}

// Write writes k to a new file at path (never over an existing one).
func (k *Key) Write(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("node key %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("node key %s: %w", path, err)
	}
	_, err = fmt.Fprintf(f, "%s %s\n", keyHeader, base64.RawURLEncoding.EncodeToString(k.priv.Seed()))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("node key %s: %w", path, err)
	}
	return nil
}

// Public is the public key.
func (k *Key) Public() ed25519.PublicKey { return k.priv.Public().(ed25519.PublicKey) }

// String is the public key's text form, "ed25519:<base64>", as peers are
// configured with it.
func (k *Key) String() string { return FormatPublicKey(k.Public()) }

// FormatPublicKey is the text form of a public key.
func FormatPublicKey(pub ed25519.PublicKey) string {
	return publicPrefix + base64.StdEncoding.EncodeToString(pub)
}

// ParsePublicKey reads the text form of a node's public key.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	enc, ok := strings.CutPrefix(strings.TrimSpace(s), publicPrefix)
	b, err := base64.StdEncoding.DecodeString(enc)
	if !ok || err != nil || len(b) != ed25519.PublicKeySize {
		return nil, concord.Errorf(concord.EINVALID, "public key %q: want ed25519:<32 bytes in base64> (as concord node key prints it)", s)
	}
	return ed25519.PublicKey(b), nil
}

// Certificate is a self-signed TLS certificate of the key, valid around
// now. Peers pin the key, not a certificate authority.
func (k *Key) Certificate(now time.Time) (tls.Certificate, error) {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: "concord node " + k.String()},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		DNSNames:     []string{"concord-node"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k.priv)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("node certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: k.priv}, nil
}

// certKey is the ed25519 key of a peer's certificate chain.
func certKey(chain [][]byte) (ed25519.PublicKey, error) {
	if len(chain) == 0 {
		return nil, fmt.Errorf("no certificate")
	}
	c, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return nil, err
	}
	pub, ok := c.PublicKey.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("certificate key is %T, want ed25519", c.PublicKey)
	}
	if err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err != nil {
		return nil, fmt.Errorf("certificate not signed by its own key: %w", err)
	}
	return pub, nil
}

// cursors seals feed positions: a peer holds them as opaque strings that
// tell it nothing (not how many changes it did not see).
type cursors struct{ aead cipher.AEAD }

func (k *Key) cursors() *cursors {
	sum := sha256.Sum256(append([]byte("concord feed cursor\x00"), k.priv.Seed()...))
	block, _ := aes.NewCipher(sum[:])
	aead, _ := cipher.NewGCM(block)
	return &cursors{aead: aead}
}

// seal returns the opaque cursor of position seq for recipient.
func (c *cursors) seal(seq int64, recipient string) string {
	nonce := make([]byte, c.aead.NonceSize())
	_, _ = rand.Read(nonce)
	plain := big.NewInt(seq).Bytes()
	return base64.RawURLEncoding.EncodeToString(c.aead.Seal(nonce, nonce, plain, []byte(recipient)))
}

// open returns the position of a cursor sealed for recipient ("" is 0).
func (c *cursors) open(cur, recipient string) (int64, error) {
	if cur == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cur)
	n := c.aead.NonceSize()
	if err != nil || len(b) < n {
		return 0, concord.Errorf(concord.EINVALID, "cursor %q: not a cursor of this node", cur)
	}
	plain, err := c.aead.Open(nil, b[:n], b[n:], []byte(recipient))
	if err != nil {
		return 0, concord.Errorf(concord.EINVALID, "cursor %q: not a cursor this node gave %s", cur, recipient)
	}
	return new(big.Int).SetBytes(plain).Int64(), nil
}
