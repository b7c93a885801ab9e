package audit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"concord"
)

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "audit.key")
	k, created, err := LoadOrCreateKey(path)
	if err != nil || !created || len(k.Secret) != 32 || len(k.ID) != 16 {
		t.Fatalf("created %v %+v %v", created, k, err)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", fi.Mode())
	}
	again, created, err := LoadOrCreateKey(path)
	if err != nil || created || again.ID != k.ID || string(again.Secret) != string(k.Secret) {
		t.Fatalf("reloaded %v %+v %v", created, again, err)
	}
	if strings.Contains(k.ID, string(k.Secret[:4])) {
		t.Error("the key id shows the secret")
	}
	if err := WriteKey(path, k); err == nil {
		t.Error("an existing key file was overwritten")
	}
	os.Chmod(path, 0o644)
	if _, err := ReadKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a world-readable key: %v", err)
	}
	bad := filepath.Join(dir, "bad.key")
	os.WriteFile(bad, []byte("hello\n"), 0o600)
	if _, err := ReadKey(bad); concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("a bad key file: %v", err)
	}
}

func keyed(t *testing.T, n int) (*chain, *concord.AuditKey) {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	c := newChain(3) // rows from before keys
	c.key = k
	for range n {
		c.Audit(context.Background(), "match", "", "")
	}
	return c, k
}

func TestKeyedChain(t *testing.T) {
	ctx := context.Background()
	c, k := keyed(t, 5)
	if b, res, err := CheckWith(ctx, c, Options{Keys: []*concord.AuditKey{k}}); b != nil || err != nil || res.Rows != 8 || res.Sealed != 5 || res.KeyID != k.ID {
		t.Fatalf("intact keyed chain: %v %+v %v", b, res, err)
	}
	other, _ := NewKey()
	for _, tc := range []struct {
		name   string
		keys   []*concord.AuditKey
		tamper func(c *chain)
		seq    int64
		kind   string
	}{
		{"no key given", nil, func(*chain) {}, 4, Unverified},
		{"another key", []*concord.AuditKey{other}, func(*chain) {}, 4, Unverified},
		{"recomputed from a row without the key", []*concord.AuditKey{k}, func(c *chain) {
			// What passed verify before keys: alter row 5 and rehash the
			// rest of the chain.
			c.rows[4].Detail = "nothing happened"
			for i := 4; i < len(c.rows); i++ {
				c.rows[i].Prev = c.rows[i-1].Hash
				c.rows[i].Hash = c.rows[i].ComputeHash()
			}
		}, 5, Altered},
		{"resealed with another key", []*concord.AuditKey{k}, func(c *chain) {
			c.rows[6].Detail = "x"
			other.Seal(&c.rows[6])
		}, 7, Unverified},
		{"an unkeyed row appended", []*concord.AuditKey{k}, func(c *chain) {
			ev := forge(9, c.rows[7].Hash)
			c.rows = append(c.rows, ev)
		}, 9, Unkeyed},
		{"renumbered within the member", []*concord.AuditKey{k}, func(c *chain) {
			c.rows[5].MemberSeq = 9
		}, 6, Altered},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := keyed(t, 0)
			c.key = k
			for range 5 {
				c.Audit(ctx, "match", "", "")
			}
			tc.tamper(c)
			b, _, err := CheckWith(ctx, c, Options{Keys: tc.keys})
			if err != nil || b == nil || b.Seq != tc.seq || b.Kind != tc.kind {
				t.Fatalf("got %v, want seq %d kind %s", b, tc.seq, tc.kind)
			}
			t.Log(b.Message)
		})
	}
}

func TestCheckpoints(t *testing.T) {
	ctx := context.Background()
	c, k := keyed(t, 5)
	keys := []*concord.AuditKey{k}
	_, res, _ := CheckWith(ctx, c, Options{Keys: keys})
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cp := Sign(k, res.Rows, res.Head, now)
	path := filepath.Join(t.TempDir(), "cp.json")
	os.WriteFile(path, cp.JSON(), 0o644)
	read, err := ReadCheckpoint(path, k)
	if err != nil || read.Seq != 8 || read.Hash != res.Head {
		t.Fatalf("read back: %+v %v", read, err)
	}
	if err := read.Valid(); err != nil {
		t.Errorf("valid by its own public key: %v", err)
	}
	other, _ := NewKey()
	if err := read.Valid(other); err == nil {
		t.Error("a checkpoint of another key accepted")
	}
	forged := *read
	forged.Seq = 3
	if err := forged.Valid(k); err == nil {
		t.Error("an edited checkpoint verified")
	}
	// More rows after the checkpoint are fine.
	c.Audit(ctx, "match", "later", "")
	if b, _, _ := CheckWith(ctx, c, Options{Keys: keys, Checkpoints: []*Checkpoint{read}}); b != nil {
		t.Fatalf("appended after the checkpoint: %v", b)
	}
	for _, tc := range []struct {
		name   string
		tamper func(c *chain)
		seq    int64
		kind   string
	}{
		{"the last rows deleted", func(c *chain) { c.rows = c.rows[:6] }, 7, Truncated},
		{"everything after row 2 rewritten with the key", func(c *chain) {
			c.rows = c.rows[:2]
			for range 7 {
				c.Audit(ctx, "match", "rewritten", "")
			}
		}, 8, Rewritten},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c2 := &chain{rows: append([]concord.AuditEvent(nil), c.rows...), key: k}
			if b, _, _ := CheckWith(ctx, c2, Options{Keys: keys}); b != nil {
				t.Fatalf("before tampering: %v", b)
			}
			tc.tamper(c2)
			if b, _, _ := CheckWith(ctx, c2, Options{Keys: keys}); b != nil {
				t.Fatalf("the chain alone shows %v: the test tampers too little", b)
			}
			b, _, err := CheckWith(ctx, c2, Options{Keys: keys, Checkpoints: []*Checkpoint{read}})
			if err != nil || b == nil || b.Seq != tc.seq || b.Kind != tc.kind {
				t.Fatalf("got %v, want seq %d kind %s", b, tc.seq, tc.kind)
			}
			t.Log(b.Message)
		})
	}
}
