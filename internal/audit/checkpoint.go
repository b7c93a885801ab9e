package audit

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"concord"
)

// checkpointFormat names the checkpoint format and starts what is signed.
const checkpointFormat = "concord-audit-checkpoint-v1"

// Checkpoint is the signed head of a verified audit chain: row Seq had hash
// Hash at Time. Kept where the node's operator cannot change it, it lets
// CheckWith prove that nothing at or before that row changed since.
type Checkpoint struct {
	Format    string    `json:"format"`
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	Time      time.Time `json:"time"`
	KeyID     string    `json:"key_id"`     // the audit key whose signing key signed
	PublicKey string    `json:"public_key"` // Ed25519, base64url: checks Signature
	Signature string    `json:"signature"`  // Ed25519 over the fields above, base64url
}

// message is what a checkpoint's signature covers.
func (c *Checkpoint) message() []byte {
	return []byte(checkpointFormat + "\n" + strconv.FormatInt(c.Seq, 10) + "\n" + c.Hash + "\n" +
		c.Time.UTC().Format(time.RFC3339Nano) + "\n" + c.KeyID + "\n" + c.PublicKey)
}

// Sign makes the checkpoint of a chain whose last row is seq with hash, at
// now, signed with the signing key of k. Sign it only after CheckWith found
// the chain intact: a checkpoint vouches for everything before it.
func Sign(k *concord.AuditKey, seq int64, hash string, now time.Time) *Checkpoint {
	c := &Checkpoint{Format: checkpointFormat, Seq: seq, Hash: hash, Time: now.UTC(), KeyID: k.ID, PublicKey: PublicKey(k)}
	c.Signature = base64.RawURLEncoding.EncodeToString(ed25519.Sign(signer(k), c.message()))
	return c
}

// Valid checks the checkpoint's signature against its public key and, when
// keys are given, that one of them made it (a checkpoint signed by another
// key is someone else's, or forged). Without keys, compare PublicKey with
// the one the node published.
func (c *Checkpoint) Valid(keys ...*concord.AuditKey) error {
	if c.Format != checkpointFormat || c.Seq < 0 {
		return concord.Errorf(concord.EINVALID, "checkpoint: not a Concord audit checkpoint (format %q)", c.Format)
	}
	pub, err := base64.RawURLEncoding.DecodeString(c.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return concord.Errorf(concord.EINVALID, "checkpoint: bad public key")
	}
	sig, err := base64.RawURLEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(pub, c.message(), sig) {
		return concord.Errorf(concord.EINVALID, "checkpoint of row %d: the signature does not verify: the file was altered", c.Seq)
	}
	if len(keys) == 0 {
		return nil
	}
	for _, k := range keys {
		if k.ID == c.KeyID && PublicKey(k) == c.PublicKey {
			return nil
		}
	}
	return concord.Errorf(concord.EINVALID, "checkpoint of row %d: signed with key %s, which is not this audit's", c.Seq, c.KeyID)
}

// ReadCheckpoint reads a checkpoint file (JSON, as Sign makes and
// WriteCheckpoint writes) and checks it with keys (see Valid).
func ReadCheckpoint(path string, keys ...*concord.AuditKey) (*Checkpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "checkpoint: %v", err)
	}
	var c Checkpoint
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, concord.Errorf(concord.EINVALID, "checkpoint %s: not JSON: %v", path, err)
	}
	if err := c.Valid(keys...); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

// JSON returns the checkpoint as an indented JSON document.
func (c *Checkpoint) JSON() []byte {
	b, _ := json.MarshalIndent(c, "", "  ")
	return append(b, '\n')
}
