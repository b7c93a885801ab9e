package pnr

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// Keys are what the node's secret key derives: one key for the hash of card
// numbers (pnrgov.CardHash), one for the keyed hashes that links compare,
// one for sealing versions (AES-256-GCM) until re-personalisation.
// Every node sharing a database must use the same secret.
type Keys struct {
	card, link, seal []byte
}

// NewKeys derives the keys from the node's secret (at least 32 bytes).
func NewKeys(secret []byte) (*Keys, error) {
	if len(secret) < 32 {
		return nil, fmt.Errorf("pnr: the node key has %d bytes, want at least 32", len(secret))
	}
	k := &Keys{}
	for _, d := range []struct {
		dst  *[]byte
		info string
	}{{&k.card, "concord pnr card"}, {&k.link, "concord pnr link"}, {&k.seal, "concord pnr seal"}} {
		b, err := hkdf.Key(sha256.New, secret, nil, d.info, 32)
		if err != nil {
			return nil, err
		}
		*d.dst = b
	}
	return k, nil
}

// CardKey is the key of pnrgov.Options.CardKey.
func (k *Keys) CardKey() []byte { return k.card }

// LinkKey is the keyed hash of a normalised link value of a kind.
func (k *Keys) LinkKey(kind, value string) string {
	m := hmac.New(sha256.New, k.link)
	m.Write([]byte(kind + "\x00" + value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Seal encrypts a version's whole form.
func (k *Keys) Seal(plain []byte) ([]byte, error) {
	g, err := k.gcm()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return g.Seal(nonce, nonce, plain, []byte("pnr version")), nil
}

// Open decrypts what Seal encrypted.
func (k *Keys) Open(sealed []byte) ([]byte, error) {
	g, err := k.gcm()
	if err != nil {
		return nil, err
	}
	if len(sealed) < g.NonceSize() {
		return nil, errors.New("pnr: sealed version too short")
	}
	plain, err := g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], []byte("pnr version"))
	if err != nil {
		return nil, errors.New("pnr: the sealed version does not open with this node's key")
	}
	return plain, nil
}

func (k *Keys) gcm() (cipher.AEAD, error) {
	b, err := aes.NewCipher(k.seal)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}
